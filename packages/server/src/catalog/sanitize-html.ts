/**
 * Allow-list sanitizer for product descriptions (rich text written by staff, shown to
 * every shopper). It never passes input through: it tokenizes the HTML the way a browser
 * would, then *re-serializes* only allowed elements and attributes, with text escaped
 * and every attribute value quoted and escaped. Whatever the input looks like
 * (malformed, nested, obfuscated), the output contains nothing but the tags below —
 * so no script survives, even where this tokenizer and a browser disagree.
 *
 * Kept: p br strong em b i u h1–h4 ul ol li span blockquote, table parts,
 * img (src http(s), data:image/png|jpeg|webp|gif;base64 or /uploads/…), a (href http(s),
 * always rel="noopener noreferrer"), and a `style` limited to simple, expression-free
 * declarations. Removed with their content: script, style, iframe, object, svg, math,
 * template and the like. Other tags are removed, their text kept. Entity references in
 * text are preserved.
 *
 * @example
 * sanitizeHtml('<p onclick="x()">Hi<script>alert(1)</script></p>') // '<p>Hi</p>'
 */
export function sanitizeHtml(input: string): string {
  return new Sanitizer(input.replace(/\0/g, '')).run();
}

const TAGS: Record<string, readonly string[]> = {
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
const VOID = new Set(['br', 'img', 'col']);

/** Browsers read these elements' content as raw text up to their end tag. */
const RAW_TEXT = new Set([
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
]);
/** Removed together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  ...RAW_TEXT,
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
]);
const MAX_DEPTH = 64;

const WS = /[\t\n\f\r ]/;
const LETTER = /[A-Za-z]/;

interface Tag {
  name: string;
  attrs: Map<string, string>;
  selfClosing: boolean;
}

class Sanitizer {
  private i = 0;
  private out = '';
  private readonly open: string[] = [];
  /** inside a removed-with-content element: its name and nesting depth */
  private skip: { name: string; depth: number } | null = null;

  constructor(private readonly s: string) {}

  run(): string {
    const s = this.s;
    while (this.i < s.length) {
      const lt = s.indexOf('<', this.i);
      if (lt === -1) {
        this.text(s.slice(this.i));
        break;
      }
      if (lt > this.i) this.text(s.slice(this.i, lt));
      this.i = lt;
      const next = s[lt + 1] ?? '';
      const after = s[lt + 2] ?? '';
      if (s.startsWith('<!--', lt)) {
        this.comment();
      } else if (next === '!' || next === '?' || (next === '/' && !LETTER.test(after))) {
        // doctype, processing instruction, CDATA, `</ …>`: bogus comments up to `>`
        const end = s.indexOf('>', lt + 1);
        this.i = end === -1 ? s.length : end + 1;
      } else if (LETTER.test(next)) {
        const tag = this.readTag(lt + 1);
        if (tag) this.startTag(tag);
      } else if (next === '/') {
        const tag = this.readTag(lt + 2);
        if (tag) this.endTag(tag.name);
      } else {
        this.text('<');
        this.i = lt + 1;
      }
    }
    while (this.open.length) this.out += `</${this.open.pop()}>`;
    return this.out;
  }

  private comment(): void {
    const s = this.s;
    const start = this.i + 4;
    // `<!-->` and `<!--->` are complete (empty) comments
    if (s[start] === '>') return void (this.i = start + 1);
    if (s.startsWith('->', start)) return void (this.i = start + 2);
    const a = s.indexOf('-->', start);
    const b = s.indexOf('--!>', start);
    const end = a === -1 ? (b === -1 ? -1 : b + 4) : b === -1 || a < b ? a + 3 : b + 4;
    this.i = end === -1 ? s.length : end;
  }

  /** Reads a tag from its name to its `>`; an unterminated tag at the end is dropped with the rest. */
  private readTag(from: number): Tag | null {
    const s = this.s;
    let p = from;
    while (p < s.length && !WS.test(s[p]!) && s[p] !== '/' && s[p] !== '>') p++;
    const name = s.slice(from, p).toLowerCase();
    const attrs = new Map<string, string>();
    let selfClosing = false;
    for (;;) {
      while (p < s.length && (WS.test(s[p]!) || s[p] === '/')) {
        selfClosing = s[p] === '/';
        p++;
      }
      if (p >= s.length) {
        this.i = s.length;
        return null;
      }
      if (s[p] === '>') {
        p++;
        break;
      }
      selfClosing = false;
      const nameStart = p;
      p++; // a first `=` belongs to the name
      while (p < s.length && !WS.test(s[p]!) && s[p] !== '/' && s[p] !== '>' && s[p] !== '=') p++;
      const attrName = s.slice(nameStart, p).toLowerCase();
      while (p < s.length && WS.test(s[p]!)) p++;
      let value = '';
      if (s[p] === '=') {
        p++;
        while (p < s.length && WS.test(s[p]!)) p++;
        const q = s[p];
        if (q === '"' || q === "'") {
          const close = s.indexOf(q, p + 1);
          if (close === -1) {
            this.i = s.length;
            return null;
          }
          value = s.slice(p + 1, close);
          p = close + 1;
        } else {
          const start = p;
          while (p < s.length && !WS.test(s[p]!) && s[p] !== '>') p++;
          value = s.slice(start, p);
        }
      }
      if (!attrs.has(attrName)) attrs.set(attrName, decodeEntities(value)); // the first one wins, as in browsers
    }
    this.i = p;
    return { name, attrs, selfClosing };
  }

  private startTag(tag: Tag): void {
    const { name } = tag;
    if (RAW_TEXT.has(name)) {
      this.skipRawText(name);
      return;
    }
    if (this.skip) {
      if (name === this.skip.name && !tag.selfClosing) this.skip.depth++;
      return;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!tag.selfClosing || !(name === 'svg' || name === 'math')) this.skip = { name, depth: 1 };
      return;
    }
    const allowed = TAGS[name];
    if (!allowed || this.open.length >= MAX_DEPTH) return;
    let html = `<${name}`;
    for (const attr of allowed) {
      const raw = tag.attrs.get(attr);
      if (raw === undefined) continue;
      const value = cleanAttribute(name, attr, raw);
      if (value !== null) html += ` ${attr}="${escapeAttr(value)}"`;
    }
    const style = tag.attrs.get('style');
    if (style !== undefined) {
      const css = cleanStyle(style);
      if (css) html += ` style="${escapeAttr(css)}"`;
    }
    if (name === 'a') html += ' rel="noopener noreferrer"';
    this.out += `${html}>`;
    if (!VOID.has(name)) this.open.push(name);
  }

  private endTag(name: string): void {
    if (this.skip) {
      if (name === this.skip.name && --this.skip.depth === 0) this.skip = null;
      return;
    }
    if (VOID.has(name) || !TAGS[name]) return;
    const at = this.open.lastIndexOf(name);
    if (at === -1) return;
    while (this.open.length > at) this.out += `</${this.open.pop()}>`;
  }

  /** Skips the raw content of `<script>`-like elements, to their end tag or the end. */
  private skipRawText(name: string): void {
    if (name === 'plaintext') {
      this.i = this.s.length;
      return;
    }
    const re = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'ig');
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (!m) {
      this.i = this.s.length;
      return;
    }
    const close = this.s.indexOf('>', m.index);
    this.i = close === -1 ? this.s.length : close + 1;
  }

  private text(t: string): void {
    if (!this.skip) this.out += escapeText(t);
  }
}

const ENTITY_REF = /&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/y;

/** Escapes text, keeping well-formed entity references (`&nbsp;`, `&#20013;`) as they are. */
function escapeText(t: string): string {
  let out = '';
  for (let k = 0; k < t.length; k++) {
    const c = t[k]!;
    if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '&') {
      ENTITY_REF.lastIndex = k;
      const m = ENTITY_REF.exec(t);
      if (m) {
        out += m[0];
        k += m[0].length - 1;
      } else out += '&amp;';
    } else out += c;
  }
  return out;
}

function escapeAttr(v: string): string {
  return v
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  tab: '\t',
  newline: '\n',
  colon: ':',
  sol: '/',
  lpar: '(',
  rpar: ')',
  semi: ';',
  comma: ',',
  period: '.',
  num: '#',
  equals: '=',
};

/**
 * Decodes character references in an attribute value. Only for reading the value: what
 * is written back is this decoded text, re-escaped — so the browser sees exactly the
 * value that was checked, whatever references this table does not know.
 */
export function decodeEntities(v: string): string {
  return v.replace(
    /&(?:#([0-9]{1,8});?|#[xX]([0-9A-Fa-f]{1,7});?|([A-Za-z][A-Za-z0-9]{0,31});)/g,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined || hex !== undefined) {
        const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
        if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
        return String.fromCodePoint(cp);
      }
      return NAMED[name!.toLowerCase()] ?? whole;
    },
  );
}

/**
 * What a browser's URL parser does first: drop tab/newline anywhere and C0 controls and
 * spaces at both ends. The check runs on this, and this is what is written out.
 */
function normalizeUrl(v: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers strip
  return v.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

const HTTP_URL = /^https?:\/\/[^\s]+$/i;
const UPLOAD_URL = /^\/uploads\/[0-9a-f]{64}\.(?:png|jpg|webp|gif)$/;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+=*$/i;
const NUMBER = /^[0-9]{1,4}%?$/;

/** Whether an image address is one a description (or a product) may show. */
export function isAllowedImageUrl(url: string): boolean {
  return HTTP_URL.test(url) || UPLOAD_URL.test(url) || DATA_IMAGE.test(url);
}

function cleanAttribute(tag: string, attr: string, raw: string): string | null {
  switch (attr) {
    case 'href': {
      const url = normalizeUrl(raw);
      return HTTP_URL.test(url) ? url : null;
    }
    case 'src': {
      const url = normalizeUrl(raw);
      return tag === 'img' && isAllowedImageUrl(url) ? url : null;
    }
    case 'target':
      return raw.trim().toLowerCase() === '_blank' ? '_blank' : null;
    case 'width':
    case 'height':
    case 'colspan':
    case 'rowspan':
    case 'span':
    case 'start':
      return NUMBER.test(raw.trim()) ? raw.trim() : null;
    default: // alt, title: plain text, escaped on output
      return raw.length <= 500 ? raw : raw.slice(0, 500);
  }
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

/** Keeps only simple declarations of listed properties; anything else is dropped. */
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
