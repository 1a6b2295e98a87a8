import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { sha256 } from '../../core/ids.ts';
import { expectError, rowCount, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

/** A fresh user signed in in a browser, with a helper to create tokens there. */
async function owner() {
  const user = await makeUser(env);
  const browser = await signInAgain(env, user.email);
  const create = async (scopes: string[] = ['read'], expiresInDays = 30, name = 'script') => {
    const res = await browser.post('/api/me/tokens', { name, scopes, expiresInDays });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; token: string; prefix: string; scopes: string[]; expiresAt: string };
  };
  const bearer = (token: string) => {
    const client = new TestClient(env.baseUrl);
    client.bearer = token;
    return client;
  };
  return { user, browser, create, bearer };
}

const tokenRow = (id: string) => env.ctx.database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('API tokens', () => {
  it('are shown once at creation, and only by prefix afterwards', async () => {
    const { user, browser, create } = await owner();
    const created = await create(['write', 'read'], 30, 'Nightly export');
    expect(created.token).toMatch(/^cct_[\w-]{40,}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect(created.scopes).toEqual(['read', 'write']);
    expect(new Date(created.expiresAt).getTime()).toBe(env.clock.now().getTime() + 30 * 86400_000);

    // Stored as a hash: the token itself is nowhere in the database row.
    const row = await tokenRow(created.id);
    expect(row.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.user_id).toBe(user.id);

    const list = await browser.get('/api/me/tokens');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: created.id, name: 'Nightly export', prefix: created.prefix, revokedAt: null, lastUsedAt: null });
    expect(list.body[0]).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('authenticate with Authorization: Bearer, without a cookie, and record their use', async () => {
    const { user, create, bearer } = await owner();
    const created = await create();
    const api = bearer(created.token);
    const me = await api.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(user.email);
    expect(api.cookie).toBeUndefined();
    expect((await tokenRow(created.id)).last_used_at).toBe(env.clock.now().toISOString());
  });

  it('read-only cannot change anything', async () => {
    const { user, create, bearer } = await owner();
    const api = bearer((await create(['read'])).token);
    expectError(await api.patch('/api/me', { displayName: 'Changed by token' }), 403, 'forbidden');
    expect((await userRow(env, user.id)).display_name).toBe(user.display_name);
  });

  it('with write scope change things without a CSRF token', async () => {
    const { user, create, bearer } = await owner();
    const api = bearer((await create(['read', 'write'])).token);
    const res = await api.patch('/api/me', { displayName: 'Changed by token' });
    expect(res.status).toBe(200);
    expect((await userRow(env, user.id)).display_name).toBe('Changed by token');
  });

  it('are refused on session-only routes: tokens, password, sessions', async () => {
    const { user, create, bearer } = await owner();
    const api = bearer((await create(['read', 'write'])).token);
    const tokensBefore = await rowCount(env, 'api_tokens');
    const hashBefore = (await userRow(env, user.id)).password_hash;

    expectError(await api.post('/api/me/tokens', { name: 'more', scopes: ['write'], expiresInDays: 365 }), 403, 'forbidden');
    expectError(await api.post('/api/me/password', { currentPassword: testPassword, newPassword: 'chosen by a script' }), 403, 'forbidden');
    expectError(await api.get('/api/me/tokens'), 403, 'forbidden');
    expectError(await api.get('/api/me/sessions'), 403, 'forbidden');
    expectError(await api.post('/api/me/totp/setup'), 403, 'forbidden');
    expectError(await api.get('/api/auth/session'), 403, 'forbidden');

    expect(await rowCount(env, 'api_tokens')).toBe(tokensBefore);
    const row = await userRow(env, user.id);
    expect(row.password_hash).toBe(hashBefore);
    expect(row.totp_pending_secret).toBeNull();
  });

  it('stop working once revoked', async () => {
    const { browser, create, bearer } = await owner();
    const created = await create();
    const api = bearer(created.token);
    expect((await api.get('/api/me')).status).toBe(200);
    expect((await browser.delete(`/api/me/tokens/${created.id}`)).status).toBe(204);
    expectError(await api.get('/api/me'), 401, 'unauthenticated');
    expect((await tokenRow(created.id)).revoked_at).not.toBeNull();
    expect((await browser.get('/api/me/tokens')).body[0].revokedAt).not.toBeNull();
    expectError(await browser.delete(`/api/me/tokens/${created.id}`), 404, 'not_found');
  });

  it('stop working once expired', async () => {
    const { create, bearer } = await owner();
    const api = bearer((await create(['read'], 1)).token);
    env.clock.advance(86400 - 60);
    expect((await api.get('/api/me')).status).toBe(200);
    env.clock.advance(60);
    expectError(await api.get('/api/me'), 401, 'unauthenticated');
  });

  it("of another user cannot be revoked (404) and keep working", async () => {
    const victim = await owner();
    const victimToken = await victim.create();
    const intruder = await owner();
    expectError(await intruder.browser.delete(`/api/me/tokens/${victimToken.id}`), 404, 'not_found');
    expect((await tokenRow(victimToken.id)).revoked_at).toBeNull();
    expect((await victim.bearer(victimToken.token).get('/api/me')).status).toBe(200);
    expect((await intruder.browser.get('/api/me/tokens')).body).toEqual([]);
  });

  it('that are unknown or malformed authenticate nobody', async () => {
    const { create } = await owner();
    const real = (await create()).token;
    for (const token of ['cct_not-a-real-token', real.slice(4), `${real}x`, '']) {
      const client = new TestClient(env.baseUrl);
      const res = await client.request('GET', '/api/me', undefined, { authorization: `Bearer ${token}` });
      expectError(res, 401, 'unauthenticated');
    }
  });

  it('are validated at creation, and nothing is written when refused', async () => {
    const { browser } = await owner();
    const before = await rowCount(env, 'api_tokens');
    const cases: Array<[unknown, RegExp]> = [
      [{ name: 'x', scopes: ['admin'], expiresInDays: 30 }, /^body\.scopes\.0/],
      [{ name: 'x', scopes: [], expiresInDays: 30 }, /^body\.scopes/],
      [{ name: 'x', scopes: ['read'], expiresInDays: 0 }, /^body\.expiresInDays/],
      [{ name: 'x', scopes: ['read'], expiresInDays: 366 }, /^body\.expiresInDays/],
      [{ name: 'x', scopes: ['read'], expiresInDays: '30' }, /^body\.expiresInDays/],
      [{ name: '', scopes: ['read'], expiresInDays: 30 }, /^body\.name/],
      [{ name: 'x'.repeat(81), scopes: ['read'], expiresInDays: 30 }, /^body\.name/],
      [{ name: 'x', scopes: ['read'], expiresInDays: 30, neverExpires: true }, /neverExpires/],
    ];
    for (const [body, message] of cases) {
      const res = await browser.post('/api/me/tokens', body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toMatch(message);
    }
    expectError(await browser.delete('/api/me/tokens/42'), 400, 'validation_failed');
    expect(await rowCount(env, 'api_tokens')).toBe(before);
  });
});
