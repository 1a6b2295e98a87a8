import { describe, expect, it } from 'vitest';
import { ApiError, codeForStatus, fieldErrorsOf, parseErrorBody, toQueryString } from './api.ts';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });

describe('parseErrorBody', () => {
  it('keeps the code, message and details of our error envelope', () => {
    const e = parseErrorBody(401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail address or password' } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('invalid_credentials');
    expect(e.status).toBe(401);
    expect(e.message).toBe('Wrong e-mail address or password');
  });

  it('takes the request id of an internal error', () => {
    const e = parseErrorBody(500, { error: { code: 'internal', message: 'An unexpected error occurred', requestId: '01J-abc' } });
    expect(e.code).toBe('internal');
    expect(e.requestId).toBe('01J-abc');
  });

  it('falls back on the x-request-id header for the request id', () => {
    expect(parseErrorBody(500, undefined, headers({ 'x-request-id': 'req-42' })).requestId).toBe('req-42');
  });

  it('reads retryAfterSeconds from the details, else from Retry-After', () => {
    expect(parseErrorBody(429, { error: { code: 'too_many_requests', message: 'x', details: { retryAfterSeconds: 42 } } }).retryAfterSeconds).toBe(42);
    expect(parseErrorBody(429, { error: { code: 'too_many_requests', message: 'x' } }, headers({ 'retry-after': '17' })).retryAfterSeconds).toBe(17);
    expect(parseErrorBody(429, { error: { code: 'too_many_requests', message: 'x' } }).retryAfterSeconds).toBeUndefined();
  });

  it('derives a code from the status when the body is not ours', () => {
    expect(parseErrorBody(502, undefined).code).toBe('unavailable');
    expect(parseErrorBody(404, '<html>').code).toBe('not_found');
    expect(parseErrorBody(500, { error: { code: 'something_new', message: 'x' } }).code).toBe('internal');
    expect(parseErrorBody(403, { error: { code: 'network', message: 'x' } }).code).toBe('forbidden');
  });

  it('maps statuses to codes', () => {
    expect([400, 401, 403, 404, 409, 413, 415, 429, 500, 503, 418].map(codeForStatus)).toEqual([
      'bad_request',
      'unauthenticated',
      'forbidden',
      'not_found',
      'conflict',
      'payload_too_large',
      'unsupported_media_type',
      'too_many_requests',
      'internal',
      'unavailable',
      'bad_request',
    ]);
  });
});

describe('fieldErrorsOf', () => {
  it('strips the request part from validation paths and keeps the first problem per field', () => {
    const e = parseErrorBody(400, {
      error: {
        code: 'validation_failed',
        message: 'body.email: Invalid email address',
        details: [
          { path: 'body.email', message: 'Invalid email address', code: 'invalid_format' },
          { path: 'body.email', message: 'second problem' },
          { path: 'body.roles.0', message: 'Invalid option' },
          { path: 'query.page', message: 'Too small' },
          { nonsense: true },
        ],
      },
    });
    expect(fieldErrorsOf(e)).toEqual({ email: 'Invalid email address', 'roles.0': 'Invalid option', page: 'Too small' });
  });

  it('is empty for other errors', () => {
    expect(fieldErrorsOf(parseErrorBody(409, { error: { code: 'conflict', message: 'x', details: [{ path: 'body.email', message: 'taken' }] } }))).toEqual({});
  });
});

describe('toQueryString', () => {
  it('leaves out empty values and repeats arrays', () => {
    expect(toQueryString({ page: 2, search: '', role: undefined, status: null, sort: '-createdAt', ids: ['a', 'b'] })).toBe('?page=2&sort=-createdAt&ids=a&ids=b');
    expect(toQueryString({})).toBe('');
    expect(toQueryString({ q: 'a&b c' })).toBe('?q=a%26b+c');
  });
});
