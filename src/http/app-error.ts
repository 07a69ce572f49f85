/**
 * The one error type a client sees. `code` is stable (documented in README's error list), `field`
 * names the offending input, `status` is the HTTP status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.details ? { details: this.details } : {}) } };
  }
}

export const badRequest = (code: string, message: string, field?: string, details?: unknown) =>
  new AppError(400, code, message, field, details);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
