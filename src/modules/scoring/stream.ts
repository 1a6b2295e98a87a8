import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/http/types.ts';
import { actorOf } from '../../core/http/access.ts';
import { iso } from '../../core/clock.ts';
import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import { prepared } from '../../core/db/prepared.ts';
import { requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { createStreamRelay } from './stream-relay.ts';

// Live updates of an exercise as Server-Sent Events. Need-to-know: a
// participant hears its own team's channel and the exercise-wide one; staff
// hear the staff channel and the exercise-wide one. Scoreboard changes are told
// as `scoreboard` events (a version: the client reads the scoreboard again), to
// participants only while their standings are live. Every 15 s the caller's
// session (or token), account and part in the exercise are checked again, and
// the stream ends when any of them is gone or changed. This process decides all
// of that; the writing to the open connections is done by the stream process
// (stream-relay.ts), which gets each connection once it is allowed.

/** Tests shorten the heartbeat to see a stream end soon after its caller lost access. */
export const streamSettings = { heartbeatMs: 15_000 };

type AllowedRow = { credential: unknown; status: string | null; administrator: unknown; exercise: unknown; staff_role: ExerciseRole['kind'] | null; team_id: string | null };

const allowedQuery = (credential: 'sessions' | 'api_tokens') =>
  prepared((_db: Db, credentialId: string, now: string, userId: string, exerciseId: string) =>
    sql<AllowedRow>`select
    (select 1 from ${sql.table(credential)} where id = ${credentialId} and revoked_at is null and expires_at > ${now}) as credential,
    (select status from users where id = ${userId}) as status,
    (select count(*) from user_roles where user_id = ${userId} and role = 'administrator') as administrator,
    (select 1 from exercises where id = ${exerciseId}) as exercise,
    (select role from exercise_staff where exercise_id = ${exerciseId} and user_id = ${userId}) as staff_role,
    (select team_id from team_members where exercise_id = ${exerciseId} and user_id = ${userId}) as team_id`,
  );
// Asked for every open stream at every heartbeat (133 times a second with 2,000 streams): compiled once.
const allowedQueries = { session: allowedQuery('sessions'), token: allowedQuery('api_tokens') };

/**
 * The checks of `resolveSession`/the token, `loadUser` and `exerciseRoleOf`, in one statement:
 * the credential is neither revoked nor expired, the account active, and the caller's part in
 * the exercise (administrator, staff role, or team) the one the stream was opened with.
 */
async function stillAllowed(ctx: AppContext, request: FastifyRequest, exerciseId: string, role: ExerciseRole): Promise<boolean> {
  const { db, dialect } = ctx.database;
  const auth = request.auth;
  if (!auth) return false;
  const now = iso(ctx.clock.now());
  const rows =
    auth.kind === 'session'
      ? await allowedQueries.session(db, dialect, auth.sessionId, now, auth.user.userId, exerciseId)
      : await allowedQueries.token(db, dialect, auth.tokenId, now, auth.user.userId, exerciseId);
  const r = rows[0];
  if (!r || r.credential === null || r.credential === undefined || r.status !== 'active') return false;
  if (r.exercise === null || r.exercise === undefined) return false;
  // The order of exerciseRoleOf: administrator, staff, team member.
  const current: ExerciseRole | null =
    Number(r.administrator) > 0 ? { kind: 'administrator', teamId: null } : r.staff_role ? ({ kind: r.staff_role, teamId: null } as ExerciseRole) : r.team_id ? { kind: 'participant', teamId: r.team_id } : null;
  return current !== null && current.kind === role.kind && current.teamId === role.teamId;
}

export function createStreams(ctx: AppContext) {
  /** The open streams: what they hear, and the timer of their access checks. */
  const open = new Map<number, { exerciseId: string; channels: string[]; timer: NodeJS.Timeout | null }>();
  let lastId = 0;

  function forget(id: number) {
    const entry = open.get(id);
    if (!entry) return;
    open.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    relay.forget({ id, ...entry });
  }
  const relay = createStreamRelay(ctx, (ids) => ids.forEach(forget));

  async function stream(request: FastifyRequest, reply: FastifyReply, exerciseId: string) {
    const actor = actorOf(request);
    // Outsiders get 404 before anything is streamed.
    const role = await requireExerciseRole(ctx.database.db, actor, exerciseId);
    const channels = role.kind === 'participant' ? [`team:${role.teamId}`, `exercise:${exerciseId}`] : [`staff:${exerciseId}`, `exercise:${exerciseId}`];
    await relay.ready();

    reply.hijack();
    const id = ++lastId;
    const entry: { exerciseId: string; channels: string[]; timer: NodeJS.Timeout | null } = { exerciseId, channels, timer: null };
    open.set(id, entry);
    const heartbeatMs = streamSettings.heartbeatMs;
    // At each heartbeat the caller's access is checked again; the first check comes at a random
    // moment of the interval, so that streams opened together (a restart, a class joining) do not
    // all check in the same tick.
    const check = () => {
      entry.timer = null;
      stillAllowed(ctx, request, exerciseId, role).then(
        (ok) => {
          if (!open.has(id)) return;
          if (ok) entry.timer = setTimeout(check, heartbeatMs).unref();
          else {
            relay.close([id]);
            forget(id);
          }
        },
        () => {
          if (open.has(id)) entry.timer = setTimeout(check, heartbeatMs).unref();
        },
      );
    };
    entry.timer = setTimeout(check, Math.floor(Math.random() * heartbeatMs)).unref();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = String(value);
    relay.hand(
      {
        id,
        exerciseId,
        channels,
        allBoards: role.kind !== 'participant',
        headers: {
          ...headers,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          // Nginx and similar proxies would otherwise hold the events back.
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
          'x-request-id': request.id,
        },
        // Tells the client that it is connected, and as whom.
        ready: { exerciseId, role: role.kind, teamId: role.teamId },
        heartbeatMs,
      },
      request.raw.socket,
    );
  }

  return {
    stream,
    /** Ends every open stream (the server is closing). */
    closeAll: async () => {
      await relay.closeAll();
      for (const id of [...open.keys()]) forget(id);
    },
  };
}
