import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { newTotpSecret, totpNow } from '../../core/auth/totp.ts';
import { adminClient, enrolTotp, expectError, sessionsOf, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
let admin: { email: string };
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'] });
});
afterAll(async () => env?.close());

/** The next 30-second step, so that a new code is due and the last one cannot count as a replay. */
const nextStep = () => env.clock.advance(30);

/** A well-formed code that is not the current one. */
const wrongCode = (secret: string) => (totpNow(secret, env.clock.now()) === '000000' ? '111111' : '000000');

/** A user with the second factor already enrolled, written straight to the database. */
async function userWithTotp(roles: Parameters<typeof makeUser>[1] = {}) {
  const user = await makeUser(env, roles);
  const secret = newTotpSecret();
  await env.ctx.database.db.updateTable('users').set({ totp_secret: secret, totp_enabled: 1 }).where('id', '=', user.id).execute();
  return { ...user, secret };
}

describe('two-factor authentication', () => {
  it('enrols with a code from the authenticator app', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const setup = await client.post('/api/me/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Cybercap:.+\?.*secret=/);
    expect(setup.body.otpauthUri).toContain(`secret=${setup.body.secret}`);
    expect(setup.body.qrSvg).toContain('<svg');
    let row = await userRow(env, user.id);
    expect({ pending: row.totp_pending_secret, enabled: row.totp_enabled, secret: row.totp_secret }).toEqual({ pending: setup.body.secret, enabled: 0, secret: null });

    // A wrong code enables nothing.
    expectError(await client.post('/api/me/totp/enable', { code: wrongCode(setup.body.secret) }), 401, 'totp_invalid');
    expect((await userRow(env, user.id)).totp_enabled).toBe(0);
    const notDigits = await client.post('/api/me/totp/enable', { code: 'abcdef' });
    expectError(notDigits, 400, 'validation_failed');
    expect(notDigits.body.error.message).toMatch(/^body\.code/);

    const enabled = await client.post('/api/me/totp/enable', { code: totpNow(setup.body.secret, env.clock.now()) });
    expect(enabled.status).toBe(200);
    expect(enabled.body.stage).toBe('active');
    expect(enabled.body.user.totpEnabled).toBe(true);
    row = await userRow(env, user.id);
    expect({ pending: row.totp_pending_secret, enabled: row.totp_enabled, secret: row.totp_secret }).toEqual({ pending: null, enabled: 1, secret: setup.body.secret });
    expect((await client.get('/api/me')).body.totpEnabled).toBe(true);
    // Enrolling twice is refused.
    expectError(await client.post('/api/me/totp/setup'), 409, 'conflict');
  });

  it('asks for the code at sign-in and lets nothing else through until it is given', async () => {
    const user = await makeUser(env);
    const setupClient = await signInAgain(env, user.email);
    const secret = await enrolTotp(env, setupClient);
    const usedAtEnrolment = totpNow(secret, env.clock.now());
    expect((await setupClient.post('/api/auth/sign-out')).status).toBe(204);

    const client = new TestClient(env.baseUrl);
    const signIn = await client.signIn(user.email);
    expect(signIn.body.stage).toBe('totp');
    expect(signIn.body.session.permissions).toEqual([]);
    const halfCookie = client.cookie;

    for (const [method, url] of [['GET', '/api/me'], ['GET', '/api/users'], ['GET', '/api/me/tokens'], ['PATCH', '/api/me']] as const) {
      const res = await client.request(method, url, method === 'PATCH' ? { displayName: 'Mallory' } : undefined);
      expectError(res, 401, 'second_factor_required');
      expect(res.body.error.details).toEqual({ stage: 'totp' });
    }
    // The half-signed-in session may read itself and sign out, not enrol again.
    expect((await client.get('/api/auth/session')).body.stage).toBe('totp');
    expectError(await client.post('/api/me/totp/setup'), 401, 'second_factor_required');

    // A wrong code, then the code already spent at enrolment (a replay), are refused.
    expectError(await client.post('/api/auth/second-factor', { code: wrongCode(secret) }), 401, 'totp_invalid');
    expectError(await client.post('/api/auth/second-factor', { code: usedAtEnrolment }), 401, 'totp_invalid');
    expect((await userRow(env, user.id)).display_name).toBe(user.display_name);

    nextStep();
    const code = totpNow(secret, env.clock.now());
    const done = await client.post('/api/auth/second-factor', { code });
    expect(done.status).toBe(200);
    expect(done.body.stage).toBe('active');
    expect(done.body.permissions).toContain('profile.manage');
    expect(client.cookie).not.toBe(halfCookie);
    expect((await client.get('/api/me')).status).toBe(200);

    // The half session was replaced, not upgraded.
    const stale = new TestClient(env.baseUrl);
    stale.cookie = halfCookie;
    expectError(await stale.get('/api/auth/session'), 401, 'unauthenticated');

    // The same code cannot complete another sign-in.
    const again = await signInAgain(env, user.email);
    expectError(await again.post('/api/auth/second-factor', { code }), 401, 'totp_invalid');
    nextStep();
    expect((await again.post('/api/auth/second-factor', { code: totpNow(secret, env.clock.now()) })).status).toBe(200);
  });

  it('accepts the code of the previous step (clock drift) but not older ones', async () => {
    const user = await userWithTotp();
    const client = await signInAgain(env, user.email);
    const old = totpNow(user.secret, new Date(env.clock.now().getTime() - 60_000));
    expectError(await client.post('/api/auth/second-factor', { code: old }), 401, 'totp_invalid');
    const previous = totpNow(user.secret, new Date(env.clock.now().getTime() - 30_000));
    expect((await client.post('/api/auth/second-factor', { code: previous })).status).toBe(200);
  });

  it('gives the code ten minutes, then the half session ends', async () => {
    const user = await userWithTotp();
    const client = await signInAgain(env, user.email);
    env.clock.advance(601);
    expectError(await client.post('/api/auth/second-factor', { code: totpNow(user.secret, env.clock.now()) }), 401, 'unauthenticated');
  });

  it('locks the account after too many wrong codes', async () => {
    env.clock.advance(16 * 60);
    const user = await userWithTotp();
    const client = await signInAgain(env, user.email);
    const right = totpNow(user.secret, env.clock.now());
    const wrong = wrongCode(user.secret);
    for (let i = 0; i < env.ctx.config.login.maxFailuresPerAccount; i++) {
      expectError(await client.post('/api/auth/second-factor', { code: wrong }), 401, 'totp_invalid');
    }
    expectError(await client.post('/api/auth/second-factor', { code: right }), 429, 'too_many_requests');
    expectError(await new TestClient(env.baseUrl).post('/api/auth/sign-in', { email: user.email, password: testPassword }), 429, 'too_many_requests');
    expect((await sessionsOf(env, user.id)).filter((s) => s.stage === 'active')).toEqual([]);
  });

  it('turns off with the password and a current code', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const secret = await enrolTotp(env, client);
    nextStep();
    const code = totpNow(secret, env.clock.now());
    const wrongPassword = await client.post('/api/me/totp/disable', { password: 'not my password', code });
    expectError(wrongPassword, 400, 'validation_failed');
    expect(wrongPassword.body.error.message).toMatch(/^password/);
    expect((await userRow(env, user.id)).totp_enabled).toBe(1);

    expect((await client.post('/api/me/totp/disable', { password: testPassword, code })).status).toBe(204);
    const row = await userRow(env, user.id);
    expect({ enabled: row.totp_enabled, secret: row.totp_secret }).toEqual({ enabled: 0, secret: null });
    const fresh = new TestClient(env.baseUrl);
    expect((await fresh.signIn(user.email)).body.stage).toBe('active');
  });

  it('is enforced for a role: enrolment first, then no way to turn it off', async () => {
    const adminBrowser = await adminClient(env, admin);
    const policy = await adminBrowser.put('/api/security/role-policies/trainer', { requireTotp: true });
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({ role: 'trainer', requireTotp: true });
    expect((await adminBrowser.get('/api/security/role-policies')).body).toContainEqual({ role: 'trainer', requireTotp: true });
    try {
      const trainer = await makeUser(env, { roles: ['trainer'] });
      const client = new TestClient(env.baseUrl);
      const signIn = await client.signIn(trainer.email);
      expect(signIn.body.stage).toBe('enrol');
      expect(signIn.body.session.user.totpRequired).toBe(true);
      expect(signIn.body.session.permissions).toEqual([]);
      const enrolCookie = client.cookie;

      for (const [method, url, body] of [
        ['GET', '/api/me', undefined],
        ['GET', '/api/organisations', undefined],
        ['PATCH', '/api/me', { displayName: 'Trainer' }],
        ['POST', '/api/me/tokens', { name: 'x', scopes: ['read'], expiresInDays: 1 }],
        ['POST', '/api/me/totp/disable', { password: testPassword, code: '123456' }],
      ] as const) {
        const res = await client.request(method, url, body);
        expectError(res, 401, 'second_factor_required');
        expect(res.body.error.details).toEqual({ stage: 'enrol' });
      }
      expect((await env.ctx.database.db.selectFrom('api_tokens').select('id').where('user_id', '=', trainer.id).execute())).toEqual([]);
      expect((await client.get('/api/auth/session')).body.stage).toBe('enrol');

      const setup = await client.post('/api/me/totp/setup');
      expect(setup.status).toBe(200);
      const enabled = await client.post('/api/me/totp/enable', { code: totpNow(setup.body.secret, env.clock.now()) });
      expect(enabled.status).toBe(200);
      expect(enabled.body.stage).toBe('active');
      expect(client.cookie).not.toBe(enrolCookie);
      expect((await client.get('/api/me')).status).toBe(200);
      const stale = new TestClient(env.baseUrl);
      stale.cookie = enrolCookie;
      expectError(await stale.get('/api/auth/session'), 401, 'unauthenticated');

      nextStep();
      const refused = await client.post('/api/me/totp/disable', { password: testPassword, code: totpNow(setup.body.secret, env.clock.now()) });
      expectError(refused, 403, 'forbidden');
      expect((await userRow(env, trainer.id)).totp_enabled).toBe(1);

      // Next time, the trainer is asked for the code like anyone enrolled.
      expect((await new TestClient(env.baseUrl).signIn(trainer.email)).body.stage).toBe('totp');
    } finally {
      expect((await adminBrowser.put('/api/security/role-policies/trainer', { requireTotp: false })).status).toBe(200);
    }
    // Without the requirement, a trainer signs in fully again.
    const later = await makeUser(env, { roles: ['trainer'] });
    expect((await new TestClient(env.baseUrl).signIn(later.email)).body.stage).toBe('active');
  });

  it('can be removed by an administrator for a user who lost the authenticator', async () => {
    const user = await userWithTotp();
    const half = await signInAgain(env, user.email);
    const adminBrowser = await adminClient(env, admin);

    const participant = await signInAgain(env, (await makeUser(env)).email);
    expectError(await participant.post(`/api/users/${user.id}/totp-reset`), 403, 'forbidden');
    expect((await userRow(env, user.id)).totp_enabled).toBe(1);

    expect((await adminBrowser.post(`/api/users/${user.id}/totp-reset`)).status).toBe(204);
    const row = await userRow(env, user.id);
    expect({ enabled: row.totp_enabled, secret: row.totp_secret, last: row.totp_last_step }).toEqual({ enabled: 0, secret: null, last: null });
    // Open sessions end; the next sign-in needs no code.
    expectError(await half.get('/api/auth/session'), 401, 'unauthenticated');
    expect((await new TestClient(env.baseUrl).signIn(user.email)).body.stage).toBe('active');
    expectError(await adminBrowser.post('/api/users/00000000-0000-4000-8000-000000000000/totp-reset'), 404, 'not_found');
  });

  it('policies can only be changed by an administrator, for a known role', async () => {
    const participant = await signInAgain(env, (await makeUser(env)).email);
    expectError(await participant.put('/api/security/role-policies/participant', { requireTotp: true }), 403, 'forbidden');
    const adminBrowser = await adminClient(env, admin);
    const unknown = await adminBrowser.put('/api/security/role-policies/superuser', { requireTotp: true });
    expectError(unknown, 400, 'validation_failed');
    expect(unknown.body.error.message).toMatch(/^params\.role/);
    expect(await env.ctx.database.db.selectFrom('role_policies').selectAll().where('require_totp', '=', 1).execute()).toEqual([]);
  });
});
