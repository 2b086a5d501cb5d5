import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './deps.ts';

export interface WebApp {
  name: 'web-shop' | 'web-admin';
  /** URL prefix, with a trailing slash */
  prefix: string;
  /** the build output directory, with a trailing slash */
  dist: string;
}

export const WEB_APPS: readonly WebApp[] = [
  {
    name: 'web-shop',
    prefix: '/',
    dist: fileURLToPath(new URL('../../../web-shop/dist/', import.meta.url)),
  },
  {
    name: 'web-admin',
    prefix: '/admin/',
    dist: fileURLToPath(new URL('../../../web-admin/dist/', import.meta.url)),
  },
];

/**
 * Serves the built single-page apps: hashed assets are cached for a year, index.html is
 * never cached, and unknown paths under an app fall back to its index.html (client-side
 * routes). API paths are never answered with HTML.
 *
 * The build writes a brotli (`.br`) and a gzip (`.gz`) copy beside each text file
 * (packages/web-common/build/precompress.ts): a browser that accepts one gets it with
 * `Content-Encoding` and the original file's `Content-Type`, brotli first; any other
 * client gets the file itself. Every answer carries `Vary: Accept-Encoding`, so a cache
 * never hands one client's encoding to another.
 */
export async function serveWebApps(app: App, apps: readonly WebApp[] = WEB_APPS): Promise<void> {
  const present = apps.filter((w) => existsSync(`${w.dist}index.html`));
  for (const [i, web] of present.entries()) {
    await app.register(fastifyStatic, {
      root: web.dist,
      prefix: web.prefix,
      decorateReply: i === 0,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      setHeaders: (res, path) => {
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  if (present.length === 0) return;
  const admin = present.find((w) => w.name === 'web-admin');
  const shop = present.find((w) => w.name === 'web-shop');
  if (admin)
    app.get('/admin', { schema: { hide: true } }, (_req, reply) => reply.redirect('/admin/'));
  // The root not-found handler belongs to the error handling (http/errors.ts) and Fastify
  // allows one per prefix, so the SPA fallback is a catch-all GET route instead: exact
  // file routes and API routes win over it in the router.
  const fallback = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '/';
    const html = !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (html && admin && path.startsWith('/admin/'))
      return reply.header('cache-control', 'no-cache').sendFile('index.html', admin.dist);
    if (html && shop)
      return reply.header('cache-control', 'no-cache').sendFile('index.html', shop.dist);
    return reply.status(404).send({
      code: 'NOT_FOUND',
      message: req.headers['accept-language']?.startsWith('en') ? 'Not found' : '找不到该资源',
    });
  };
  app.get('/*', { schema: { hide: true } }, fallback);
  if (admin) app.get('/admin/*', { schema: { hide: true } }, fallback);
}
