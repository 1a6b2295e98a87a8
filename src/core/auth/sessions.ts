import type { Db, Tx } from '../db/index.ts';
import { newId, newSecret, sha256 } from '../ids.ts';
import { addSeconds, iso, type Clock } from '../clock.ts';
import type { AuthenticatedUser, RequestAuth } from './context.ts';
import type { Role } from '../../modules/accounts/roles.ts';

export type SessionPolicy = { idleMinutes: number; maxHours: number };

export async function createSession(
  db: Db | Tx,
  clock: Clock,
  policy: SessionPolicy,
  input: { userId: string; stage: 'totp' | 'enrol' | 'active'; ip: string | null; userAgent: string | null },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = newSecret();
  const now = clock.now();
  const session = {
    id: newId(),
    token_hash: sha256(token),
    user_id: input.userId,
    stage: input.stage,
    csrf_token: newSecret(24),
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
    created_at: iso(now),
    last_seen_at: iso(now),
    // A half-signed-in session (waiting for the second factor) lives 10 minutes.
    expires_at: iso(addSeconds(now, input.stage === 'totp' ? 600 : policy.maxHours * 3600)),
    revoked_at: null,
  };
  await db.insertInto('sessions').values(session).execute();
  return { token, sessionId: session.id, csrfToken: session.csrf_token };
}

export async function loadUser(db: Db | Tx, userId: string): Promise<(AuthenticatedUser & { status: string }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) return undefined;
  const roleRows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return {
    userId: row.id,
    organisationId: row.organisation_id,
    roles: roleRows.map((r) => r.role as Role),
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    totpEnabled: row.totp_enabled === 1,
    status: row.status,
  };
}

/** Resolves a session cookie; expired, idle, revoked or disabled-user sessions resolve to nothing. */
export async function resolveSession(db: Db, clock: Clock, policy: SessionPolicy, token: string): Promise<RequestAuth | null> {
  const session = await db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!session || session.revoked_at) return null;
  const now = clock.now();
  if (session.expires_at <= iso(now)) return null;
  if (addSeconds(new Date(session.last_seen_at), policy.idleMinutes * 60) <= now) return null;
  const user = await loadUser(db, session.user_id);
  if (!user || user.status !== 'active') return null;
  // Touch at most once a minute so that reads do not each become a write.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: iso(now) }).where('id', '=', session.id).execute();
  }
  const { status: _status, ...actor } = user;
  return { kind: 'session', user: actor, sessionId: session.id, stage: session.stage, csrfToken: session.csrf_token };
}

export async function revokeSession(db: Db | Tx, clock: Clock, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: iso(clock.now()) }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeUserSessions(db: Db | Tx, clock: Clock, userId: string, exceptSessionId?: string): Promise<number> {
  let q = db.updateTable('sessions').set({ revoked_at: iso(clock.now()) }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
