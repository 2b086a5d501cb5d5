import { useEffect, useState } from 'react';
import type { FormInstance } from 'antd-mobile/es/components/form';
import type { TFunction } from 'i18next';
import { errorText, post } from '../api.ts';

export const PHONE_RULE = (t: TFunction) => ({
  required: true,
  pattern: /^1[3-9]\d{9}$/,
  message: t('login.phoneInvalid'),
});

/**
 * Sends a one-time code and counts down before it may be sent again. In the demo the
 * server hands back the code for signing up a new phone (`devCode`) and the sign-up page
 * shows it, since no SMS is sent; a code to sign in to an account is never handed back.
 */
export function useOtp(purpose: 'login' | 'register') {
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const [devCode, setDevCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  const send = async (form: FormInstance, field: string) => {
    setError(null);
    let phone: string;
    try {
      phone = ((await form.validateFields([field])) as Record<string, string>)[field]!;
    } catch {
      return;
    }
    setSending(true);
    try {
      const res = await post<{ expiresInSeconds: number; devCode?: string }>('/api/v1/auth/otp', {
        phone,
        purpose,
      });
      setDevCode(res.devCode ?? null);
      setWait(60);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(false);
    }
  };
  return { wait, sending, devCode, error, send };
}
