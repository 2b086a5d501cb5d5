import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { Page } from '../components/ui.tsx';

/** The privacy policy in the reader's language; its version is the one accepted at sign-up. */
export function PrivacyText({ version }: { version?: string }) {
  const { t } = useTranslation();
  const sections = t('privacy.sections', { returnObjects: true }) as { h: string; p: string }[];
  return (
    <article className="privacy">
      {version && <p className="muted">{t('privacy.version', { version })}</p>}
      {sections.map((s) => (
        <section key={s.h}>
          <h3>{s.h}</h3>
          <p>{s.p}</p>
        </section>
      ))}
    </article>
  );
}

export default function Privacy() {
  const { t } = useTranslation();
  const privacy = useAsync((signal) => get<{ version: string }>('/api/v1/privacy', { signal }), []);
  return (
    <Page title={t('privacy.title')}>
      <div className="card">
        <PrivacyText version={privacy.data?.version} />
      </div>
    </Page>
  );
}
