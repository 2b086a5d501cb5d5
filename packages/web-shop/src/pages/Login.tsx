import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/ui.tsx';
import { LoginForm } from '../components/LoginForm.tsx';

export default function Login() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/me';

  return (
    <Page title={t('login.title')}>
      <div className="card form-card">
        <LoginForm onDone={() => navigate(target, { replace: true })} />
        <div className="form-foot">
          {t('login.noAccount')}{' '}
          <Link to={`/signup${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('login.toSignUp')}
          </Link>
        </div>
      </div>
    </Page>
  );
}
