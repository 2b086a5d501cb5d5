/**
 * Alipay signs the response node exactly as it appears in the response text, e.g. the
 * `{…}` after `"alipay_trade_query_response":`. Re-serializing a parsed object changes
 * escapes and spacing, so we locate the raw substring of each top-level member instead.
 */

/** Raw text of each top-level member of a JSON object; null if `text` is not an object. */
export function topLevelRawMembers(text: string): Map<string, string> | null {
  const members = new Map<string, string>();
  let i = skipWs(text, 0);
  if (text[i] !== '{') return null;
  i = skipWs(text, i + 1);
  if (text[i] === '}') return members;
  for (;;) {
    if (text[i] !== '"') return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return null;
    }
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return null;
    const valueStart = skipWs(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return null;
    members.set(String(key), text.slice(valueStart, valueEnd));
    i = skipWs(text, valueEnd);
    if (text[i] === ',') {
      i = skipWs(text, i + 1);
      continue;
    }
    return text[i] === '}' ? members : null;
  }
}

function skipWs(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i += 1;
  return i;
}

/** Index just past the string starting at `i` (which is a quote), or -1. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    if (text[j] === '\\') j += 1;
    else if (text[j] === '"') return j + 1;
  }
  return -1;
}

function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const c = text[j];
      if (c === '"') {
        j = skipString(text, j) - 1;
        if (j < 0) return -1;
      } else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && !',}] \t\r\n'.includes(text[j] as string)) j += 1;
  return j > i ? j : -1;
}
