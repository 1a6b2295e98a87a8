/**
 * The one HTTP client of the web app: JSON in and out, the session cookie
 * (same origin), the CSRF header on changes, and every failure turned into a
 * typed ApiError whose `code` comes from the server's catalogue of stable codes
 * (src/core/errors.ts). The UI translates by code (`errors.<code>`), never by
 * the English `message`.
 */

/** Codes the server sends, plus `network` for a request that never got an answer. */
export const errorCodes = [
  'validation_failed',
  'bad_request',
  'unauthenticated',
  'invalid_credentials',
  'totp_invalid',
  'second_factor_required',
  'forbidden',
  'csrf_failed',
  'account_disabled',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'internal',
  'unavailable',
  'network',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

const knownCodes: ReadonlySet<string> = new Set(errorCodes);
export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && knownCodes.has(value);

/** One problem with one input, as listed by a `validation_failed` answer. */
export type FieldProblem = { path: string; message: string; code?: string };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(code: ErrorCode, message: string, options: { status: number; details?: unknown; requestId?: string | undefined }) {
    super(message);
    this.code = code;
    this.status = options.status;
    this.details = options.details;
    this.requestId = options.requestId;
  }

  /** For `too_many_requests`: how long to wait, from the details or the Retry-After header. */
  get retryAfterSeconds(): number | undefined {
    const d = this.details;
    if (d && typeof d === 'object' && 'retryAfterSeconds' in d) {
      const n = Number((d as { retryAfterSeconds: unknown }).retryAfterSeconds);
      if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
    }
    return undefined;
  }

  /** For `validation_failed`: the problems, one per input. */
  get fieldProblems(): FieldProblem[] {
    if (this.code !== 'validation_failed' || !Array.isArray(this.details)) return [];
    return this.details.flatMap((item): FieldProblem[] => {
      if (!item || typeof item !== 'object') return [];
      const { path, message, code } = item as Record<string, unknown>;
      if (typeof path !== 'string' || typeof message !== 'string') return [];
      return [{ path, message, ...(typeof code === 'string' ? { code } : {}) }];
    });
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** Fallback code for an answer that does not carry one of ours (a proxy page, a crash). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 422) return 'validation_failed';
  if (status === 429) return 'too_many_requests';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return status >= 500 ? 'internal' : 'bad_request';
}

/**
 * Turns a failed answer into an ApiError. Pure, so it is unit-tested:
 * `body` is the parsed JSON (or undefined when the body was not JSON).
 */
export function parseErrorBody(status: number, body: unknown, headers?: { get(name: string): string | null }): ApiError {
  const envelope = body && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : undefined;
  const e = envelope && typeof envelope === 'object' ? (envelope as Record<string, unknown>) : undefined;
  const code = isErrorCode(e?.code) && e.code !== 'network' ? e.code : codeForStatus(status);
  const message = typeof e?.message === 'string' ? e.message : `HTTP ${status}`;
  const requestId = typeof e?.requestId === 'string' ? e.requestId : (headers?.get('x-request-id') ?? undefined);
  let details = e?.details;
  if (code === 'too_many_requests') {
    const header = headers?.get('retry-after');
    const fromHeader = header !== null && header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    const hasDetail = details && typeof details === 'object' && 'retryAfterSeconds' in details;
    if (!hasDetail && fromHeader !== undefined) details = { ...(details && typeof details === 'object' ? details : {}), retryAfterSeconds: fromHeader };
  }
  return new ApiError(code, message, { status, details, requestId });
}

/** Field errors keyed by form path: `body.email` → `email`, `body.roles.0` → `roles.0`. */
export function fieldErrorsOf(error: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of error.fieldProblems) {
    const path = p.path.replace(/^(body|query|params|querystring)(\.|$)/, '');
    if (path && !(path in out)) out[path] = p.message;
  }
  return out;
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

/** `?a=1&b=x`, leaving out empty values. */
export function toQueryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue;
      params.append(key, String(v));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestOptions = {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat a 401 `unauthenticated` as "the session ended" (the session probe itself). */
  expectUnauthenticated?: boolean;
};

type ClientState = {
  csrfToken: string | null;
  locale: string;
  onUnauthenticated: (() => void) | null;
  onSecondFactorRequired: (() => void) | null;
};
const state: ClientState = { csrfToken: null, locale: 'en', onUnauthenticated: null, onSecondFactorRequired: null };

/** Set from every SessionInfo the app receives; sent on POST/PUT/PATCH/DELETE. */
export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}
/** Sent as Accept-Language so the server may localise what it writes. */
export function setRequestLocale(locale: string): void {
  state.locale = locale;
}
/** Called when any call answers 401 `unauthenticated`: the session is gone. */
export function onUnauthenticated(handler: (() => void) | null): void {
  state.onUnauthenticated = handler;
}
/** Called when a call answers 401 `second_factor_required`: the session needs its second step. */
export function onSecondFactorRequired(handler: (() => void) | null): void {
  state.onSecondFactorRequired = handler;
}

const unsafe = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': state.locale };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (unsafe.has(method) && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;

  let response: Response;
  try {
    response = await fetch(path + toQueryString(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('network', cause instanceof Error ? cause.message : 'Network error', { status: 0 });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;

  const error = parseErrorBody(response.status, body, response.headers);
  if (error.code === 'unauthenticated' && !options.expectUnauthenticated) state.onUnauthenticated?.();
  if (error.code === 'second_factor_required') state.onSecondFactorRequired?.();
  throw error;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** A path segment from user data, escaped. */
export const seg = (value: string) => encodeURIComponent(value);
