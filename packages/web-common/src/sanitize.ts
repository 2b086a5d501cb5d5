import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import {
  allowedAttributes,
  asPage,
  DESCRIPTION_TAGS,
  DROPPED_WITH_CONTENT,
  LINK_REL,
} from './description-policy.ts';

/**
 * Product descriptions in the browser. The server sanitizes a description before it
 * stores it. This second pass applies the same allow-list (`description-policy.ts`) with
 * DOMPurify, so that what reaches innerHTML can only be plain formatting, safe links and
 * images. DOMPurify parses into an inert document: nothing in it runs or loads while it
 * is walked.
 */
function purifier(onlyLoadableImages: boolean): Purifier {
  const purify = DOMPurify();
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    // the value as written, as the server reads it (DOMPurify hands hooks a trimmed copy)
    const value = node.getAttribute(data.attrName) ?? data.attrValue;
    const kept = allowedAttributes(node.nodeName.toLowerCase(), { [data.attrName]: value });
    const clean = kept[data.attrName];
    if (clean === undefined) data.keepAttr = false;
    else if (onlyLoadableImages && data.attrName === 'src' && !displayableImage(clean))
      data.keepAttr = false;
    else data.attrValue = clean;
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') node.setAttribute('rel', LINK_REL);
  });
  return purify;
}

const CONFIG: Config = {
  ALLOWED_TAGS: Object.keys(DESCRIPTION_TAGS),
  ALLOWED_ATTR: [...new Set(Object.values(DESCRIPTION_TAGS).flat()), 'style'],
  FORBID_CONTENTS: [...DROPPED_WITH_CONTENT],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  KEEP_CONTENT: true,
};

let policyOnly: Purifier | undefined;
let forDisplay: Purifier | undefined;

/**
 * The description policy, exactly as the server applies it: the browser side of
 * `server/src/catalog/description-html.ts`, and what the shared attack corpus tests.
 */
export function sanitizeDescription(html: string): string {
  policyOnly ??= purifier(false);
  return policyOnly.sanitize(asPage(html), CONFIG);
}

/**
 * Images only from this site or inline data: the CSP (`img-src 'self' data: blob:`)
 * blocks any other source, and a blocked load is a console error on every render.
 */
export function displayableImage(src: string): boolean {
  return /^(data:image\/|blob:|\/(?!\/))/i.test(src.trim());
}

/**
 * Inline handler attributes (`onerror=…`) are dropped as text before parsing: Chromium
 * reports a CSP violation for them even in an inert DOMParser document. This is only to
 * keep the console quiet while a merchant types; the policy is the guard.
 */
const HANDLER_ATTR = /[\s/]on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/gi;

/**
 * What the shop's product page and the console's live preview put into innerHTML: the
 * description policy, minus images the page's CSP would not load.
 */
export function sanitizeHtml(html: string): string {
  forDisplay ??= purifier(true);
  return forDisplay.sanitize(asPage(html.replace(HANDLER_ATTR, '')), CONFIG);
}
