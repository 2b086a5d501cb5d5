import { formatFenAsYuan } from '../money.ts';

/** The hosted sandbox cashier page. Plain HTML, no script: it must work in any webview. */

export type PageLang = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '沙箱支付',
    notice: '这是演示用的沙箱支付，不会产生真实扣款。',
    order: '订单号',
    amount: '金额',
    pay: '确认支付',
    cancel: '取消',
    paid: '该订单已支付。',
    closed: '该订单已关闭，无法支付。',
    invalid: '支付链接无效或已过期。',
    changed: '订单金额已变更，请返回重新下单。',
    notFound: '订单不存在。',
    back: '返回商家',
  },
  en: {
    title: 'Sandbox payment',
    notice: 'This is a demo sandbox payment. No real money moves.',
    order: 'Order',
    amount: 'Amount',
    pay: 'Pay',
    cancel: 'Cancel',
    paid: 'This order is already paid.',
    closed: 'This order is closed and can no longer be paid.',
    invalid: 'This payment link is invalid or has expired.',
    changed: 'The order amount has changed; please go back and order again.',
    notFound: 'Order not found.',
    back: 'Back to the shop',
  },
} as const;

export type PageMessage = 'paid' | 'closed' | 'invalid' | 'changed' | 'notFound';

export function pickLang(queryLang: unknown, acceptLanguage: string | undefined): PageLang {
  if (queryLang === 'en' || queryLang === 'zh-CN') return queryLang;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(lang: PageLang, body: string): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
.amount{font-size:2rem;font-weight:600;margin:.5rem 0 1.5rem}.notice{color:#a15c00;font-size:.9rem}
button,a.btn{display:block;width:100%;box-sizing:border-box;padding:.8rem;margin:.5rem 0;border-radius:.5rem;
border:1px solid #ccc;font-size:1rem;text-align:center;text-decoration:none;color:#222;background:#fff}
button.pay{background:#07c160;border-color:#07c160;color:#fff}</style></head>
<body><h1>${t.title}</h1><p class="notice">${t.notice}</p>${body}</body></html>`;
}

export function renderPayPage(args: {
  lang: PageLang;
  outTradeNo: string;
  description: string;
  amountFen: number;
  confirmAction: string;
  cancelUrl: string;
}): string {
  const t = TEXT[args.lang];
  return layout(
    args.lang,
    `<p>${escapeHtml(args.description)}</p>
<p>${t.order}: <code>${escapeHtml(args.outTradeNo)}</code></p>
<p>${t.amount}</p><p class="amount">¥${formatFenAsYuan(args.amountFen)}</p>
<form method="post" action="${escapeHtml(args.confirmAction)}"><button class="pay" type="submit">${t.pay}</button></form>
<a class="btn" href="${escapeHtml(args.cancelUrl)}">${t.cancel}</a>`,
  );
}

export function renderMessagePage(
  lang: PageLang,
  message: PageMessage,
  backUrl: string | null,
): string {
  const t = TEXT[lang];
  const back = backUrl ? `<a class="btn" href="${escapeHtml(backUrl)}">${t.back}</a>` : '';
  return layout(lang, `<p>${t[message]}</p>${back}`);
}
