import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/http/types.ts';
import { actorOf } from '../../core/http/access.ts';
import { iso } from '../../core/clock.ts';
import { sql } from 'kysely';
import { requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { scoreboardsOf } from './scoreboard.ts';

// Live updates of an exercise as Server-Sent Events. Need-to-know: a
// participant hears its own team's channel and the exercise-wide one; staff
// hear the staff channel and the exercise-wide one. Scoreboard changes are told
// as `scoreboard` events (a version: the client reads the scoreboard again), to
// participants only while their standings are live. A comment line every 15 s
// keeps proxies from closing the connection; at each one the caller's session
// (or token), account and part in the exercise are checked again, and the stream
// ends when any of them is gone or changed.

/** Tests shorten the heartbeat to see a stream end soon after its caller lost access. */
export const streamSettings = { heartbeatMs: 15_000 };

export type Streams = { close: () => void };

/**
 * The checks of `resolveSession`/the token, `loadUser` and `exerciseRoleOf`, in one statement:
 * the credential is neither revoked nor expired, the account active, and the caller's part in
 * the exercise (administrator, staff role, or team) the one the stream was opened with.
 */
async function stillAllowed(ctx: AppContext, request: FastifyRequest, exerciseId: string, role: ExerciseRole): Promise<boolean> {
  const { db } = ctx.database;
  const auth = request.auth;
  if (!auth) return false;
  const now = iso(ctx.clock.now());
  const userId = auth.user.userId;
  const credential =
    auth.kind === 'session'
      ? sql`(select 1 from sessions where id = ${auth.sessionId} and revoked_at is null and expires_at > ${now})`
      : sql`(select 1 from api_tokens where id = ${auth.tokenId} and revoked_at is null and expires_at > ${now})`;
  const { rows } = await sql<{ credential: unknown; status: string | null; administrator: unknown; exercise: unknown; staff_role: ExerciseRole['kind'] | null; team_id: string | null }>`select
    ${credential} as credential,
    (select status from users where id = ${userId}) as status,
    (select count(*) from user_roles where user_id = ${userId} and role = 'administrator') as administrator,
    (select 1 from exercises where id = ${exerciseId}) as exercise,
    (select role from exercise_staff where exercise_id = ${exerciseId} and user_id = ${userId}) as staff_role,
    (select team_id from team_members where exercise_id = ${exerciseId} and user_id = ${userId}) as team_id`.execute(db);
  const r = rows[0];
  if (!r || r.credential === null || r.credential === undefined || r.status !== 'active') return false;
  if (r.exercise === null || r.exercise === undefined) return false;
  // The order of exerciseRoleOf: administrator, staff, team member.
  const current: ExerciseRole | null =
    Number(r.administrator) > 0 ? { kind: 'administrator', teamId: null } : r.staff_role ? ({ kind: r.staff_role, teamId: null } as ExerciseRole) : r.team_id ? { kind: 'participant', teamId: r.team_id } : null;
  return current !== null && current.kind === role.kind && current.teamId === role.teamId;
}

export function createStreams(ctx: AppContext) {
  const open = new Set<() => void>();

  async function stream(request: FastifyRequest, reply: FastifyReply, exerciseId: string) {
    const actor = actorOf(request);
    // Outsiders get 404 before anything is streamed.
    const role = await requireExerciseRole(ctx.database.db, actor, exerciseId);
    const channels = role.kind === 'participant' ? [`team:${role.teamId}`, `exercise:${exerciseId}`] : [`staff:${exerciseId}`, `exercise:${exerciseId}`];

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Nginx and similar proxies would otherwise hold the events back.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'x-request-id': request.id,
    });
    let sequence = 0;
    const send = (type: string, data: Record<string, unknown>) => {
      if (!res.writableEnded) res.write(`id: ${++sequence}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const offs = channels.map((channel) => ctx.events.subscribe(channel, (event) => send(event.type, event.data)));
    offs.push(
      scoreboardsOf(ctx).watch(exerciseId, (change) => {
        if (role.kind !== 'participant' || change.participants) send('scoreboard', { exerciseId, version: change.version });
      }),
    );
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(first);
      if (heartbeat) clearInterval(heartbeat);
      for (const off of offs) off();
      open.delete(close);
      if (!res.writableEnded) res.end();
    };
    const beat = () => {
      if (res.writableEnded) return close();
      res.write(': ping\n\n');
      stillAllowed(ctx, request, exerciseId, role).then(
        (ok) => ok || close(),
        () => {},
      );
    };
    // The first heartbeat comes at a random moment of the interval, so that streams opened
    // together (a restart, a class joining) do not all check their access in the same tick.
    let heartbeat: NodeJS.Timeout | null = null;
    const first = setTimeout(() => {
      beat();
      if (closed) return;
      heartbeat = setInterval(beat, streamSettings.heartbeatMs);
      heartbeat.unref();
    }, Math.floor(Math.random() * streamSettings.heartbeatMs));
    first.unref();
    open.add(close);
    request.raw.on('close', close);
    res.on('error', close);
    // Tells the client that it is connected, and as whom.
    send('ready', { exerciseId, role: role.kind, teamId: role.teamId });
  }

  return {
    stream,
    /** Ends every open stream (the server is closing). */
    closeAll: () => {
      for (const close of [...open]) close();
    },
  };
}
