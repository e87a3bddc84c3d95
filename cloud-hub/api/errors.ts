/**
 * HTTP errors: every error leaves the API as {error: {code, message}} with a status derived
 * from its EdgehiveError code; fastify's own errors (validation, bad JSON, body too large) are
 * mapped to EH_BAD_REQUEST; anything else is EH_INTERNAL, logged, with no internals shown.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { EdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';

/** API-only code for failures that are the hub's fault. */
export const INTERNAL_CODE = 'EH_INTERNAL';

const STATUS: Partial<Record<ErrorCode, number>> = {
  EH_BAD_REQUEST: 400,
  EH_CONFIG_INVALID: 400,
  EH_ID_INVALID: 400,
  EH_KEY_INVALID: 400,
  EH_PAYLOAD_INVALID: 400,
  EH_PAYLOAD_NOT_PROTOBUF: 400,
  EH_VALUE_NOT_FINITE: 400,
  EH_STREAM_UNKNOWN: 400,
  EH_SEQ_OUT_OF_RANGE: 400,
  EH_API_UNAUTHORIZED: 401,
  EH_API_FORBIDDEN: 403,
  EH_NOT_FOUND: 404,
  EH_CONFLICT: 409,
  EH_STATE: 409,
  EH_PAYLOAD_TOO_LARGE: 413,
  // A bundle that is not a bundle is a bad request; one that is well-formed but refused on
  // trust, expiry or target grounds, and a deployment that cannot be carried out, are
  // understood but unprocessable.
  EH_BUNDLE_MALFORMED: 400,
  EH_BUNDLE_CHUNK: 400,
  EH_BUNDLE_SIGNATURE: 422,
  EH_BUNDLE_KEY_UNKNOWN: 422,
  EH_BUNDLE_KEY_REVOKED: 422,
  EH_BUNDLE_KEY_EXPIRED: 422,
  EH_BUNDLE_THRESHOLD: 422,
  EH_BUNDLE_TRUST_STALE: 422,
  EH_BUNDLE_EXPIRED: 422,
  EH_BUNDLE_REPLAY: 422,
  EH_BUNDLE_HASH: 422,
  EH_BUNDLE_TARGET: 422,
  EH_BUNDLE_AGENT_TOO_OLD: 422,
  EH_BUNDLE_HEALTH: 422,
  EH_DEPLOYMENT_INVALID: 422,
  EH_PROFILE_UNFIT: 422,
  EH_STORE_FULL: 507,
  EH_STORE_FAILED: 503,
};

export function httpStatus(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export interface ErrorBody { error: { code: string; message: string; details?: unknown } }

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | EdgehiveError | Error, req, reply) => {
    if (err instanceof EdgehiveError) {
      const status = httpStatus(err.code);
      if (status >= 500) req.log.error({ err }, 'request failed');
      const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
      return reply.status(status).send(body);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.status(400).send({ error: { code: 'EH_BAD_REQUEST', message: `request ${fe.validationContext ?? ''} is invalid: ${fe.message}`.replace('  ', ' ') } });
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: fe.statusCode === 413 ? 'EH_PAYLOAD_TOO_LARGE' : 'EH_BAD_REQUEST', message: fe.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: INTERNAL_CODE, message: 'internal error; the hub log has the details' } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'EH_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}; see /api/v1/openapi.json` } });
  });
}
