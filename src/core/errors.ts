// One catalogue of stable error codes. The web app translates by code; API
// clients can rely on codes never changing meaning.
export const errorCatalogue = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  totp_invalid: 401,
  second_factor_required: 401,
  forbidden: 403,
  csrf_failed: 403,
  account_disabled: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>> | undefined;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    this.status = errorCatalogue[code];
    this.details = details;
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', message);
export const conflict = (message: string, details?: ErrorDetails) => new AppError('conflict', message, details);
export const badRequest = (message: string, details?: ErrorDetails) => new AppError('bad_request', message, details);

export function validationError(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, [{ path: field, message }]);
}
