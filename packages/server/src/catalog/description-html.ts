import { type DefaultTreeAdapterTypes as Tree, parse, serialize } from 'parse5';
import sanitize from 'sanitize-html';
import {
  allowedAttributes,
  asPage,
  DESCRIPTION_TAGS,
  DROPPED_WITH_CONTENT,
  MAX_DEPTH,
  VOID_TAGS,
} from '@fanli/web-common/description-policy.ts';

export { isAllowedImageUrl } from '@fanli/web-common/description-policy.ts';

const OPTIONS: sanitize.IOptions = {
  allowedTags: Object.keys(DESCRIPTION_TAGS),
  allowedAttributes: Object.fromEntries(
    Object.entries(DESCRIPTION_TAGS).map(([tag, attrs]) => [
      tag,
      [...attrs, 'style', ...(tag === 'a' ? ['rel'] : [])],
    ]),
  ),
  // the policy checks every URL itself; these are sanitize-html's own second guard
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [...DROPPED_WITH_CONTENT],
  nestingLimit: MAX_DEPTH,
  selfClosing: VOID_TAGS,
  // the policy's cleanStyle has already reduced `style` to simple declarations
  parseStyleAttributes: false,
  transformTags: {
    '*': (tagName, attribs) => ({ tagName, attribs: allowedAttributes(tagName, attribs) }),
  },
  // a merchant's `&nbsp;` stays visible as such when the description is edited again
  textFilter: (text) => text.replace(/\u00a0/g, '&nbsp;'),
};

/**
 * Sanitizes a product description to the shared allow-list (`web-common/src/description-policy.ts`)
 * on its way into the database. parse5 first reads the input the way a browser does (the
 * HTML standard's parser: misnested and unclosed tags end up where a browser puts them),
 * then sanitize-html keeps only what the policy allows. The result is re-serialized
 * markup: text escaped, attribute values quoted, every element closed.
 *
 * @example
 * sanitizeHtml('<p onclick="x()">Hi<script>alert(1)</script></p>') // '<p>Hi</p>'
 */
export function sanitizeHtml(input: string): string {
  // parsed as DOMParser parses it in the browser (scripting off: <noscript> holds markup)
  const doc = parse(asPage(input), { scriptingEnabled: false });
  const html = child(doc, 'html');
  const body = html && child(html, 'body');
  if (!body) return '';
  // void elements written as HTML writes them (`<br>`, not sanitize-html's `<br />`): the
  // output escapes every `>` in text and attribute values, so ` />` only ends a tag
  return sanitize(serialize(body), OPTIONS).replace(/ \/>/g, '>');
}

function child(node: Tree.ParentNode, name: string): Tree.Element | undefined {
  return node.childNodes.find((n): n is Tree.Element => n.nodeName === name);
}
