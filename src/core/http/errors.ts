import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorCatalogue, type ErrorCode } from '../errors.ts';

type Body = { error: { code: ErrorCode; message: string; details?: unknown; requestId?: string } };

function fromFramework(error: FastifyError): AppError | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const details = error.validation.map((v) => {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      return { path, message: v.message ?? 'invalid', code: v.keyword };
    });
    const first = details[0];
    return new AppError('validation_failed', first ? `${first.path}: ${first.message}` : 'Invalid request', details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Unsupported content type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'body: a JSON body is required');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 'body: malformed JSON');
  }
  if (error instanceof SyntaxError || error.statusCode === 400) return new AppError('bad_request', `body: ${error.message}`);
  switch (error.statusCode) {
    case 403:
      return new AppError('forbidden', 'Forbidden');
    case 404:
      return new AppError('not_found', 'Not found');
    case 413:
      return new AppError('payload_too_large', error.message);
    case 415:
      return new AppError('unsupported_media_type', error.message);
    case 429:
      return new AppError('too_many_requests', error.message);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('bad_request', error.message);
  return null;
}

/** Every error leaves in one shape; unknown ones are logged with the request id and answered without internals. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = error instanceof AppError ? error : fromFramework(error);
  if (known) {
    const body: Body = { error: { code: known.code, message: known.message } };
    if (known.details !== undefined) body.error.details = known.details;
    if (known.code === 'too_many_requests' && known.details && 'retryAfterSeconds' in known.details) {
      void reply.header('retry-after', String(known.details.retryAfterSeconds));
    }
    return reply.status(known.status).send(body);
  }
  request.log.error({ err: error }, 'unhandled error');
  const body: Body = { error: { code: 'internal', message: 'An unexpected error occurred', requestId: request.id } };
  return reply.status(errorCatalogue.internal).send(body);
}
