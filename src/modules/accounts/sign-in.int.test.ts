import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, rowCount, sessionsOf } from '../../test/expect.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

/** Each test starts with fresh throttle windows (the IP counter is shared by every test here: all come from 127.0.0.1). */
const freshWindow = () => env.clock.advance(16 * 60);

const throttleRow = (key: string) => env.ctx.database.db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();

describe('sign-in', () => {
  it('signs in with the right password and reads the session', async () => {
    const user = await makeUser(env, { roles: ['trainer'] });
    const client = new TestClient(env.baseUrl);
    const res = await client.signIn(user.email);
    expect(res.body.stage).toBe('active');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/);
    const session = await client.get('/api/auth/session');
    expect(session.status).toBe(200);
    expect(session.body.user.email).toBe(user.email);
    expect(session.body.user.roles).toEqual(['trainer']);
    const row = (await sessionsOf(env, user.id))[0]!;
    expect(row.stage).toBe('active');
    // Only the hash of the cookie is stored.
    expect(client.cookie).not.toContain(row.token_hash);
  });

  it('shows the sign-in before the current one, none the first time', async () => {
    const user = await makeUser(env);
    const first = await new TestClient(env.baseUrl).signIn(user.email);
    expect(first.body.session.user.previousSignInAt).toBeNull();
    env.clock.advance(3600);
    const second = await new TestClient(env.baseUrl).signIn(user.email);
    expect(second.body.session.user.previousSignInAt).toBe(first.body.session.user.lastSignInAt);
    expect(second.body.session.user.lastSignInAt).not.toBe(first.body.session.user.lastSignInAt);
  });

  it('accepts the e-mail address in any case and with surrounding spaces', async () => {
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    const res = await client.post('/api/auth/sign-in', { email: user.email.toUpperCase(), password: testPassword });
    expect(res.status).toBe(200);
    expect(res.body.session.user.id).toBe(user.id);
  });

  it('refuses a wrong password and an unknown account with the same answer', async () => {
    freshWindow();
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    const wrong = await client.post('/api/auth/sign-in', { email: user.email, password: 'not the password' });
    const unknown = await client.post('/api/auth/sign-in', { email: 'nobody@example.org', password: testPassword });
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
    expect(client.cookie).toBeUndefined();
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await sessionsOf(env, user.id)).toEqual([]);
  });

  it('locks an account after too many failures, even for the right password, until the lock passes', async () => {
    freshWindow();
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    for (let i = 0; i < env.ctx.config.login.maxFailuresPerAccount; i++) {
      expectError(await client.post('/api/auth/sign-in', { email: user.email, password: `wrong ${i}` }), 401, 'invalid_credentials');
    }
    const locked = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expectError(locked, 429, 'too_many_requests');
    const lockSeconds = env.ctx.config.login.lockSeconds;
    expect(locked.body.error.details).toEqual({ retryAfterSeconds: lockSeconds });
    expect(locked.headers.get('retry-after')).toBe(String(lockSeconds));
    expect(locked.body.error.message).toContain(`Try again in ${lockSeconds} s`);
    expect(await sessionsOf(env, user.id)).toEqual([]);

    // The wait shrinks as time passes.
    env.clock.advance(lockSeconds - 10);
    const later = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expectError(later, 429, 'too_many_requests');
    expect(later.body.error.details.retryAfterSeconds).toBe(10);
    expect(later.headers.get('retry-after')).toBe('10');

    env.clock.advance(11);
    const ok = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expect(ok.status).toBe(200);
    // A success clears the account's count.
    expect(await throttleRow(`account:${user.email}`)).toBeUndefined();
  });

  it('locks an unknown account like a known one, so that locking reveals nothing', async () => {
    freshWindow();
    const client = new TestClient(env.baseUrl);
    for (let i = 0; i < env.ctx.config.login.maxFailuresPerAccount; i++) {
      expectError(await client.post('/api/auth/sign-in', { email: 'ghost@example.org', password: `guess ${i}` }), 401, 'invalid_credentials');
    }
    expectError(await client.post('/api/auth/sign-in', { email: 'ghost@example.org', password: 'guess' }), 429, 'too_many_requests');
  });

  it('doubles the lock when failures go on after it', async () => {
    freshWindow();
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    const { maxFailuresPerAccount: max, lockSeconds } = env.ctx.config.login;
    for (let i = 0; i < max; i++) await client.post('/api/auth/sign-in', { email: user.email, password: 'wrong' });
    env.clock.advance(lockSeconds + 1);
    expectError(await client.post('/api/auth/sign-in', { email: user.email, password: 'wrong again' }), 401, 'invalid_credentials');
    const locked = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expectError(locked, 429, 'too_many_requests');
    expect(locked.body.error.details.retryAfterSeconds).toBe(lockSeconds * 2);
  });

  it('counts every failure of a burst of parallel guesses and stops the burst at the limit', async () => {
    freshWindow();
    const user = await makeUser(env);
    const max = env.ctx.config.login.maxFailuresPerAccount;
    const burst = 16;
    const replies = await Promise.all(
      Array.from({ length: burst }, (_, i) => new TestClient(env.baseUrl).post('/api/auth/sign-in', { email: user.email, password: `parallel guess ${i}` })),
    );
    const refused = replies.filter((r) => r.status === 401);
    const throttled = replies.filter((r) => r.status === 429);
    expect(refused.length + throttled.length).toBe(burst);
    // No failure is lost to a race between parallel requests...
    expect((await throttleRow(`account:${user.email}`))?.failures).toBe(refused.length);
    // ...and guesses whose (slow) password check ends after the account was locked are refused as locked.
    expect(refused.length).toBeGreaterThanOrEqual(max);
    expect(refused.length).toBeLessThan(burst);
    expectError(await new TestClient(env.baseUrl).post('/api/auth/sign-in', { email: user.email, password: testPassword }), 429, 'too_many_requests');
  });

  it('refuses a disabled account with account_disabled, but only once the password is right', async () => {
    freshWindow();
    const user = await makeUser(env, { status: 'disabled' });
    const client = new TestClient(env.baseUrl);
    expectError(await client.post('/api/auth/sign-in', { email: user.email, password: 'not the password' }), 401, 'invalid_credentials');
    const res = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expectError(res, 403, 'account_disabled');
    expect(client.cookie).toBeUndefined();
    expect(await sessionsOf(env, user.id)).toEqual([]);
  });

  it("ends a user's sessions and API tokens when an administrator disables the account", async () => {
    const user = await makeUser(env);
    const browser = new TestClient(env.baseUrl);
    await browser.signIn(user.email);
    const other = new TestClient(env.baseUrl);
    await other.signIn(user.email);
    const created = await browser.post('/api/me/tokens', { name: 'script', scopes: ['read'], expiresInDays: 30 });
    expect(created.status).toBe(201);
    const api = new TestClient(env.baseUrl);
    api.bearer = created.body.token;
    expect((await api.get('/api/me')).status).toBe(200);

    const admin = await adminClient(env);
    const disabled = await admin.patch(`/api/users/${user.id}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('disabled');

    expectError(await browser.get('/api/me'), 401, 'unauthenticated');
    expectError(await other.get('/api/me'), 401, 'unauthenticated');
    expectError(await api.get('/api/me'), 401, 'unauthenticated');
    expect((await sessionsOf(env, user.id)).every((s) => s.revoked_at !== null)).toBe(true);
    expectError(await new TestClient(env.baseUrl).post('/api/auth/sign-in', { email: user.email, password: testPassword }), 403, 'account_disabled');
  });

  it('validates the sign-in body and writes nothing', async () => {
    const before = await rowCount(env, 'audit_log');
    const client = new TestClient(env.baseUrl);
    const noEmail = await client.post('/api/auth/sign-in', { password: testPassword });
    expectError(noEmail, 400, 'validation_failed');
    expect(noEmail.body.error.message).toMatch(/^body\.email/);
    const extra = await client.post('/api/auth/sign-in', { email: 'a@example.org', password: 'x', remember: true });
    expectError(extra, 400, 'validation_failed');
    expect(extra.body.error.message).toContain('remember');
    expectError(await client.request('POST', '/api/auth/sign-in', '{"email":"a@example.org",'), 400, 'bad_request');
    expect(await rowCount(env, 'audit_log')).toBe(before);
  });

  it('accepts only JSON, so that a cross-site form cannot sign a victim in to another account', async () => {
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    const body = JSON.stringify({ email: user.email, password: testPassword });
    expectError(await client.request('POST', '/api/auth/sign-in', body, { 'content-type': 'text/plain' }), 400, 'validation_failed');
    expectError(await client.request('POST', '/api/auth/sign-in', `email=${encodeURIComponent(user.email)}&password=x`, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expect(client.cookie).toBeUndefined();
    expect(await sessionsOf(env, user.id)).toEqual([]);
  });
});

describe('sign-in throttling per IP address', () => {
  let ipEnv: TestEnv;
  beforeAll(async () => {
    ipEnv = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
  });
  afterAll(async () => ipEnv?.close());

  it('locks the address after failures on different accounts, then lets it in again', async () => {
    const user = await makeUser(ipEnv);
    const client = new TestClient(ipEnv.baseUrl);
    for (const email of ['one@example.org', 'two@example.org', 'three@example.org']) {
      expectError(await client.post('/api/auth/sign-in', { email, password: 'guess' }), 401, 'invalid_credentials');
    }
    // A fourth, untouched account with the right password is refused from this address.
    const locked = await client.post('/api/auth/sign-in', { email: user.email, password: testPassword });
    expectError(locked, 429, 'too_many_requests');
    expect(locked.body.error.details.retryAfterSeconds).toBe(ipEnv.ctx.config.login.lockSeconds);
    expect(Number(locked.headers.get('retry-after'))).toBe(ipEnv.ctx.config.login.lockSeconds);
    expect(await sessionsOf(ipEnv, user.id)).toEqual([]);

    ipEnv.clock.advance(ipEnv.ctx.config.login.lockSeconds + 1);
    expect((await client.post('/api/auth/sign-in', { email: user.email, password: testPassword })).status).toBe(200);
  });
});
