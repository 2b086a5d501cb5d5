/**
 * Product images the page may load. The server's CSP allows images from the shop itself
 * and data:/blob: URLs only (`img-src 'self' data: blob:`), so any other address would be
 * blocked by the browser anyway: show the placeholder instead of a broken image.
 */
export function shownImage(src: string | null | undefined): string | null {
  if (!src) return null;
  if (src.startsWith('data:image/') || src.startsWith('blob:')) return src;
  if (src.startsWith('/') && !src.startsWith('//')) return src;
  try {
    return new URL(src).origin === window.location.origin ? src : null;
  } catch {
    return null;
  }
}
