import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { makeUser, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError, expectErrorShape, signInAgain } from '../../test/expect.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

const anonymous = () => new TestClient(env.baseUrl);

describe('operations', () => {
  it('answers the health check', async () => {
    const res = await anonymous().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers the readiness check with the database engine', async () => {
    const res = await anonymous().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
  });

  it.runIf(process.env.DATABASE_URL)('keeps serving when PostgreSQL drops idle connections', async () => {
    // Several requests at once leave several idle connections in the pool.
    await Promise.all([1, 2, 3, 4].map(() => anonymous().get('/readyz')));
    // From a connection of its own, end every other connection to this test database.
    const killer = new pg.Client({ connectionString: env.ctx.config.databaseUrl });
    await killer.connect();
    try {
      const killed = await killer.query(
        'select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      expect(Number(killed.rows[0].n)).toBeGreaterThan(0);
    } finally {
      await killer.end();
    }
    // Let the connections' end reach the pool (an unhandled 'error' event would fail the run).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const res = await anonymous().get('/readyz');
    expect(res.status).toBe(200);
  });

  it('publishes an OpenAPI 3 document of the API', async () => {
    const res = await anonymous().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Cybercap API');
    for (const path of ['/api/users', '/api/users/{id}', '/api/organisations', '/api/audit', '/api/me', '/api/me/tokens', '/api/auth/sign-in']) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect(res.body.paths['/api/users'].post.requestBody.content['application/json'].schema.properties.email).toBeDefined();
    expect(res.body.components.securitySchemes).toHaveProperty('bearer');
    // Internal endpoints stay out of it.
    expect(Object.keys(res.body.paths)).not.toContain('/healthz');
  });

  it('sends the security headers, without HSTS when not served over TLS', async () => {
    for (const res of [await anonymous().get('/healthz'), await anonymous().get('/api/me'), await anonymous().get('/api/nothing-here')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers an unknown API route with 404 in the error shape', async () => {
    for (const [method, url] of [['GET', '/api/nothing-here'], ['POST', '/api/users/x/y/z'], ['DELETE', '/api/users']]) {
      const res = await anonymous().request(method!, url!, method === 'POST' ? {} : undefined);
      expectError(res, 404, 'not_found');
      expect(res.body.error.message).toContain(url!.split('?')[0]);
    }
  });

  it('puts a request id on every response, and keeps a well-formed one given by a proxy', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const replies = [
      await anonymous().get('/healthz'),
      await anonymous().get('/api/openapi.json'),
      await anonymous().get('/api/me'),
      await anonymous().get('/api/nothing-here'),
      await client.get('/api/me'),
      await client.patch('/api/me', { displayName: 'x'.repeat(10_000) }),
      await client.request('POST', '/api/me/tokens', '{"name":'),
    ];
    const ids = replies.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[\w.-]{8,64}$/);
    expect(new Set(ids).size).toBe(ids.length);

    const given = await anonymous().request('GET', '/healthz', undefined, { 'x-request-id': 'proxy-1234.abc' });
    expect(given.headers.get('x-request-id')).toBe('proxy-1234.abc');
    const injected = await anonymous().request('GET', '/healthz', undefined, { 'x-request-id': 'bad id\twith spaces' });
    expect(injected.headers.get('x-request-id')).not.toBe('bad id\twith spaces');
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers every client error in the one error shape, without internals', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const cases: Array<[Promise<{ status: number; body: unknown }>, number, string]> = [
      [client.request('PATCH', '/api/me', '{"displayName": "unterminated'), 400, 'bad_request'],
      [client.request('PATCH', '/api/me', ''), 400, 'bad_request'],
      [client.patch('/api/me', { displayName: 12 }), 400, 'validation_failed'],
      [client.patch('/api/me', { displayName: 'x'.repeat(10_000) }), 400, 'validation_failed'],
      [client.patch('/api/me', { displayName: 'Fine', role: 'administrator' }), 400, 'validation_failed'],
      [client.patch('/api/me', []), 400, 'validation_failed'],
      [client.get('/api/users/not-a-uuid'), 400, 'validation_failed'],
      [client.request('PATCH', '/api/me', 'x'.repeat(2 * 1024 * 1024)), 413, 'payload_too_large'],
      [client.request('PATCH', '/api/me', '<displayName/>', { 'content-type': 'application/xml' }), 415, 'unsupported_media_type'],
      [client.get('/api/audit'), 403, 'forbidden'],
      [anonymous().get('/api/me'), 401, 'unauthenticated'],
    ];
    for (const [reply, status, code] of cases) {
      const res = await reply;
      expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({ status, code });
      expectErrorShape(res.body);
    }
    const malformed = await client.request('PATCH', '/api/me', '{"displayName": "unterminated');
    expect(malformed.body.error.message).toMatch(/^body/);
    const typed = await client.patch('/api/me', { displayName: 12 });
    expect(typed.body.error.message).toMatch(/^body\.displayName/);
    expect(typed.body.error.details).toEqual([expect.objectContaining({ path: 'body.displayName' })]);
  });
});

describe('operations behind TLS', () => {
  let tlsEnv: TestEnv;
  beforeAll(async () => {
    tlsEnv = await startTestApp({ PUBLIC_URL: 'https://cybercap.example.org' });
  });
  afterAll(async () => tlsEnv?.close());

  it('adds HSTS and secure cookies when the public URL is https', async () => {
    const res = await new TestClient(tlsEnv.baseUrl).get('/healthz');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const user = await makeUser(tlsEnv);
    const signIn = await new TestClient(tlsEnv.baseUrl).signIn(user.email);
    expect(signIn.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});
