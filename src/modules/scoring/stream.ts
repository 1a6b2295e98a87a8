import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/http/types.ts';
import { actorOf } from '../../core/http/access.ts';
import { iso } from '../../core/clock.ts';
import { loadUser } from '../../core/auth/sessions.ts';
import { exerciseRoleOf, requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
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

async function stillAllowed(ctx: AppContext, request: FastifyRequest, exerciseId: string, role: ExerciseRole): Promise<boolean> {
  const { db } = ctx.database;
  const auth = request.auth;
  if (!auth) return false;
  const now = iso(ctx.clock.now());
  const credential =
    auth.kind === 'session'
      ? await db.selectFrom('sessions').select(['revoked_at', 'expires_at']).where('id', '=', auth.sessionId).executeTakeFirst()
      : await db.selectFrom('api_tokens').select(['revoked_at', 'expires_at']).where('id', '=', auth.tokenId).executeTakeFirst();
  if (!credential || credential.revoked_at || credential.expires_at <= now) return false;
  const user = await loadUser(db, auth.user.userId);
  if (!user || user.status !== 'active') return false;
  const current = await exerciseRoleOf(db, user, exerciseId);
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
      clearInterval(heartbeat);
      for (const off of offs) off();
      open.delete(close);
      if (!res.writableEnded) res.end();
    };
    const heartbeat = setInterval(() => {
      if (res.writableEnded) return close();
      res.write(': ping\n\n');
      stillAllowed(ctx, request, exerciseId, role).then(
        (ok) => ok || close(),
        () => {},
      );
    }, streamSettings.heartbeatMs);
    heartbeat.unref();
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
