import { useEffect, useRef, type ReactNode } from 'react';
import { Button, Empty, Result, Spin } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../money.ts';

/** A page with a title bar; `back` shows the back arrow. */
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
        {back ? (
          <button
            type="button"
            className="nav-back"
            aria-label={t('common.back')}
            onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))}
          >
            <LeftOutlined />
          </button>
        ) : (
          <span className="nav-back" />
        )}
        <h1 className="nav-title">{title}</h1>
        <span className="nav-extra">{extra}</span>
      </header>
      <main className="page-body">{children}</main>
    </div>
  );
}

export function Loading({ tip }: { tip?: string }) {
  const { t } = useTranslation();
  return (
    <div className="center-block" role="status">
      <Spin />
      <div className="muted">{tip ?? t('common.loading')}</div>
    </div>
  );
}

/** An error in words (the API's message) with a retry. */
export function ErrorView({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={message}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function EmptyView({ text }: { text: string }) {
  return <Empty className="empty" description={text} />;
}

export function Price({ fen, className }: { fen: number; className?: string }) {
  return <span className={`price ${className ?? ''}`}>{formatFen(fen)}</span>;
}

/** Calls `onVisible` when the sentinel scrolls into view: infinite scroll without a scroll handler. */
export function LoadMore({
  onVisible,
  loading,
  done,
  error,
  onRetry,
}: {
  onVisible(): void;
  loading: boolean;
  done: boolean;
  error: string | null;
  onRetry(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const cb = useRef(onVisible);
  cb.current = onVisible;
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) cb.current();
      },
      { rootMargin: '200px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return (
    <div ref={ref} className="load-more">
      {error ? (
        <Button type="link" onClick={onRetry}>
          {error} · {t('common.retry')}
        </Button>
      ) : loading ? (
        <Spin size="small" />
      ) : done ? (
        <span className="muted">{t('common.noMore')}</span>
      ) : (
        <Button type="link" onClick={onVisible}>
          {t('common.loadMore')}
        </Button>
      )}
    </div>
  );
}
