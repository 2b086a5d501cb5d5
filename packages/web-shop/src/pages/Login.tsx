import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Segmented } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { Page } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import type { SessionAnswer } from '../types.ts';
import { PHONE_RULE, useOtp } from './otp.ts';

export default function Login() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { signedIn } = useSession();
  const [mode, setMode] = useState<'password' | 'code'>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ phone: string; password?: string; code?: string }>();
  const otp = useOtp('login');
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/me';

  useEffect(() => setError(null), [mode]);

  const submit = async (v: { phone: string; password?: string; code?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const body =
        mode === 'password'
          ? { phone: v.phone, password: v.password }
          : { phone: v.phone, code: v.code };
      const res = await post<SessionAnswer>('/api/v1/auth/login', body);
      signedIn(res.user);
      navigate(target, { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('login.title')}>
      <div className="card form-card">
        <Segmented
          block
          value={mode}
          onChange={(v) => setMode(v as 'password' | 'code')}
          options={[
            { label: t('login.byPassword'), value: 'password' },
            { label: t('login.byCode'), value: 'code' },
          ]}
        />
        <Form form={form} layout="vertical" onFinish={submit} className="form" requiredMark={false}>
          <Form.Item name="phone" label={t('login.phone')} rules={[PHONE_RULE(t)]}>
            <Input
              inputMode="numeric"
              autoComplete="tel"
              maxLength={11}
              placeholder={t('login.phonePlaceholder')}
            />
          </Form.Item>
          {mode === 'password' ? (
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
          ) : (
            <>
              <Form.Item label={t('login.code')} required>
                <div className="code-row">
                  <Form.Item
                    name="code"
                    noStyle
                    rules={[
                      { required: true, pattern: /^\d{6}$/, message: t('login.codeInvalid') },
                    ]}
                  >
                    <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
                  </Form.Item>
                  <Button
                    onClick={() => void otp.send(form, 'phone')}
                    disabled={otp.wait > 0}
                    loading={otp.sending}
                  >
                    {otp.wait > 0 ? t('login.resend', { s: otp.wait }) : t('login.sendCode')}
                  </Button>
                </div>
              </Form.Item>
              {otp.devCode && (
                <Alert
                  type="info"
                  showIcon
                  className="dev-code"
                  title={t('login.devCode', { code: otp.devCode })}
                />
              )}
              {otp.error && <Alert type="error" showIcon title={otp.error} />}
            </>
          )}
          {error && <Alert type="error" showIcon title={error} role="alert" />}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            className="submit"
          >
            {t('login.submit')}
          </Button>
        </Form>
        <div className="form-foot">
          {t('login.noAccount')} <Link to="/signup">{t('login.toSignUp')}</Link>
        </div>
      </div>
    </Page>
  );
}
