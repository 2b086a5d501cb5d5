import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { useSession } from '../session.tsx';
import type { User } from '../types.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

export default function Login() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { phone: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ user: User }>('/api/v1/auth/login', v);
      if (res.user.role !== 'staff' && res.user.role !== 'admin') {
        // a shopper or cashier signed in here: end that session again, the console is not for them
        await post('/api/v1/auth/logout').catch(() => undefined);
        setError(t('login.notStaff'));
        return;
      }
      signedIn(res.user);
      navigate('/', { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-wrap">
      <Card className="login-card" title={t('app.title')} extra={<LanguageSwitch />}>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="phone"
            label={t('login.phone')}
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('login.phoneInvalid') }]}
          >
            <Input autoComplete="username" maxLength={11} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} className="mb" role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
