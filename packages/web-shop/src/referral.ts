/**
 * A friend's referral code arrives as `?ref=CODE` on any shop URL. It is kept in
 * sessionStorage until sign-up, so browsing first does not lose it; a later link
 * with another code replaces it (the last invitation the friend followed wins).
 */
const KEY = 'fanli.ref';
const CODE = /^[0-9A-Za-z]{8}$/;

export function captureReferral(search: string): void {
  const code = new URLSearchParams(search).get('ref');
  if (code && CODE.test(code)) {
    try {
      sessionStorage.setItem(KEY, code.toUpperCase());
    } catch {
      // storage blocked: the code is lost, sign-up still works
    }
  }
}

export function pendingReferral(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function clearReferral(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing to clear
  }
}
