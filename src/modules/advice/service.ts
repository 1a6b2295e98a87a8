import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { AdviceMessageTable, AdviceRequestTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import type { AuditAction } from '../audit/schemas.ts';
import { isStaff, requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { definitionOf } from '../exercises/releases.ts';
import { releasedExhibits } from '../casefile/assess.ts';
import { loadExercise } from '../exercises/service.ts';
import { applyAdvicePenalty, publishAdjustment } from '../scoring/adjustments.ts';
import { assertRunningFor } from '../scoring/access.ts';
import { presentMessage, presentRequest } from './presenters.ts';
import type { AdviceCreate, AdviceDesk, AdviceMessage, AdviceMessageCreate, AdviceQueue, AdviceQueueQuery, AdviceRequest, AdviceStatsResponse, AdviceThread } from './schemas.ts';
import { adviceStats } from './summary.ts';

// The expert guidance desk. A team raises a request for advice and talks with
// the exercise's staff in its thread; staff work one queue across the teams.
// Every read goes through `visibleRequests`: a participant's scope is its own
// team, so another team's request is simply not found.

type Meta = { ip: string | null; requestId: string };
type RequestRow = Selectable<AdviceRequestTable>;
type Change = 'requested' | 'message' | 'claimed' | 'unclaimed' | 'hint' | 'penalty' | 'closed';

/** The one visibility query of requests: every team's (scope null) or one team's. */
export function visibleRequests(db: Db | Tx, exerciseId: string, scope: string | null) {
  let q = db
    .selectFrom('advice_requests as r')
    .innerJoin('teams as t', 't.id', 'r.team_id')
    .innerJoin('users as raiser', 'raiser.id', 'r.raised_by')
    .leftJoin('users as claimer', 'claimer.id', 'r.claimed_by')
    .leftJoin('score_adjustments as penalty', 'penalty.id', 'r.penalty_adjustment_id')
    .where('r.exercise_id', '=', exerciseId);
  if (scope) q = q.where('r.team_id', '=', scope);
  return q;
}

/** What the desk shows of each request: the row, the team's name, who raised and who claimed it, its penalty and message count. */
const withColumns = (q: ReturnType<typeof visibleRequests>) =>
  q
    .select([
      'r.id',
      'r.team_id',
      't.name as team_name',
      'r.subject',
      'r.status',
      'r.raised_by',
      'raiser.display_name as raised_by_name',
      'r.raised_at',
      'r.evidence_key',
      'r.evidence_sha256',
      'r.claimed_by',
      'claimer.display_name as claimed_by_name',
      'r.claimed_at',
      'r.first_reply_at',
      'r.last_team_message_at',
      'r.last_message_at',
      'penalty.points as penalty_points',
      'r.closed_at',
    ])
    .select((eb) => eb.selectFrom('advice_messages as c').select((e) => e.fn.countAll<number>().as('n')).whereRef('c.request_id', '=', 'r.id').as('message_count'));

async function readRequest(db: Db | Tx, exerciseId: string, scope: string | null, requestId: string): Promise<AdviceRequest> {
  const row = await withColumns(visibleRequests(db, exerciseId, scope)).where('r.id', '=', requestId).executeTakeFirst();
  if (!row) throw notFound('Advice request');
  return presentRequest(row);
}

async function requireStaff(db: Db | Tx, actor: AuthenticatedUser, exerciseId: string): Promise<ExerciseRole> {
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isStaff(role)) throw forbidden('Only the exercise’s trainers and experts can do this');
  return role;
}

/** A request of the exercise the caller may see, as a row (staff: any team's; a participant: its team's). */
async function requestRow(tx: Tx, role: ExerciseRole, exerciseId: string, requestId: string): Promise<RequestRow> {
  let q = tx.selectFrom('advice_requests').selectAll().where('id', '=', requestId).where('exercise_id', '=', exerciseId);
  if (!isStaff(role)) q = q.where('team_id', '=', role.teamId!);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Advice request');
  return row;
}

/** The same, refusing (409) a closed request: nothing more happens in it. */
async function openRequestRow(tx: Tx, role: ExerciseRole, exerciseId: string, requestId: string): Promise<RequestRow> {
  const row = await requestRow(tx, role, exerciseId, requestId);
  if (row.status === 'closed') throw conflict('This request is closed', { reason: 'closed' });
  return row;
}

async function penaltyOf(ctx: AppContext, exerciseId: string): Promise<number> {
  const exercise = await loadExercise(ctx.database.db, exerciseId);
  return (await definitionOf(ctx, undefined, exercise.scenario_id)).scoring.advicePenalty;
}

function publish(ctx: AppContext, exerciseId: string, request: { id: string; team_id: string }, change: Change, toTeam: boolean) {
  const data = { requestId: request.id, change };
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'advice', data: { teamId: request.team_id, ...data } });
  if (toTeam) ctx.events.publish({ channel: `team:${request.team_id}`, type: 'advice', data: { exerciseId, ...data } });
}

function audit(ctx: AppContext, tx: Tx, actor: AuthenticatedUser, meta: Meta, action: AuditAction, request: { id: string; team_id: string; exercise_id: string }, details: Record<string, unknown> = {}) {
  return recordAudit(tx, ctx.clock, {
    action,
    outcome: 'success',
    actor,
    target: { type: 'advice_request', id: request.id },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { exerciseId: request.exercise_id, teamId: request.team_id, ...details },
  });
}

async function insertMessage(tx: Tx, request: RequestRow, message: Pick<Selectable<AdviceMessageTable>, 'kind' | 'author_id' | 'body'> & Partial<Pick<Selectable<AdviceMessageTable>, 'hint_key' | 'points'>>, at: string) {
  await tx
    .insertInto('advice_messages')
    .values({ id: newId(), request_id: request.id, exercise_id: request.exercise_id, team_id: request.team_id, hint_key: null, points: null, ...message, created_at: at })
    .execute();
}

/** A team's desk: the penalty it risks by asking, and its own requests, newest first. */
export async function teamDesk(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<AdviceDesk> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (isStaff(role)) throw forbidden('Staff work from the advice queue');
  const rows = await withColumns(visibleRequests(db, exerciseId, role.teamId)).orderBy('r.raised_at', 'desc').orderBy('r.id', 'desc').execute();
  return { advicePenalty: await penaltyOf(ctx, exerciseId), requests: rows.map(presentRequest) };
}

/** A team member raises a request, optionally showing an exhibit of the team's locker. */
export async function raiseRequest(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, input: AdviceCreate, meta: Meta): Promise<AdviceThread> {
  const { db } = ctx.database;
  const at = iso(ctx.clock.now());
  const request = await db.transaction().execute(async (tx) => {
    const role = await requireExerciseRole(tx, actor, exerciseId);
    if (isStaff(role)) throw forbidden('Only the members of a team can ask for advice');
    const teamId = role.teamId!;
    const exercise = await loadExercise(tx, exerciseId);
    const team = await tx.selectFrom('teams').select(['id', 'extra_seconds']).where('id', '=', teamId).executeTakeFirstOrThrow();
    assertRunningFor(exercise, team, ctx.clock.now());
    let evidence: { key: string; sha256: string } | null = null;
    if (input.evidenceKey) {
      // Only an exhibit released to this team, with the hash its locker recorded.
      const sha256 = (await releasedExhibits(tx, teamId)).get(input.evidenceKey);
      if (sha256 === undefined) throw validationError('body.evidenceKey', 'is not an exhibit of your team’s locker');
      evidence = { key: input.evidenceKey, sha256 };
    }
    const row: RequestRow = {
      id: newId(),
      exercise_id: exerciseId,
      team_id: teamId,
      subject: input.subject.trim(),
      status: 'open',
      raised_by: actor.userId,
      raised_at: at,
      evidence_key: evidence?.key ?? null,
      evidence_sha256: evidence?.sha256 ?? null,
      claimed_by: null,
      claimed_at: null,
      first_reply_at: null,
      first_reply_by: null,
      last_team_message_at: at,
      last_message_at: at,
      penalty_adjustment_id: null,
      closed_by: null,
      closed_at: null,
    };
    await tx.insertInto('advice_requests').values(row).execute();
    await insertMessage(tx, row, { kind: 'team', author_id: actor.userId, body: input.text.trim() }, at);
    await audit(ctx, tx, actor, meta, 'advice.requested', row, { evidenceKey: row.evidence_key });
    return row;
  });
  publish(ctx, exerciseId, request, 'requested', true);
  return readThread(ctx, actor, exerciseId, request.id);
}

/** One thread, in order (staff: any team's; a participant: its team's). */
export async function readThread(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string): Promise<AdviceThread> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const request = await readRequest(db, exerciseId, isStaff(role) ? null : role.teamId, requestId);
  const messages = await db
    .selectFrom('advice_messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .select(['m.id', 'm.kind', 'm.author_id', 'u.display_name', 'm.body', 'm.hint_key', 'm.points', 'm.created_at'])
    .where('m.request_id', '=', request.id)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  return { request, messages: messages.map(presentMessage) };
}

/**
 * A message in a thread. A team member's follow-up asks again (the request
 * waits in the queue); a staff member's is a reply, which claims the request
 * for them when nobody has and counts as the first reply when it is one.
 */
export async function postMessage(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string, input: AdviceMessageCreate, meta: Meta): Promise<AdviceMessage> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const at = iso(now);
  const { request, id } = await db.transaction().execute(async (tx) => {
    const role = await requireExerciseRole(tx, actor, exerciseId);
    const request = await openRequestRow(tx, role, exerciseId, requestId);
    const staff = isStaff(role);
    if (!staff) {
      const exercise = await loadExercise(tx, exerciseId);
      const team = await tx.selectFrom('teams').select(['id', 'extra_seconds']).where('id', '=', request.team_id).executeTakeFirstOrThrow();
      assertRunningFor(exercise, team, now);
    }
    const id = newId();
    await tx
      .insertInto('advice_messages')
      .values({ id, request_id: request.id, exercise_id: exerciseId, team_id: request.team_id, kind: staff ? 'staff' : 'team', author_id: actor.userId, body: input.text.trim(), hint_key: null, points: null, created_at: at })
      .execute();
    if (staff) {
      await tx
        .updateTable('advice_requests')
        .set({
          status: 'answered',
          last_message_at: at,
          claimed_by: request.claimed_by ?? actor.userId,
          claimed_at: request.claimed_at ?? at,
          first_reply_at: request.first_reply_at ?? at,
          first_reply_by: request.first_reply_by ?? actor.userId,
        })
        .where('id', '=', request.id)
        .execute();
    } else {
      // Asked again: back in the queue, with whoever had it.
      await tx
        .updateTable('advice_requests')
        .set({ status: request.claimed_by ? 'claimed' : 'open', last_message_at: at, last_team_message_at: at })
        .where('id', '=', request.id)
        .execute();
    }
    await audit(ctx, tx, actor, meta, 'advice.messaged', request, { kind: staff ? 'staff' : 'team' });
    return { request, id };
  });
  publish(ctx, exerciseId, request, 'message', true);
  const thread = await readThread(ctx, actor, exerciseId, requestId);
  return thread.messages.find((m) => m.id === id)!;
}

/** The staff queue across teams, filtered and paged. */
export async function adviceQueue(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: AdviceQueueQuery & { page: number; pageSize: number }): Promise<AdviceQueue> {
  const { db } = ctx.database;
  await requireStaff(db, actor, exerciseId);
  if (query.teamId && !(await db.selectFrom('teams').select('id').where('id', '=', query.teamId).where('exercise_id', '=', exerciseId).executeTakeFirst())) throw notFound('Team');
  let q = visibleRequests(db, exerciseId, query.teamId ?? null);
  if (query.status) q = q.where('r.status', '=', query.status);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  // Statuses sort in the order a request goes through them, not alphabetically.
  const column = {
    raisedAt: sql`r.raised_at`,
    lastTeamMessageAt: sql`r.last_team_message_at`,
    status: sql`case r.status when 'open' then 0 when 'claimed' then 1 when 'answered' then 2 else 3 end`,
    teamName: sql`t.name`,
  };
  const sort = query.sort ?? 'raisedAt';
  const order = sort.startsWith('-') ? 'desc' : 'asc';
  const rows = await withColumns(q)
    .orderBy(column[sort.replace(/^-/, '') as keyof typeof column], order)
    .orderBy('r.raised_at', order)
    .orderBy('r.id', order)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  return {
    items: rows.map(presentRequest),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
    serverTime: iso(ctx.clock.now()),
    advicePenalty: definition.scoring.advicePenalty,
    hints: definition.hints.map((h) => ({ key: h.id, objectiveKey: h.objective ?? null, cost: h.cost, text: h.text })),
  };
}

/** Staff take a request (or take it over from a colleague), or let it go. */
export async function setClaim(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string, claim: boolean, meta: Meta): Promise<AdviceRequest> {
  const { db } = ctx.database;
  const at = iso(ctx.clock.now());
  const request = await db.transaction().execute(async (tx) => {
    const role = await requireStaff(tx, actor, exerciseId);
    const request = await openRequestRow(tx, role, exerciseId, requestId);
    if (claim) {
      const status = request.status === 'open' ? 'claimed' : request.status;
      await tx.updateTable('advice_requests').set({ claimed_by: actor.userId, claimed_at: at, status }).where('id', '=', request.id).execute();
      await audit(ctx, tx, actor, meta, 'advice.claimed', request, { previous: request.claimed_by });
    } else {
      if (!request.claimed_by) return request;
      const status = request.status === 'claimed' ? 'open' : request.status;
      await tx.updateTable('advice_requests').set({ claimed_by: null, claimed_at: null, status }).where('id', '=', request.id).execute();
      await audit(ctx, tx, actor, meta, 'advice.unclaimed', request, { previous: request.claimed_by });
    }
    return request;
  });
  publish(ctx, exerciseId, request, claim ? 'claimed' : 'unclaimed', false);
  return readRequest(db, exerciseId, null, requestId);
}

/**
 * Staff unlock one of the scenario's hints for the request's team, free of
 * charge: the unlock is recorded with cost 0, so the team reads the hint where
 * it reads the hints it bought and the scoreboard takes nothing.
 */
export async function grantHint(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string, hintKey: string, meta: Meta): Promise<AdviceThread> {
  const { db } = ctx.database;
  const at = iso(ctx.clock.now());
  const { request, objectiveKey } = await db.transaction().execute(async (tx) => {
    const role = await requireStaff(tx, actor, exerciseId);
    const request = await openRequestRow(tx, role, exerciseId, requestId);
    const exercise = await loadExercise(tx, exerciseId);
    const hint = (await definitionOf(ctx, tx, exercise.scenario_id)).hints.find((h) => h.id === hintKey);
    if (!hint) throw validationError('body.hintKey', 'is not a hint of this scenario');
    // A hint about an objective the team has not been given would give it away.
    if (hint.objective) {
      const released = await tx.selectFrom('team_releases').select('item_key').where('team_id', '=', request.team_id).where('kind', '=', 'objective').where('item_key', '=', hint.objective).executeTakeFirst();
      if (!released) throw validationError('body.hintKey', 'is about an objective the team has not been given yet');
    }
    const inserted = await tx
      .insertInto('hint_unlocks')
      .values({ exercise_id: exerciseId, team_id: request.team_id, hint_key: hint.id, cost: 0, unlocked_by: actor.userId, unlocked_at: at })
      .onConflict((oc) => oc.columns(['team_id', 'hint_key']).doNothing())
      .returning('hint_key')
      .executeTakeFirst();
    if (!inserted) throw conflict('The team has already unlocked this hint', { reason: 'already_unlocked' });
    await insertMessage(tx, request, { kind: 'hint', author_id: actor.userId, body: '', hint_key: hint.id, points: 0 }, at);
    await tx.updateTable('advice_requests').set({ last_message_at: at }).where('id', '=', request.id).execute();
    await audit(ctx, tx, actor, meta, 'advice.hint_granted', request, { hintKey: hint.id });
    return { request, objectiveKey: hint.objective ?? null };
  });
  publish(ctx, exerciseId, request, 'hint', true);
  const data = { hintKey, objectiveKey, cost: 0, userId: actor.userId };
  ctx.events.publish({ channel: `team:${request.team_id}`, type: 'hint_unlocked', data: { exerciseId, ...data } });
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'hint_unlocked', data: { teamId: request.team_id, ...data } });
  return readThread(ctx, actor, exerciseId, requestId);
}

/** Staff apply the scenario's advice penalty to a request: once per request at most. */
export async function penalise(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string, meta: Meta): Promise<AdviceThread> {
  const { db } = ctx.database;
  const at = iso(ctx.clock.now());
  const { request, adjustment } = await db.transaction().execute(async (tx) => {
    const role = await requireStaff(tx, actor, exerciseId);
    const request = await requestRow(tx, role, exerciseId, requestId);
    if (request.penalty_adjustment_id) throw conflict('The penalty has already been applied to this request', { reason: 'already_penalised' });
    const adjustment = await applyAdvicePenalty(ctx, tx, { exerciseId, teamId: request.team_id, reason: `Advice: ${request.subject}`, actor, meta });
    if (!adjustment) throw conflict('The scenario sets no advice penalty', { reason: 'no_penalty' });
    // The condition settles two staff pressing at once: the second finds it set and rolls back.
    const updated = await tx
      .updateTable('advice_requests')
      .set({ penalty_adjustment_id: adjustment.row.id, last_message_at: at })
      .where('id', '=', request.id)
      .where('penalty_adjustment_id', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('The penalty has already been applied to this request', { reason: 'already_penalised' });
    await insertMessage(tx, request, { kind: 'penalty', author_id: actor.userId, body: '', points: -adjustment.row.points }, at);
    await audit(ctx, tx, actor, meta, 'advice.penalised', request, { adjustmentId: adjustment.row.id, points: adjustment.row.points });
    return { request, adjustment };
  });
  publishAdjustment(ctx, adjustment);
  publish(ctx, exerciseId, request, 'penalty', true);
  return readThread(ctx, actor, exerciseId, requestId);
}

export async function closeRequest(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string, meta: Meta): Promise<AdviceRequest> {
  const { db } = ctx.database;
  const at = iso(ctx.clock.now());
  const request = await db.transaction().execute(async (tx) => {
    const role = await requireStaff(tx, actor, exerciseId);
    const request = await requestRow(tx, role, exerciseId, requestId);
    if (request.status === 'closed') throw conflict('This request is already closed', { reason: 'closed' });
    await tx.updateTable('advice_requests').set({ status: 'closed', closed_by: actor.userId, closed_at: at }).where('id', '=', request.id).execute();
    await audit(ctx, tx, actor, meta, 'advice.closed', request);
    return request;
  });
  publish(ctx, exerciseId, request, 'closed', true);
  return readRequest(db, exerciseId, null, requestId);
}

/**
 * A staff member's message to every team. `announce` of the exercises module
 * is for trainers only; experts broadcast too, so the desk writes the same
 * announcement (the teams read it where they read announcements) under the
 * staff rule, with its own audit action.
 */
export async function broadcast(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, message: string, meta: Meta) {
  const { db } = ctx.database;
  const row = { id: newId(), exercise_id: exerciseId, message: message.trim(), author_id: actor.userId, created_at: iso(ctx.clock.now()) };
  await db.transaction().execute(async (tx) => {
    await requireStaff(tx, actor, exerciseId);
    if ((await loadExercise(tx, exerciseId)).status === 'ended') throw conflict('The exercise has ended', { reason: 'ended' });
    await tx.insertInto('announcements').values(row).execute();
    await recordAudit(tx, ctx.clock, { action: 'advice.broadcast', outcome: 'success', actor, target: { type: 'exercise', id: exerciseId }, ip: meta.ip, requestId: meta.requestId });
  });
  const announcement = { id: row.id, message: row.message, createdAt: row.created_at };
  ctx.events.publish({ channel: `exercise:${exerciseId}`, type: 'announcement', data: { exerciseId, ...announcement } });
  return announcement;
}

/** The desk's figures for staff, with the teams' names. */
export async function deskStats(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<AdviceStatsResponse> {
  const { db } = ctx.database;
  await requireStaff(db, actor, exerciseId);
  const stats = await adviceStats(db, exerciseId);
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('exercise_id', '=', exerciseId).orderBy('name').execute();
  const byTeam = new Map(stats.perTeam.map((t) => [t.teamId, t]));
  return { ...stats, perTeam: teams.map((t) => ({ teamId: t.id, teamName: t.name, requests: byTeam.get(t.id)?.requests ?? 0, penalties: byTeam.get(t.id)?.penalties ?? 0 })) };
}
