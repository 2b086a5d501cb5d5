import i18n from './i18n.ts';

/** An answer of the API that is not 2xx: `{code, message}` with message in the UI language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The server answers errors in the language the shopper reads the page in. */
export const acceptLanguage = () => (i18n.language?.startsWith('en') ? 'en' : 'zh-CN');

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Calls the Fanli API with the session cookie. Writes echo the readable `fanli_csrf`
 * cookie in `X-CSRF-Token` (the server refuses cookie-authenticated writes without it).
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage(),
    ...options.headers,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = cookie('fanli_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', i18n.t('error.network'));
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(
      res.status,
      e.code ?? 'HTTP_' + res.status,
      e.message ?? i18n.t('error.generic'),
      e.details,
    );
  }
  return data as T;
}

/** Sends a file as the raw request body with its own Content-Type (image uploads). */
export async function upload<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage(),
    'Content-Type': file.type || 'application/octet-stream',
  };
  const csrf = cookie('fanli_csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('error.network'));
  }
  const data = (await res.json().catch(() => null)) as
    (T & { code?: string; message?: string; details?: unknown }) | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      data?.code ?? 'HTTP_' + res.status,
      data?.message ?? i18n.t('error.generic'),
      data?.details,
    );
  }
  return data as T;
}

export const get = <T>(path: string, options?: RequestOptions) =>
  api<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  api<T>('POST', path, body, options);

/** Text of any error for the screen: the API's own message, in words. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return i18n.t('error.generic');
}

/** A fresh key for a money-moving POST; kept by the caller for retries of the same submit. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-HTTP LAN demos still get a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
