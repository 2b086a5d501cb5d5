import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { PayLink, SandboxProvider, SignedNotification } from './provider.ts';
import {
  pickLang,
  renderMessagePage,
  renderPayPage,
  type PageLang,
  type PageMessage,
} from './page.ts';

/** The caller's view of an order payment; the plugin itself never touches the database. */
export interface SandboxPaymentView {
  amountFen: number;
  description: string;
  status: 'pending' | 'paid' | 'closed';
}

/** Sends one notification; resolves with the HTTP status the notify endpoint answered. */
export type NotificationDeliverer = (
  url: string,
  notification: SignedNotification,
) => Promise<{ status: number }>;

export interface SandboxPayRoutesOptions {
  provider: SandboxProvider;
  lookupPayment(outTradeNo: string): Promise<SandboxPaymentView | null> | SandboxPaymentView | null;
  /** Defaults to an HTTP POST with a 5 s timeout. Tests pass one built on `fastify.inject`. */
  deliver?: NotificationDeliverer;
  /** Delays before each retry after a failed delivery; bounded, like a real gateway's schedule. */
  retryDelaysMs?: readonly number[];
  /** Called once the delivery finished (acknowledged or gave up); for logs and tests. */
  onDeliveryDone?: (outTradeNo: string, acknowledged: boolean) => void;
  /**
   * The one notify URL links may name (the shop's own); a link naming another is refused,
   * so the sandbox never posts to an address a caller chose.
   */
  notifyUrl?: string;
  /**
   * The shop's origin, e.g. `https://shop.example.com`: the only one the shopper is sent
   * back to (as a path on whatever host they opened this page at). Unset: paths only.
   */
  returnOrigin?: string;
}

const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000, 60_000];
const DELIVERY_TIMEOUT_MS = 5_000;

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
};

export const defaultDeliverer: NotificationDeliverer = async (url, notification) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: notification.headers,
    body: notification.rawBody,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  return { status: res.status };
};

/**
 * `GET /sandbox/pay/:outTradeNo` — the hosted cashier page (zh-CN / en);
 * `POST /sandbox/pay/:outTradeNo/confirm` — "Pay": records the payment and sends the signed
 * notification to the order's notifyUrl in the background, like a real gateway, then
 * sends the shopper back to the returnUrl.
 */
export const sandboxPayRoutes: FastifyPluginAsync<SandboxPayRoutesOptions> = async (
  app,
  options,
) => {
  const { provider } = options;
  const deliver = options.deliver ?? defaultDeliverer;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  // The confirm form posts an empty urlencoded body; accept it in this scope only.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, _body, done) => done(null, {}),
    );
  }

  type Params = { outTradeNo: string };
  type Query = Record<string, string | undefined>;

  /** Shared checks of both routes: an authentic link for a still-payable order. */
  async function resolve(
    outTradeNo: string,
    query: Query,
    reply: FastifyReply,
    lang: PageLang,
  ): Promise<{ link: PayLink; view: SandboxPaymentView } | null> {
    const link = provider.readPayLink(outTradeNo, query);
    if (!link || (options.notifyUrl !== undefined && link.notifyUrl !== options.notifyUrl)) {
      await sendPage(reply, 400, renderMessagePage(lang, 'invalid', null));
      return null;
    }
    const view = await options.lookupPayment(outTradeNo);
    const problem: [number, PageMessage] | null = !view
      ? [404, 'notFound']
      : view.status === 'paid'
        ? [409, 'paid']
        : view.status === 'closed'
          ? [409, 'closed']
          : view.amountFen !== link.amountFen
            ? [409, 'changed']
            : null;
    if (problem || !view) {
      const [status, message]: [number, PageMessage] = problem ?? [404, 'notFound'];
      await sendPage(
        reply,
        status,
        renderMessagePage(
          lang,
          message,
          safeReturnUrl(link.returnUrl, outTradeNo, message, options.returnOrigin),
        ),
      );
      return null;
    }
    return { link, view };
  }

  app.get<{ Params: Params; Querystring: Query }>(
    '/sandbox/pay/:outTradeNo',
    async (request, reply) => {
      const lang = pickLang(request.query.lang, request.headers['accept-language']);
      const { outTradeNo } = request.params;
      const resolved = await resolve(outTradeNo, request.query, reply, lang);
      if (!resolved) return reply;
      const { link, view } = resolved;
      const confirmAction = `${encodeURIComponent(outTradeNo)}/confirm?${provider.payLinkQuery(link)}&lang=${lang}`;
      return sendPage(
        reply,
        200,
        renderPayPage({
          lang,
          outTradeNo,
          description: view.description,
          amountFen: link.amountFen,
          // Relative, so the page keeps working when the plugin is mounted under a prefix.
          confirmAction,
          cancelUrl:
            safeReturnUrl(link.returnUrl, outTradeNo, 'cancelled', options.returnOrigin) ?? '#',
        }),
      );
    },
  );

  app.post<{ Params: Params; Querystring: Query }>(
    '/sandbox/pay/:outTradeNo/confirm',
    async (request, reply) => {
      const lang = pickLang(request.query.lang, request.headers['accept-language']);
      const resolved = await resolve(request.params.outTradeNo, request.query, reply, lang);
      if (!resolved) return reply;
      const { link } = resolved;
      const notification = provider.confirmPayment(link);
      void deliverWithRetries(link, notification);
      const back = safeReturnUrl(link.returnUrl, link.outTradeNo, 'paid', options.returnOrigin);
      if (!back) return sendPage(reply, 200, renderMessagePage(lang, 'paid', null));
      return reply.code(303).header('location', back).send();
    },
  );

  async function deliverWithRetries(
    link: PayLink,
    notification: SignedNotification,
  ): Promise<void> {
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt += 1) {
      if (attempt > 0) await sleep(retryDelaysMs[attempt - 1] ?? 0);
      try {
        const { status } = await deliver(link.notifyUrl, notification);
        if (status >= 200 && status < 300) {
          options.onDeliveryDone?.(link.outTradeNo, true);
          return;
        }
        app.log.warn(
          { outTradeNo: link.outTradeNo, status, attempt },
          'sandbox notification not acknowledged',
        );
      } catch (error) {
        app.log.warn(
          { outTradeNo: link.outTradeNo, attempt, err: error },
          'sandbox notification delivery failed',
        );
      }
    }
    options.onDeliveryDone?.(link.outTradeNo, false);
  }
};

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}

/**
 * Appends the outcome to the return URL, as a path: the pay page is served by the shop
 * itself, so a path brings the shopper back to the host they opened it at. Only a path
 * or a URL on the shop's own origin is followed; anything else (another site, `//host`,
 * `/\\host`) gives no link back rather than an open redirect.
 */
function safeReturnUrl(
  returnUrl: string,
  outTradeNo: string,
  result: string,
  returnOrigin: string | undefined,
): string | null {
  const here = 'http://same-site.invalid';
  let url: URL;
  try {
    url = new URL(returnUrl, here);
  } catch {
    return null;
  }
  const onSite =
    url.origin === here
      ? returnUrl.startsWith('/') // a path, not a host-relative trick the parser turned into one
      : returnOrigin !== undefined && url.origin === new URL(returnOrigin).origin;
  if (!onSite) return null;
  url.searchParams.set('outTradeNo', outTradeNo);
  url.searchParams.set('result', result);
  return `${url.pathname}${url.search}${url.hash}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
