import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanStyle } from '@fanli/web-common/description-policy.ts';
import { sanitizeHtml } from './description-html.ts';
import { VECTORS, assertInert, hostileHtml } from '@fanli/web-common/description-policy.corpus.ts';

describe('sanitizeHtml: known XSS vectors', () => {
  for (const vector of VECTORS) {
    it(`neutralises ${JSON.stringify(vector).slice(0, 90)}`, () => {
      const out = sanitizeHtml(vector);
      assertInert(out);
      // sanitizing the output again changes nothing (a stable, well-formed result)
      expect(sanitizeHtml(out)).toBe(out);
    });
  }

  it('gives the expected result for some vectors', () => {
    expect(sanitizeHtml('<p onclick="x()">Hi<script>alert(1)</script></p>')).toBe('<p>Hi</p>');
    expect(sanitizeHtml('<img src=x onerror=alert(1)>')).toBe('<img>');
    expect(sanitizeHtml('<a href="jav&#x09;ascript:alert(1)">x</a>')).toBe(
      '<a rel="noopener noreferrer">x</a>',
    );
    expect(sanitizeHtml('<svg onload=alert(1)>hidden</svg>after')).toBe('after');
    expect(sanitizeHtml('<iframe src="x">inside</iframe>after')).toBe('after');
    expect(sanitizeHtml('<DIV><P>Upper</P></DIV>')).toBe('<p>Upper</p>');
    expect(sanitizeHtml('<scr<script>ipt>alert(1)</scr</script>ipt>')).toBe(
      'ipt&gt;alert(1)ipt&gt;',
    );
    expect(sanitizeHtml('<p title="x" <img src=x onerror=alert(1)>')).toBe('<p></p>');
    expect(sanitizeHtml('<img alt="a>b" src="x" onerror="alert(1)">')).toBe('<img alt="a&gt;b">');
    // misnested tags are read as a browser reads them
    expect(sanitizeHtml('<b><i>x</b>y')).toBe('<b><i>x</i></b><i>y</i>');
    expect(sanitizeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(sanitizeHtml('<p>unclosed <img src="https://x.example/a.png" alt="ok')).toBe(
      '<p>unclosed </p>',
    );
    expect(sanitizeHtml('<!-->visible')).toBe('visible');
  });
});

describe('sanitizeHtml: what merchants write survives', () => {
  it('keeps allowed markup, safe links and images', () => {
    const ok =
      '<h2>规格</h2><p>纯棉 <strong>加厚</strong> <em>舒适</em></p><ul><li>一</li><li>二</li></ul>' +
      '<ol start="3"><li>三</li></ol><blockquote>好评</blockquote><br>' +
      '<table><thead><tr><th colspan="2">尺码</th></tr></thead><tbody><tr><td>L</td><td>XL</td></tr></tbody></table>';
    expect(sanitizeHtml(ok)).toBe(ok);
    expect(
      sanitizeHtml('<a href="https://shop.example/x?a=1&amp;b=2" target="_blank">看看</a>'),
    ).toBe(
      '<a href="https://shop.example/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">看看</a>',
    );
    expect(sanitizeHtml('<a href="https://x.example/" rel="opener">x</a>')).toBe(
      '<a href="https://x.example/" rel="noopener noreferrer">x</a>',
    );
    const upload = `/uploads/${'a'.repeat(64)}.png`;
    expect(sanitizeHtml(`<img src="${upload}" alt="图" width="300">`)).toBe(
      `<img src="${upload}" alt="图" width="300">`,
    );
    expect(sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe(
      '<img src="data:image/png;base64,iVBORw0KGgo=">',
    );
    expect(sanitizeHtml('<img src="http://cdn.example/a.jpg">')).toBe(
      '<img src="http://cdn.example/a.jpg">',
    );
  });

  it('keeps what entity references in text mean', () => {
    // escaped markup stays text and `&nbsp;` stays visible for the next edit; other
    // references are written as the characters they stand for
    expect(sanitizeHtml('<p>&lt;script&gt; &amp; &nbsp;&copy; &#20013;&#x6587; 5&euro;</p>')).toBe(
      '<p>&lt;script&gt; &amp; &nbsp;© 中文 5€</p>',
    );
    expect(sanitizeHtml('<p>AT&T</p>')).toBe('<p>AT&amp;T</p>');
  });

  it('keeps simple styles and drops the rest of a style', () => {
    expect(sanitizeHtml('<span style="color: #f00; font-weight: bold">x</span>')).toBe(
      '<span style="color: #f00; font-weight: bold">x</span>',
    );
    expect(
      sanitizeHtml('<p style="text-align:center;position:fixed;background:url(x)">x</p>'),
    ).toBe('<p style="text-align: center">x</p>');
    expect(cleanStyle('color: rgb(1, 2, 3)')).toBe('color: rgb(1, 2, 3)');
    expect(cleanStyle('color: red !important')).toBe('');
    expect(cleanStyle('width: expression(alert(1))')).toBe('');
    expect(cleanStyle('color: \\72 ed')).toBe('');
  });

  it('removes unknown tags but keeps their text', () => {
    expect(sanitizeHtml('<div><font color="red">红</font><h5>五</h5></div>')).toBe('红五');
    expect(sanitizeHtml('<table><colgroup><col span="2"></colgroup></table>')).toBe(
      '<table><colgroup><col span="2"></colgroup></table>',
    );
  });

  it('decodes references in URLs before checking them, with or without semicolons', () => {
    expect(sanitizeHtml('<a href="&#106&#x61;vascript&colon;alert(1)">x</a>')).toBe(
      '<a rel="noopener noreferrer">x</a>',
    );
    // `&copy=` in a query string is not a reference (as browsers read it)
    expect(sanitizeHtml('<a href="http://x.example/?a=1&copy=2">x</a>')).toBe(
      '<a href="http://x.example/?a=1&amp;copy=2" rel="noopener noreferrer">x</a>',
    );
  });
});

describe('sanitizeHtml: properties over arbitrary input', () => {
  it('never lets a script through and is stable', () => {
    fc.assert(
      fc.property(hostileHtml, (input) => {
        const out = sanitizeHtml(input);
        assertInert(out);
        expect(sanitizeHtml(out)).toBe(out);
      }),
      { numRuns: 3000 },
    );
  });
});
