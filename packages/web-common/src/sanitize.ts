/**
 * The server sanitizes product descriptions before storing them; this is a second,
 * allow-list pass in the browser so that what reaches innerHTML can only be plain
 * formatting and images — no scripts, handlers, styles that escape, frames or forms.
 * DOMParser documents are inert: nothing in them runs or loads while we walk them.
 */
const TAGS = new Set([
  'P',
  'BR',
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'S',
  'SPAN',
  'DIV',
  'H1',
  'H2',
  'H3',
  'H4',
  'UL',
  'OL',
  'LI',
  'IMG',
  'A',
  'BLOCKQUOTE',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TD',
  'TH',
  'HR',
  'SMALL',
  'SUB',
  'SUP',
]);
const ATTRS: Record<string, Set<string>> = {
  IMG: new Set(['src', 'alt', 'width', 'height']),
  A: new Set(['href', 'title']),
};
const SAFE_URL = /^(https?:|data:image\/(png|jpe?g|gif|webp);|\/(?!\/))/i;
/**
 * Images only from this site or inline data: the CSP (`img-src 'self' data: blob:`)
 * blocks any other source, and a blocked load is a console error on every render.
 */
const SAFE_IMG = /^(data:image\/(png|jpe?g|gif|webp);|\/(?!\/))/i;

/** Whether the console can show this image URL under its CSP (uploads and data: URLs). */
export function displayableImage(src: string): boolean {
  return /^(data:image\/|blob:|\/(?!\/))/i.test(src.trim());
}

/**
 * Inline handler attributes (`onerror=…`) are dropped as text before parsing: Chromium
 * reports a CSP violation for them even in an inert DOMParser document. This is only to
 * keep the console quiet while a merchant types; the allow-list walk below is the guard.
 */
const HANDLER_ATTR = /[\s/]on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/gi;

export function sanitizeHtml(html: string): string {
  const doc = new DOMParser().parseFromString(
    `<body>${html.replace(HANDLER_ATTR, '')}</body>`,
    'text/html',
  );
  const walk = (node: Element) => {
    for (const child of Array.from(node.children)) {
      if (!TAGS.has(child.tagName)) {
        // drop dangerous elements whole, unwrap unknown harmless ones to keep their text
        if (
          [
            'SCRIPT',
            'STYLE',
            'IFRAME',
            'OBJECT',
            'EMBED',
            'FORM',
            'INPUT',
            'TEXTAREA',
            'SVG',
            'MATH',
            'TEMPLATE',
            'LINK',
            'META',
            'BASE',
          ].includes(child.tagName.toUpperCase())
        ) {
          child.remove();
          continue;
        }
        walk(child);
        child.replaceWith(...Array.from(child.childNodes));
        continue;
      }
      const allowed = ATTRS[child.tagName] ?? new Set<string>();
      for (const attr of Array.from(child.attributes)) {
        const name = attr.name.toLowerCase();
        const keep =
          allowed.has(name) &&
          (name === 'src'
            ? SAFE_IMG.test(attr.value.trim())
            : name === 'href'
              ? SAFE_URL.test(attr.value.trim())
              : true);
        if (!keep) child.removeAttribute(attr.name);
      }
      if (child.tagName === 'A') {
        child.setAttribute('rel', 'noopener noreferrer nofollow');
        child.setAttribute('target', '_blank');
      }
      walk(child);
    }
  };
  walk(doc.body);
  return doc.body.innerHTML;
}
