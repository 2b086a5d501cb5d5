import type { FastifyInstance } from 'fastify';

/**
 * Makes every request body in this Fastify scope arrive as the raw Buffer.
 *
 * Payment notifications are signed over their exact bytes; a parsed-then-re-serialized
 * JSON body (other spacing, key order, escaping) fails verification — or worse, a
 * lenient check would accept a body the provider never sent. Register the notify routes
 * in their own scope and call this first:
 *
 * @example
 * app.register(async (scope) => {
 *   acceptRawBodies(scope);
 *   scope.post('/payments/:provider/notify', async (req, reply) => {
 *     const result = await provider.verifyNotification({ rawBody: req.body as Buffer, headers: req.headers }, expect);
 *     return reply.code(result.ack.status).type(result.ack.contentType).send(result.ack.body);
 *   });
 * });
 */
export function acceptRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
}
