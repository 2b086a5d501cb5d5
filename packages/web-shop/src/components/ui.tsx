import type { ReactNode } from 'react';
import {
  Button,
  DotLoading,
  Empty,
  ErrorBlock,
  InfiniteScroll,
  List,
  NavBar,
  NoticeBar,
  SpinLoading,
} from 'antd-mobile';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../money.ts';

/** A page with antd-mobile's NavBar; `back` shows the back arrow. */
export function Page({
  title,
  back = true,
  children,
  extra,
}: {
  title: string;
  back?: boolean;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  return (
    <div className="page">
      <header className="nav-bar">
        <NavBar
          back={back ? <span className="sr-only">{t('common.back')}</span> : null}
          onBack={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))}
          right={extra}
        >
          <h1 className="nav-title">{title}</h1>
        </NavBar>
      </header>
      <main className="page-body">{children}</main>
    </div>
  );
}

export function Loading({ tip }: { tip?: string }) {
  const { t } = useTranslation();
  return (
    <div className="center-block" role="status">
      <SpinLoading color="primary" />
      <div className="muted">{tip ?? t('common.loading')}</div>
    </div>
  );
}

/** An error in words (the API's message) with a retry. */
export function ErrorView({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <ErrorBlock status="default" title={message} description="" className="error-view">
      {onRetry && (
        <Button size="small" color="primary" fill="outline" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </ErrorBlock>
  );
}

export function EmptyView({ text }: { text: string }) {
  return <Empty className="empty" description={text} />;
}

export function Price({ fen, className }: { fen: number; className?: string }) {
  return <span className={`price ${className ?? ''}`}>{formatFen(fen)}</span>;
}

/** antd-mobile's InfiniteScroll driven by `usePagedList` (loads the next page when in view). */
export function ListFooter({ loadMore, done }: { loadMore(): Promise<void>; done: boolean }) {
  return (
    <InfiniteScroll loadMore={loadMore} hasMore={!done} threshold={200}>
      {(hasMore, failed, retry) => <FooterText hasMore={hasMore} failed={failed} retry={retry} />}
    </InfiniteScroll>
  );
}

function FooterText({
  hasMore,
  failed,
  retry,
}: {
  hasMore: boolean;
  failed: boolean;
  retry(): void;
}) {
  const { t } = useTranslation();
  if (failed)
    return (
      <Button size="mini" fill="none" color="primary" onClick={retry}>
        {t('error.generic')} · {t('common.retry')}
      </Button>
    );
  if (hasMore)
    return (
      <span className="muted">
        {t('common.loading')}
        <DotLoading />
      </span>
    );
  return <span className="muted small">{t('common.noMore')}</span>;
}

/**
 * A row of a List that is a real link (so it can be opened, read out and found as a link):
 * antd-mobile's clickable List.Item is an `<a>` without href.
 */
export function ListLink({
  to,
  children,
  prefix,
  extra,
  description,
}: {
  to: string;
  children: ReactNode;
  prefix?: ReactNode;
  extra?: ReactNode;
  description?: ReactNode;
}) {
  return (
    <Link to={to} className="list-link">
      <List.Item arrow prefix={prefix} extra={extra} description={description}>
        {children}
      </List.Item>
    </Link>
  );
}

/** A message in a bar: errors are announced (`role="alert"`), the rest is status. */
export function Notice({
  text,
  kind = 'error',
  className,
}: {
  text: ReactNode;
  kind?: 'error' | 'info' | 'success' | 'alert';
  className?: string;
}) {
  return (
    <div role={kind === 'error' ? 'alert' : 'status'} className={`notice ${className ?? ''}`}>
      <NoticeBar content={text} color={kind === 'error' ? 'error' : kind} wrap />
    </div>
  );
}
