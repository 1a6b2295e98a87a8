import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { ScoreAdjustmentTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { notFound } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit, type AuditInput } from '../audit/service.ts';
import { requireExerciseRole, requireOrganiser } from '../exercises/access.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { teamScope } from './access.ts';
import { freezeCutoff } from './freeze.ts';
import { publishScoreChanges } from './scoreboard.ts';
import type { z } from 'zod';
import type { Adjustment, AdjustmentCreate, listQuery } from './schemas.ts';

// Score adjustments: points a trainer adds or takes away, with a reason
// (audited), and the penalties of expert advice. Staff read every team's; a
// team reads its own.

type Meta = { ip: string | null; requestId: string | null };
type Row = Selectable<ScoreAdjustmentTable>;

async function teamOf(db: Db | Tx, exerciseId: string, teamId: string) {
  const team = await db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
  if (!team) throw notFound('Team');
  return team;
}

async function insertAdjustment(ctx: AppContext, tx: Tx, row: Omit<Row, 'id' | 'created_at'>, actor: AuditInput['actor'], meta: Meta): Promise<{ row: Row; frozen: boolean }> {
  const now = ctx.clock.now();
  const exercise = await loadExercise(tx, row.exercise_id);
  const frozen = (await freezeCutoff(tx, exercise, now)) !== null;
  const full: Row = { ...row, id: newId(), created_at: iso(now) };
  await tx.insertInto('score_adjustments').values(full).execute();
  await recordAudit(tx, ctx.clock, {
    action: 'score.adjusted',
    outcome: 'success',
    actor: actor,
    target: { type: 'team', id: row.team_id },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { exerciseId: row.exercise_id, adjustmentId: full.id, points: row.points, kind: row.kind, reason: row.reason },
  });
  return { row: full, frozen };
}

/** After commit: the scoreboards, the team and the staff hear of the adjustment. */
export function publishAdjustment(ctx: AppContext, adjustment: { row: Row; frozen: boolean }): void {
  const { row, frozen } = adjustment;
  publishScoreChanges(ctx, [{ exerciseId: row.exercise_id, item: { kind: 'adjustment', id: row.id, teamId: row.team_id, points: row.points, at: row.created_at }, frozen }], row.created_by ?? undefined);
  const data = { adjustmentId: row.id, points: row.points, kind: row.kind };
  ctx.events.publish({ channel: `team:${row.team_id}`, type: 'adjusted', data: { exerciseId: row.exercise_id, ...data } });
  ctx.events.publish({ channel: `staff:${row.exercise_id}`, type: 'adjusted', data: { teamId: row.team_id, ...data } });
}

/** A trainer adds (or takes away) points, with a reason. */
export async function createAdjustment(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, input: AdjustmentCreate, meta: Meta): Promise<Adjustment> {
  const made = await ctx.database.db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, exerciseId);
    const team = await teamOf(tx, exerciseId, teamId);
    const made = await insertAdjustment(ctx, tx, { exercise_id: exerciseId, team_id: team.id, points: input.points, kind: 'manual', reason: input.reason, created_by: actor.userId }, actor, meta);
    return { ...made, teamName: team.name };
  });
  publishAdjustment(ctx, made);
  return present(made.row, made.teamName, actor.displayName);
}

/**
 * The penalty for asking the expert-advice desk, in the caller's transaction:
 * `points` (positive, taken away) or else the scenario's `advicePenalty`.
 * Returns null when there is nothing to take. After commit, the caller passes
 * the result to publishAdjustment.
 */
export async function applyAdvicePenalty(
  ctx: AppContext,
  tx: Tx,
  input: { exerciseId: string; teamId: string; reason: string; points?: number; actor: AuthenticatedUser; meta: Meta },
): Promise<{ row: Row; frozen: boolean } | null> {
  const team = await teamOf(tx, input.exerciseId, input.teamId);
  const exercise = await loadExercise(tx, input.exerciseId);
  const points = input.points ?? (await definitionOf(ctx, tx, exercise.scenario_id)).scoring.advicePenalty;
  if (points <= 0) return null;
  return insertAdjustment(ctx, tx, { exercise_id: input.exerciseId, team_id: team.id, points: -points, kind: 'advice_penalty', reason: input.reason.slice(0, 500), created_by: input.actor.userId }, input.actor, input.meta);
}

/**
 * Brings a team's case-file points to `target`, in the caller's transaction: a
 * later evaluation adds the difference to what the earlier ones gave. Null when
 * nothing changes. After commit, the caller passes the result to publishAdjustment.
 */
export async function applyCaseFilePoints(
  ctx: AppContext,
  tx: Tx,
  input: { exerciseId: string; teamId: string; target: number; reason: string; actor: AuthenticatedUser; meta: Meta },
): Promise<{ row: Row; frozen: boolean } | null> {
  const { total } = await tx
    .selectFrom('score_adjustments')
    .select((eb) => eb.fn.sum<number | string | null>('points').as('total'))
    .where('exercise_id', '=', input.exerciseId)
    .where('team_id', '=', input.teamId)
    .where('kind', '=', 'case_file')
    .executeTakeFirstOrThrow();
  const points = input.target - Number(total ?? 0);
  if (points === 0) return null;
  return insertAdjustment(ctx, tx, { exercise_id: input.exerciseId, team_id: input.teamId, points, kind: 'case_file', reason: input.reason.slice(0, 500), created_by: input.actor.userId }, input.actor, input.meta);
}

/**
 * The points of a legal request (a granted one's, or a refused one's penalty), in the
 * caller's transaction when the party's reply is delivered: in the name of the member who
 * sent the request, audited as the platform's doing. Null when there are none. After
 * commit, the caller passes the result to publishAdjustment.
 */
export async function applyLegalProcedurePoints(
  ctx: AppContext,
  tx: Tx,
  input: { exerciseId: string; teamId: string; points: number; reason: string; sentBy: string },
): Promise<{ row: Row; frozen: boolean } | null> {
  if (input.points === 0) return null;
  const row = { exercise_id: input.exerciseId, team_id: input.teamId, points: input.points, kind: 'legal_procedure' as const, reason: input.reason.slice(0, 500), created_by: input.sentBy };
  return insertAdjustment(ctx, tx, row, null, { ip: null, requestId: null });
}

function present(row: Row, teamName: string, createdByName: string): Adjustment {
  return { id: row.id, teamId: row.team_id, teamName, points: row.points, kind: row.kind, reason: row.reason, createdBy: row.created_by, createdByName, createdAt: row.created_at };
}

/** The adjustments of the teams whose objects the caller may see, newest first. */
export async function adjustmentsOf(db: Db, exerciseId: string, scope: string | null, page?: { page: number; pageSize: number }) {
  let q = db
    .selectFrom('score_adjustments')
    .innerJoin('teams', 'teams.id', 'score_adjustments.team_id')
    .innerJoin('users', 'users.id', 'score_adjustments.created_by')
    .where('score_adjustments.exercise_id', '=', exerciseId);
  if (scope) q = q.where('score_adjustments.team_id', '=', scope);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let rows = q.selectAll('score_adjustments').select(['teams.name as team_name', 'users.display_name']).orderBy('score_adjustments.created_at', 'desc').orderBy('score_adjustments.id', 'desc');
  if (page) rows = rows.limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const items = (await rows.execute()).map((r) => present(r, r.team_name, r.display_name));
  return { items, total: Number(total) };
}

export async function listAdjustments(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: z.infer<typeof listQuery>) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const scope = teamScope(role, query.teamId);
  if (scope) await teamOf(db, exerciseId, scope);
  const { items, total } = await adjustmentsOf(db, exerciseId, scope, query);
  return { items, total, page: query.page, pageSize: query.pageSize };
}
