import { PostgresAdapter } from 'kysely';
import type { Db, Dialect, Tx } from '../db/index.ts';
import { prepared } from '../db/prepared.ts';
import { newId, newSecret, sha256 } from '../ids.ts';
import { addSeconds, iso, type Clock } from '../clock.ts';
import type { EventBus, LiveEvent } from '../events.ts';
import { resyncChannel } from '../events-pg.ts';
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

type SessionAuth = Extract<RequestAuth, { kind: 'session' }>;

const sessionQuery = prepared((db: Db | Tx, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['s.id', 's.user_id', 's.stage', 's.csrf_token', 's.revoked_at', 's.expires_at', 's.last_seen_at', 'u.organisation_id', 'u.email', 'u.display_name', 'u.locale', 'u.totp_enabled', 'u.status', 'r.role'])
    .where('s.token_hash', '=', tokenHash),
);
const dialectOf = (db: Db): Dialect => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');

/** How long a resolved session is reused without reading the database (every request reads it otherwise: 3 statements). */
export const sessionCacheMs = 5_000;
/** Event-bus channel on which processes tell each other to forget sessions (revoked) or users (changed). */
export const sessionsChannel = 'auth:sessions';

type Forget = { sessionId?: string; userId?: string };
type Entry = { auth: SessionAuth; expiresAt: string; lastSeenAt: string; until: number };

/**
 * Resolved sessions of one app, by token hash, for `sessionCacheMs`. Whatever ends a session or
 * changes what is resolved with it (revocation: sign-out, password change or reset, an
 * administrator's revocation, a disabled account; roles, profile, second factor) forgets it in
 * every cache of this process at once (`forgetSessions`) and in the other processes through the
 * event bus. The forget is heard before the change commits, so for `sessionCacheMs` afterwards the
 * session (or user) is not cached again: a read in between could still see the old row.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly quietSessions = new Map<string, number>();
  private readonly quietUsers = new Map<string, number>();
  private quietAll = 0;
  /** Bumped by every forget: a resolution that started before one does not fill the cache. */
  generation = 0;
  readonly events: EventBus;
  private readonly off: Array<() => void>;

  constructor(events: EventBus) {
    this.events = events;
    this.off = [
      events.subscribe(sessionsChannel, (event: LiveEvent) => this.forget(event.data as Forget)),
      // Forgets may have been missed while the transport was down.
      events.subscribe(resyncChannel, () => this.forget({})),
    ];
    caches.add(this);
  }

  /** Forgets a session, a user's sessions, or (neither given) every session. */
  forget(target: Forget): void {
    const until = Date.now() + sessionCacheMs;
    this.generation += 1;
    if (target.sessionId) this.quietSessions.set(target.sessionId, until);
    if (target.userId) this.quietUsers.set(target.userId, until);
    if (!target.sessionId && !target.userId) {
      this.quietAll = until;
      this.entries.clear();
      return;
    }
    for (const [hash, e] of this.entries) if (e.auth.sessionId === target.sessionId || e.auth.user.userId === target.userId) this.entries.delete(hash);
  }

  get(hash: string): Entry | undefined {
    const e = this.entries.get(hash);
    if (e && e.until <= Date.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return e;
  }

  set(hash: string, entry: Omit<Entry, 'until'>, generation: number): void {
    const now = Date.now();
    if (generation !== this.generation || this.quietAll > now) return;
    if ((this.quietSessions.get(entry.auth.sessionId) ?? 0) > now || (this.quietUsers.get(entry.auth.user.userId) ?? 0) > now) return;
    if (this.entries.size >= 50_000) this.entries.clear();
    if (this.quietSessions.size + this.quietUsers.size > 10_000) {
      for (const [k, t] of this.quietSessions) if (t <= now) this.quietSessions.delete(k);
      for (const [k, t] of this.quietUsers) if (t <= now) this.quietUsers.delete(k);
    }
    this.entries.set(hash, { ...entry, until: now + sessionCacheMs });
  }

  close(): void {
    for (const off of this.off) off();
    this.entries.clear();
    caches.delete(this);
    if (byBus.get(this.events) === this) byBus.delete(this.events);
  }
}

const caches = new Set<SessionCache>();
const byBus = new WeakMap<EventBus, SessionCache>();

/** The session cache of the app that uses this event bus. */
export function sessionCacheOf(events: EventBus): SessionCache {
  let cache = byBus.get(events);
  if (!cache) {
    cache = new SessionCache(events);
    byBus.set(events, cache);
  }
  return cache;
}

/**
 * Forgets sessions in every cache of this process and tells the other processes. Called by
 * `revokeSession`/`revokeUserSessions`, and by whoever changes a user (roles, status, profile,
 * second factor): `forgetSessions({ userId })`.
 */
export function forgetSessions(target: Forget): void {
  const data = { ...(target.sessionId ? { sessionId: target.sessionId } : {}), ...(target.userId ? { userId: target.userId } : {}) };
  for (const cache of caches) {
    cache.forget(data);
    cache.events.publish({ channel: sessionsChannel, type: 'forget', data });
  }
}

/** Resolves a session cookie; expired, idle, revoked or disabled-user sessions resolve to nothing. */
export async function resolveSession(db: Db, clock: Clock, policy: SessionPolicy, token: string, cache?: SessionCache): Promise<RequestAuth | null> {
  const hash = sha256(token);
  const now = clock.now();
  const hit = cache?.get(hash);
  if (hit) {
    if (hit.expiresAt > iso(now) && addSeconds(new Date(hit.lastSeenAt), policy.idleMinutes * 60) > now) {
      if (now.getTime() - new Date(hit.lastSeenAt).getTime() > 60_000) {
        hit.lastSeenAt = iso(now);
        await db.updateTable('sessions').set({ last_seen_at: hit.lastSeenAt }).where('id', '=', hit.auth.sessionId).execute();
      }
      return hit.auth;
    }
  }
  const generation = cache?.generation ?? 0;
  // The session, its user and the user's roles in one statement (a row per role).
  const rows = await sessionQuery(db, dialectOf(db), hash);
  const session = rows[0];
  if (!session || session.revoked_at) return null;
  if (session.expires_at <= iso(now)) return null;
  if (addSeconds(new Date(session.last_seen_at), policy.idleMinutes * 60) <= now) return null;
  if (session.status !== 'active') return null;
  // Touch at most once a minute so that reads do not each become a write.
  let lastSeenAt = session.last_seen_at;
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) {
    lastSeenAt = iso(now);
    await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', session.id).execute();
  }
  const actor: AuthenticatedUser = {
    userId: session.user_id,
    organisationId: session.organisation_id,
    roles: rows.flatMap((r) => (r.role ? [r.role as Role] : [])),
    email: session.email,
    displayName: session.display_name,
    locale: session.locale,
    totpEnabled: session.totp_enabled === 1,
  };
  const auth: SessionAuth = { kind: 'session', user: actor, sessionId: session.id, stage: session.stage, csrfToken: session.csrf_token };
  cache?.set(hash, { auth, expiresAt: session.expires_at, lastSeenAt }, generation);
  return auth;
}

export async function revokeSession(db: Db | Tx, clock: Clock, sessionId: string): Promise<void> {
  forgetSessions({ sessionId });
  await db.updateTable('sessions').set({ revoked_at: iso(clock.now()) }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeUserSessions(db: Db | Tx, clock: Clock, userId: string, exceptSessionId?: string): Promise<number> {
  forgetSessions({ userId });
  let q = db.updateTable('sessions').set({ revoked_at: iso(clock.now()) }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
