import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { Page } from '../components/ui.tsx';
import { PrivacyText } from '../components/PrivacyText.tsx';

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
