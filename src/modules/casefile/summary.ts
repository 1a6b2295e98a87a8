import type { AppContext } from '../../core/http/types.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { assess, newHashCache } from './assess.ts';

export type CaseFileSummary = {
  teamId: string;
  status: 'draft' | 'submitted';
  submittedAt: string | null;
  /** From the experts' evaluations once final, else null. */
  readiness: number | null;
  provisionalReadiness: number;
  charges: Array<{ chargeId: string; ready: boolean }>;
};

/** Every team's case file in brief (the after-action report, the staff overview); the caller checks access. */
export async function caseFileSummaries(ctx: AppContext, exerciseId: string): Promise<CaseFileSummary[]> {
  const { db } = ctx.database;
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  const [teams, rows] = await Promise.all([
    db.selectFrom('teams').selectAll().where('exercise_id', '=', exerciseId).orderBy('name').execute(),
    db.selectFrom('case_files').selectAll().where('exercise_id', '=', exerciseId).execute(),
  ]);
  const byTeam = new Map(rows.map((r) => [r.team_id, r]));
  const cache = newHashCache();
  const out: CaseFileSummary[] = [];
  for (const team of teams) {
    const row = byTeam.get(team.id) ?? null;
    const a = await assess(ctx, db, definition, team, row, cache);
    out.push({
      teamId: team.id,
      status: row?.status ?? 'draft',
      submittedAt: row?.submitted_at ?? null,
      readiness: a.final,
      provisionalReadiness: a.provisional,
      charges: a.charges.map((c) => ({ chargeId: c.charge.id, ready: c.ready })),
    });
  }
  return out;
}
