import { useTranslation } from 'react-i18next';

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
