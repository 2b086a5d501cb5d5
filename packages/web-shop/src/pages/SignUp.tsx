import { useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Form, Input } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { Page } from '../components/ui.tsx';
import { useAsync } from '../hooks.ts';
import { clearReferral, pendingReferral } from '../referral.ts';
import { useSession } from '../session.tsx';
import type { SessionAnswer } from '../types.ts';
import { PHONE_RULE, useOtp } from './otp.ts';
import { PrivacyText } from './Privacy.tsx';

interface Values {
  phone: string;
  code: string;
  password: string;
  nickname?: string;
  referralCode?: string;
  agree: boolean;
}

export default function SignUp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showPrivacy, setShowPrivacy] = useState(false);
  const otp = useOtp('register');
  const privacy = useAsync((signal) => get<{ version: string }>('/api/v1/privacy', { signal }), []);
  const invitedBy = pendingReferral();

  const submit = async (v: Values) => {
    if (!privacy.data) return;
    setBusy(true);
    setError(null);
    try {
      const referralCode = (v.referralCode ?? '').trim();
      const res = await post<SessionAnswer>('/api/v1/auth/register', {
        phone: v.phone,
        code: v.code,
        password: v.password,
        ...(v.nickname?.trim() ? { nickname: v.nickname.trim() } : {}),
        ...(referralCode ? { referralCode } : {}),
        privacyVersion: privacy.data.version,
      });
      clearReferral();
      signedIn(res.user);
      navigate('/', { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signup.title')}>
      <div className="card form-card">
        {invitedBy && (
          <Alert
            type="success"
            showIcon
            className="invite-banner"
            title={t('signup.invited', { code: invitedBy })}
          />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          initialValues={{ referralCode: invitedBy ?? '', agree: false }}
        >
          <Form.Item name="phone" label={t('login.phone')} rules={[PHONE_RULE(t)]}>
            <Input
              inputMode="numeric"
              autoComplete="tel"
              maxLength={11}
              placeholder={t('login.phonePlaceholder')}
            />
          </Form.Item>
          <Form.Item label={t('login.code')} required>
            <div className="code-row">
              <Form.Item
                name="code"
                noStyle
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.codeInvalid') }]}
              >
                <Input
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  aria-label={t('login.code')}
                />
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
          <Form.Item
            name="password"
            label={t('login.password')}
            extra={t('signup.passwordHint')}
            rules={[
              {
                required: true,
                pattern: /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/,
                message: t('signup.passwordHint'),
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="nickname" label={t('signup.nickname')} rules={[{ max: 40 }]}>
            <Input maxLength={40} placeholder={t('signup.nicknamePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="referralCode"
            label={t('signup.referralCode')}
            rules={[{ pattern: /^[0-9A-Za-z]{8}$/, message: t('signup.referralInvalid') }]}
          >
            <Input maxLength={8} placeholder={t('signup.referralPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="agree"
            valuePropName="checked"
            rules={[
              {
                validator: (_r, v) =>
                  v ? Promise.resolve() : Promise.reject(new Error(t('signup.mustAgree'))),
              },
            ]}
          >
            <Checkbox>
              {t('signup.agree')}{' '}
              <a
                href="/privacy"
                onClick={(e) => {
                  e.preventDefault();
                  setShowPrivacy(true);
                }}
              >
                {t('signup.privacy')}
              </a>
              {privacy.data && (
                <span className="muted small">
                  {' '}
                  ({t('privacy.version', { version: privacy.data.version })})
                </span>
              )}
            </Checkbox>
          </Form.Item>
          {privacy.error && <Alert type="error" showIcon title={privacy.error} />}
          {error && <Alert type="error" showIcon title={error} role="alert" />}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            disabled={!privacy.data}
            className="submit"
          >
            {t('signup.submit')}
          </Button>
        </Form>
        <div className="form-foot">
          {t('signup.haveAccount')} <Link to="/login">{t('signup.toLogin')}</Link>
        </div>
      </div>
      <Drawer
        open={showPrivacy}
        onClose={() => setShowPrivacy(false)}
        placement="bottom"
        size="large"
        title={t('privacy.title')}
      >
        <PrivacyText version={privacy.data?.version} />
      </Drawer>
    </Page>
  );
}
