import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, errorBody, pickLang, type ErrorCode } from '../errors/index.ts';

/**
 * The one place failures become HTTP answers: `{ code, message }` with the message in
 * the caller's language. Unexpected errors are logged and answered with INTERNAL — never
 * a stack trace.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (error instanceof AppError) {
      return reply.status(error.status).send(errorBody(error.code, lang, error.details));
    }
    const fe = error as FastifyError;
    if (fe.validation) {
      const fields = fe.validation.map((v) => ({
        field: `${fe.validationContext ?? 'body'}${v.instancePath || ''}${
          v.keyword === 'required'
            ? `/${String((v.params as { missingProperty?: string }).missingProperty)}`
            : v.keyword === 'additionalProperties'
              ? `/${String((v.params as { additionalProperty?: string }).additionalProperty)}`
              : ''
        }`.replace(/\//g, '.'),
        reason: v.message ?? v.keyword,
      }));
      return reply.status(400).send(errorBody('VALIDATION_FAILED', lang, { fields }));
    }
    const status = fe.statusCode ?? 500;
    if (status < 500) {
      const code: ErrorCode =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : status === 404
              ? 'NOT_FOUND'
              : status === 429
                ? 'RATE_LIMITED'
                : 'BAD_REQUEST';
      return reply.status(status).send(errorBody(code, lang));
    }
    req.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('INTERNAL', lang));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(errorBody('NOT_FOUND', pickLang(req.headers['accept-language'])));
  });
}
