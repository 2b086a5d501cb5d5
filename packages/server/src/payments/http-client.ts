import { failure } from './common.ts';
import type { ProviderFailure } from './provider.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names, as Fetch normalises them. */
  headers: Record<string, string>;
  /** The exact bytes received: response signatures are checked on these, not on a decoded copy. */
  bodyBytes: Buffer;
  bodyText: string;
}

/**
 * One HTTP exchange with a provider. Timeouts and network errors come back as retryable
 * values, never exceptions: the request may or may not have been processed, and the
 * caller's answer to "unknown" is to retry with the same idempotency number.
 */
export async function sendHttp(
  request: HttpRequest,
): Promise<{ ok: true; response: HttpResponse } | ProviderFailure> {
  // The signal also bounds reading the body, so a server that stalls mid-response times out too.
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal };
    if (request.body !== undefined) init.body = request.body;
    const res = await fetch(request.url, init);
    const bodyBytes = Buffer.from(await res.arrayBuffer());
    const headers = Object.fromEntries(res.headers.entries());
    return {
      ok: true,
      response: { status: res.status, headers, bodyBytes, bodyText: bodyBytes.toString('utf8') },
    };
  } catch (error) {
    if (signal.aborted || isAbortError(error)) {
      return failure('PROVIDER_TIMEOUT', `no answer within ${request.timeoutMs} ms`);
    }
    return failure('PROVIDER_ERROR', `network error: ${describe(error)}`);
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
