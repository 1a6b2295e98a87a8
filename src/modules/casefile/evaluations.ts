import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { lockTeam } from '../scoring/access.ts';
import { applyCaseFilePoints, publishAdjustment } from '../scoring/adjustments.ts';
import { assess, newHashCache, parseDocument } from './assess.ts';
import { elementKey } from './readiness.ts';
import { presentCaseFile, type Meta } from './service.ts';
import { caseFileSummaries } from './summary.ts';
import type { CaseFile, CaseFileOverviewItem, EvaluationCreate } from './schemas.ts';

// The experts' part: an evaluation of a submitted case file gives a verdict and
// a comment for every element of every charge the team brought. Once final
// (one evaluation, or two by different people when the scenario asks for a
// second evaluator), the final readiness sets the team's case-file points.

export async function evaluateCaseFile(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, input: EvaluationCreate, meta: Meta): Promise<CaseFile> {
  const result = await ctx.database.db.transaction().execute(async (tx) => {
    const role = await requireExerciseRole(tx, actor, exerciseId);
    if (!isStaff(role)) throw forbidden('Only the exercise’s experts and trainers can evaluate case files');
    const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
    if (!team) throw notFound('Team');
    await lockTeam(tx, ctx.database.dialect, team.id);
    const exercise = await loadExercise(tx, exerciseId);
    const definition = await definitionOf(ctx, tx, exercise.scenario_id);
    const prosecution = definition.prosecution;
    if (!prosecution) throw conflict('The scenario defines no charges to evaluate', { reason: 'no_prosecution' });
    const row = await tx.selectFrom('case_files').selectAll().where('team_id', '=', team.id).executeTakeFirst();
    if (!row || row.status !== 'submitted') throw conflict('Only a submitted case file can be evaluated', { reason: 'not_submitted' });

    // Exactly the elements of the charges the team brought, each once.
    const expected = new Set(parseDocument(row).charges.flatMap((c) => (prosecution.charges.find((x) => x.id === c.chargeId)?.elements ?? []).map((el) => elementKey(c.chargeId, el.id))));
    const given = new Set<string>();
    input.elements.forEach((e, i) => {
      const k = elementKey(e.chargeId, e.elementId);
      if (!expected.has(k)) throw validationError(`body.elements.${i}`, `"${k}" is not an element of a charge the team brought`);
      if (given.has(k)) throw validationError(`body.elements.${i}`, `"${k}" is given twice`);
      given.add(k);
    });
    const missing = [...expected].find((k) => !given.has(k));
    if (missing) throw validationError('body.elements', `give a verdict for "${missing}"`);

    const last = await tx.selectFrom('case_file_evaluations').select((eb) => eb.fn.max<number | null>('round').as('round')).where('case_file_id', '=', row.id).executeTakeFirstOrThrow();
    const round = Number(last.round ?? 0) + 1;
    const id = newId();
    await tx
      .insertInto('case_file_evaluations')
      .values({ id, case_file_id: row.id, exercise_id: exerciseId, team_id: team.id, evaluator_id: actor.userId, round, verdicts: JSON.stringify(input.elements), comment: input.comment, created_at: iso(ctx.clock.now()) })
      .execute();
    const a = await assess(ctx, tx, definition, team, row, newHashCache());
    await recordAudit(tx, ctx.clock, {
      action: 'case_file.evaluated',
      outcome: 'success',
      actor,
      target: { type: 'team', id: team.id },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { exerciseId, caseFileId: row.id, evaluationId: id, round, finalReadiness: a.final },
    });
    const adjustment =
      a.awardedPoints === null
        ? null
        : await applyCaseFilePoints(ctx, tx, { exerciseId, teamId: team.id, target: a.awardedPoints, reason: `Case file: prosecution readiness ${Math.round((a.final ?? 0) * 100)}%`, actor, meta });
    return { role, exercise, definition, team, adjustment, round, final: a.final };
  });
  if (result.adjustment) publishAdjustment(ctx, result.adjustment);
  const data = { round: result.round, final: result.final !== null };
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'case_file', data: { teamId, change: 'evaluated', ...data } });
  if (result.final !== null) ctx.events.publish({ channel: `team:${teamId}`, type: 'case_file', data: { exerciseId, change: 'evaluated', ...data } });
  return presentCaseFile(ctx, ctx.database.db, { role: result.role, exercise: result.exercise, definition: result.definition, team: result.team }, actor);
}

/** Staff: every team's case file in brief. */
export async function caseFileOverview(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<{ prosecution: boolean; points: number; items: CaseFileOverviewItem[] }> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isStaff(role)) throw forbidden('Only the exercise’s staff can see every team’s case file');
  const exercise = await loadExercise(db, exerciseId);
  const prosecution = (await definitionOf(ctx, undefined, exercise.scenario_id)).prosecution;
  const [summaries, teams, rows, evaluations] = await Promise.all([
    caseFileSummaries(ctx, exerciseId),
    db.selectFrom('teams').select(['id', 'name']).where('exercise_id', '=', exerciseId).execute(),
    db.selectFrom('case_files').select(['team_id', 'version']).where('exercise_id', '=', exerciseId).execute(),
    db.selectFrom('case_file_evaluations').select(['team_id', 'evaluator_id']).where('exercise_id', '=', exerciseId).execute(),
  ]);
  const names = new Map(teams.map((t) => [t.id, t.name]));
  const versions = new Map(rows.map((r) => [r.team_id, r.version]));
  return {
    prosecution: prosecution !== undefined,
    points: prosecution?.points ?? 0,
    items: summaries.map((s) => ({
      teamId: s.teamId,
      teamName: names.get(s.teamId) ?? '',
      status: s.status,
      version: versions.get(s.teamId) ?? 0,
      submittedAt: s.submittedAt,
      provisionalReadiness: s.provisionalReadiness,
      finalReadiness: s.readiness,
      evaluations: evaluations.filter((e) => e.team_id === s.teamId).length,
      evaluationsNeeded: prosecution?.secondEvaluator ? 2 : 1,
      charges: s.charges,
    })),
  };
}
