import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from './app-error.js';
import type { Logger } from '../logging/logger.js';

/** Turns a zod failure into our error shape, naming the first offending field and the rule. */
export function fromZod(err: ZodError): AppError {
  const first = err.issues[0];
  const field = first?.path.join('.') || undefined;
  const problems = err.issues.slice(0, 20).map((i) => ({ field: i.path.join('.'), rule: i.code, message: i.message }));
  return new AppError(400, 'VALIDATION_FAILED', `${field ?? 'body'}: ${first?.message ?? 'invalid'}`, field, problems);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (err instanceof ZodError) appErr = fromZod(err);
    else if (err?.type === 'entity.parse.failed') appErr = new AppError(400, 'INVALID_JSON', 'Request body is not valid JSON', 'body');
    else if (err?.type === 'entity.too.large') appErr = new AppError(413, 'BODY_TOO_LARGE', 'Request body is too large', 'body');
    else {
      logger.error('unhandled error', { err: err instanceof Error ? err.stack ?? err.message : String(err) });
      appErr = new AppError(500, 'INTERNAL', 'Internal error; the request may be retried with the same Idempotency-Key');
    }
    res.status(appErr.status).json(appErr.toJSON());
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
};
