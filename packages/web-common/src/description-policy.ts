/**
 * The allow-list for product descriptions: rich text written by staff and shown to every
 * shopper. There is one policy. The server applies it with sanitize-html when a
 * description is saved (`server/src/catalog/description-html.ts`). The browser applies it
 * again with DOMPurify before the HTML reaches innerHTML (`web-common/src/sanitize.ts`).
 * The same attack corpus runs against both (docs/catalog.md lists the policy).
 *
 * Everything here is plain data and string functions, so both sides can import it.
 * Attribute values reach these functions already decoded (`&#106;` is `j`), because both
 * libraries parse the HTML before they ask.
 */

/** Allowed elements and, for each, its allowed attributes (besides `style`, see {@link cleanStyle}). */
export const DESCRIPTION_TAGS: Readonly<Record<string, readonly string[]>> = {
  p: [],
  br: [],
  strong: [],
  em: [],
  b: [],
  i: [],
  u: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  ul: [],
  ol: ['start'],
  li: [],
  span: [],
  blockquote: [],
  img: ['src', 'alt', 'title', 'width', 'height'],
  a: ['href', 'title', 'target'],
  table: [],
  caption: [],
  colgroup: ['span'],
  col: ['span'],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
};

/**
 * Removed together with everything inside them. Any other element that is not allowed
 * is removed and its text kept.
 */
export const DROPPED_WITH_CONTENT: readonly string[] = [
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'svg',
  'math',
  'object',
  'embed',
  'applet',
  'template',
  'frameset',
  'frame',
  'head',
  'select',
  'canvas',
];

/**
 * The page both sides parse a description as: the body of a standards-mode document,
 * which is where the shop shows it (in quirks mode a `<table>` would not close a `<p>`).
 * NUL characters are removed first.
 */
export function asPage(html: string): string {
  return `<!DOCTYPE html><body>${html.replace(/\0/g, '')}`;
}

/** Every link gets this `rel`, whatever it had: the opened page can't reach back. */
export const LINK_REL = 'noopener noreferrer';

/** The allowed elements that have no content and no end tag. */
export const VOID_TAGS = ['br', 'img', 'col'];

/** Elements nested deeper than this are removed (their text kept). */
export const MAX_DEPTH = 64;

/**
 * Attribute values that could close markup in some parser (an XML island, a raw-text
 * element) are dropped whole, as DOMPurify does.
 */
const MARKUP_BREAKOUT =
  /(?:--!?|\])>|<\/(?:style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)|\/>/i;
const HTTP_URL = /^https?:\/\/[^\s]+$/i;
const UPLOAD_URL = /^\/uploads\/[0-9a-f]{64}\.(?:png|jpg|webp|gif)$/;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+=*$/i;
const NUMBER = /^[0-9]{1,4}%?$/;
const MAX_TEXT_ATTR = 500;

/** Whether an image address is one a description (or a product) may show. */
export function isAllowedImageUrl(url: string): boolean {
  return HTTP_URL.test(url) || UPLOAD_URL.test(url) || DATA_IMAGE.test(url);
}

/**
 * What a browser's URL parser does first: drop tab/newline anywhere and C0 controls and
 * spaces at both ends. The check runs on this, and this is what is written out.
 */
function normalizeUrl(v: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers strip
  return v.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/**
 * The value an allowed attribute keeps, or null to drop it. `tag` and `attr` are lower
 * case; the caller has checked that `attr` is listed for `tag`.
 *
 * @example
 * cleanAttribute('a', 'href', 'jav\tascript:alert(1)') // null
 * cleanAttribute('a', 'target', '_BLANK') // '_blank'
 */
export function cleanAttribute(tag: string, attr: string, value: string): string | null {
  if (MARKUP_BREAKOUT.test(value)) return null;
  switch (attr) {
    case 'href': {
      const url = normalizeUrl(value);
      return HTTP_URL.test(url) ? url : null;
    }
    case 'src': {
      const url = normalizeUrl(value);
      return tag === 'img' && isAllowedImageUrl(url) ? url : null;
    }
    case 'target':
      return value.trim().toLowerCase() === '_blank' ? '_blank' : null;
    case 'width':
    case 'height':
    case 'colspan':
    case 'rowspan':
    case 'span':
    case 'start':
      return NUMBER.test(value.trim()) ? value.trim() : null;
    default: // alt, title: plain text, escaped on output
      return value.slice(0, MAX_TEXT_ATTR);
  }
}

/**
 * An element's attributes after the policy, in the policy's order: listed attributes with
 * allowed values, a cleaned `style`, and `rel` on links. `attrs` maps lower-case names to
 * decoded values.
 */
export function allowedAttributes(
  tag: string,
  attrs: Readonly<Record<string, string>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const attr of DESCRIPTION_TAGS[tag] ?? []) {
    const raw = attrs[attr];
    if (raw === undefined) continue;
    const value = cleanAttribute(tag, attr, raw);
    if (value !== null) kept[attr] = value;
  }
  const style = attrs.style === undefined ? '' : cleanStyle(attrs.style);
  if (style) kept.style = style;
  if (tag === 'a') kept.rel = LINK_REL;
  return kept;
}

const CSS_PROPS = new Set([
  'color',
  'background-color',
  'text-align',
  'text-decoration',
  'font-weight',
  'font-style',
  'font-size',
  'line-height',
  'letter-spacing',
  'vertical-align',
  'width',
  'height',
  'max-width',
  'margin',
  'margin-top',
  'margin-bottom',
  'margin-left',
  'margin-right',
  'padding',
  'padding-top',
  'padding-bottom',
  'padding-left',
  'padding-right',
  'border',
  'border-collapse',
]);
/** hex colours, plain keywords, numbers with units, rgb()/rgba() of numbers: no url(), no expression(), no escapes */
const CSS_TOKEN =
  /^(?:#[0-9a-f]{3,8}|[a-z][a-z-]{0,30}|-?(?:[0-9]{1,5}|[0-9]{0,5}\.[0-9]{1,4})(?:px|em|rem|%|pt|vw|vh)?|rgba?\(\s*[0-9]{1,3}%?\s*,\s*[0-9]{1,3}%?\s*,\s*[0-9]{1,3}%?\s*(?:,\s*(?:0|1|0?\.[0-9]{1,3})\s*)?\))$/i;

/**
 * Keeps only simple declarations of listed properties; anything else is dropped.
 *
 * @example
 * cleanStyle('text-align:center;position:fixed') // 'text-align: center'
 */
export function cleanStyle(style: string): string {
  const kept: string[] = [];
  for (const decl of style.split(';')) {
    const colon = decl.indexOf(':');
    if (colon === -1) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl
      .slice(colon + 1)
      .trim()
      .replace(/\s+/g, ' ');
    if (!CSS_PROPS.has(prop) || !value) continue;
    // rgb( 1, 2, 3 ) contains spaces: split on spaces outside parentheses
    const tokens = value.match(/rgba?\([^)]*\)|[^\s]+/gi) ?? [];
    if (tokens.length > 4 || tokens.join(' ').length !== value.length) continue;
    if (tokens.every((t) => CSS_TOKEN.test(t))) kept.push(`${prop}: ${value}`);
  }
  return kept.join('; ');
}
