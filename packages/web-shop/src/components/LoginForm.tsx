import { useEffect, useState } from 'react';
import { Button, Form, Input, Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { Notice } from './ui.tsx';
import { useSession } from '../session.tsx';
import type { SessionAnswer, User } from '../types.ts';
import { PHONE_RULE, useOtp } from './otp.ts';

interface Values {
  phone: string;
  password?: string;
  code?: string;
}

/** Phone + password or phone + SMS code; `onDone` gets the signed-in user. */
export function LoginForm({
  onDone,
  allowCode = true,
}: {
  onDone(user: User): void;
  allowCode?: boolean;
}) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [mode, setMode] = useState<'password' | 'code'>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const otp = useOtp('login');

  useEffect(() => setError(null), [mode]);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body =
        mode === 'password'
          ? { phone: v.phone, password: v.password }
          : { phone: v.phone, code: v.code };
      const res = await post<SessionAnswer>('/api/v1/auth/login', body);
      signedIn(res.user);
      onDone(res.user);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {allowCode && (
        <Tabs activeKey={mode} onChange={(k) => setMode(k as 'password' | 'code')}>
          <Tabs.Tab key="password" title={t('login.byPassword')} />
          <Tabs.Tab key="code" title={t('login.byCode')} />
        </Tabs>
      )}
      <Form
        form={form}
        name="login"
        layout="vertical"
        onFinish={submit}
        requiredMarkStyle="none"
        className="form"
        footer={
          <>
            {error && <Notice text={error} />}
            <Button
              color="primary"
              type="submit"
              block
              size="large"
              loading={busy}
              className="submit"
            >
              {t('login.submit')}
            </Button>
          </>
        }
      >
        <Form.Item name="phone" label={t('login.phone')} rules={[PHONE_RULE(t)]}>
          <Input
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            placeholder={t('login.phonePlaceholder')}
            clearable
          />
        </Form.Item>
        {mode === 'password' ? (
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input type="password" autoComplete="current-password" />
          </Form.Item>
        ) : (
          <Form.Item
            name="code"
            label={t('login.code')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.codeInvalid') }]}
            extra={
              <Button
                size="small"
                color="primary"
                fill="outline"
                onClick={() => void otp.send(form, 'phone')}
                disabled={otp.wait > 0}
                loading={otp.sending}
              >
                {otp.wait > 0 ? t('login.resend', { s: otp.wait }) : t('login.sendCode')}
              </Button>
            }
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
        )}
      </Form>
      {mode === 'code' && otp.error && <Notice text={otp.error} />}
    </>
  );
}
