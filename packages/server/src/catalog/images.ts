/**
 * What an uploaded file really is, from its first bytes — never from its name or the
 * Content-Type the client claimed. Only raster formats browsers show as images and
 * never run: PNG, JPEG, WebP, GIF. SVG (which can carry script), HTML and anything
 * else is refused.
 */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

export const EXTENSION: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};
export const TYPE_OF_EXTENSION: Record<string, ImageType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * @example
 * sniffImageType(fs.readFileSync('a.png')) // 'image/png'
 * sniffImageType(Buffer.from('<svg onload=…>')) // null
 */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (startsWith(b, PNG)) return 'image/png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) && b.length >= 16)
    return 'image/webp';
  return null;
}

/** Content-Types a client may declare for an image upload (the bytes decide the real type). */
export const DECLARABLE = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/pjpeg',
  'image/webp',
  'image/gif',
  'application/octet-stream',
]);

/**
 * The first file part of a `multipart/form-data` body (what `<input type=file>` and
 * antd's Upload send), without a dependency: its bytes and declared type.
 */
export function firstMultipartFile(
  body: Buffer,
  contentType: string,
): { data: Buffer; contentType: string | null } | null {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  if (!m) return null;
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const delimiter = Buffer.concat([Buffer.from('\r\n'), boundary]);
  let pos = body.indexOf(boundary);
  while (pos !== -1) {
    let start = pos + boundary.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return null; // the closing delimiter
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) return null;
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const end = body.indexOf(delimiter, headerEnd + 4);
    if (end === -1) return null;
    if (/^content-disposition:[^\r\n]*;\s*filename\*?=/im.test(headers)) {
      const type =
        /^content-type:\s*([^\r\n;]+)/im.exec(headers)?.[1]?.trim().toLowerCase() ?? null;
      return { data: body.subarray(headerEnd + 4, end), contentType: type };
    }
    pos = end + 2;
  }
  return null;
}
