import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';

/** Calls the API as a bearer-token client (no cookies, so no CSRF). */
export async function call<T>(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => null)) as T;
  return { status: res.status, data };
}

export async function apiLogin(phone: string, password: string) {
  const res = await call<{ token: string; user: { id: number } }>(
    'POST',
    '/api/v1/auth/login',
    null,
    { phone, password },
  );
  expect(res.status).toBe(200);
  return res.data;
}

/**
 * `GET /admin/rules` gives the normalized settings; the document the server accepts folds
 * the store/cashier override maps back (as the console's `toDocument`).
 */
export function settingsDocument(settings: Record<string, unknown>): Record<string, unknown> {
  const { storeOverrides, cashierOverrides, ...q } = settings.queueRebate as Record<
    string,
    unknown
  > & { stores: string; cashiers: string };
  const scope = (mode: string, map: unknown) =>
    mode === 'each' && map && Object.keys(map).length > 0 ? map : mode;
  return {
    ...settings,
    queueRebate: {
      ...q,
      stores: scope(q.stores, storeOverrides),
      cashiers: scope(q.cashiers, cashierOverrides),
    },
  };
}
