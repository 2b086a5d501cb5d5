import { useState } from 'react';
import { Button, Checkbox, Form, Input, Popup } from 'antd-mobile';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { Notice, Page } from '../components/ui.tsx';
import { useAsync } from '../hooks.ts';
import { clearReferral, pendingReferral } from '../referral.ts';
import { useSession } from '../session.tsx';
import type { SessionAnswer } from '../types.ts';
import { PHONE_RULE, useOtp } from '../components/otp.ts';
import { PrivacyText } from '../components/PrivacyText.tsx';

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
  const location = useLocation();
  const { signedIn } = useSession();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showPrivacy, setShowPrivacy] = useState(false);
  const otp = useOtp('register');
  const privacy = useAsync((signal) => get<{ version: string }>('/api/v1/privacy', { signal }), []);
  const invitedBy = pendingReferral();
  const next = new URLSearchParams(location.search).get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

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
      navigate(target, { replace: true });
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
          <Notice
            kind="success"
            className="invite-banner"
            text={t('signup.invited', { code: invitedBy })}
          />
        )}
        <Form
          form={form}
          name="signup"
          layout="vertical"
          onFinish={submit}
          requiredMarkStyle="none"
          initialValues={{ referralCode: invitedBy ?? '', agree: false }}
          footer={
            <>
              {privacy.error && <Notice text={privacy.error} />}
              {error && <Notice text={error} />}
              <Button
                color="primary"
                type="submit"
                block
                size="large"
                loading={busy}
                disabled={!privacy.data}
                className="submit"
              >
                {t('signup.submit')}
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
            <Input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              aria-label={t('login.code')}
            />
          </Form.Item>
          {(otp.devCode || otp.error) && (
            <Form.Item>
              {otp.devCode && (
                <Notice
                  kind="info"
                  className="dev-code"
                  text={t('login.devCode', { code: otp.devCode })}
                />
              )}
              {otp.error && <Notice text={otp.error} />}
            </Form.Item>
          )}
          <Form.Item
            name="password"
            label={t('login.password')}
            description={t('signup.passwordHint')}
            rules={[
              {
                required: true,
                pattern: /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/,
                message: t('signup.passwordHint'),
              },
            ]}
          >
            <Input type="password" autoComplete="new-password" />
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
            <Checkbox className="agree">
              {t('signup.agree')}{' '}
              <a
                href="/privacy"
                onClick={(e) => {
                  e.preventDefault();
                  e.stopPropagation();
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
        </Form>
        <div className="form-foot">
          {t('signup.haveAccount')}{' '}
          <Link to={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('signup.toLogin')}
          </Link>
        </div>
      </div>
      <Popup
        visible={showPrivacy}
        onMaskClick={() => setShowPrivacy(false)}
        onClose={() => setShowPrivacy(false)}
        showCloseButton
        bodyClassName="sheet sheet-tall"
      >
        <h3 className="sheet-title">{t('privacy.title')}</h3>
        <PrivacyText version={privacy.data?.version} />
      </Popup>
    </Page>
  );
}
