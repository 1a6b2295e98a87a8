import type { ActivityReader, TeamActivity } from '../reports/activity.ts';

// The case file in the after-action report: each draft save, the submission
// and each expert evaluation, with who did it.
export const caseFileActivity: ActivityReader = async (db, exerciseId, teamId) => {
  let versions = db.selectFrom('case_file_versions').select(['team_id', 'version', 'kind', 'saved_by', 'saved_at']).where('exercise_id', '=', exerciseId);
  let evaluations = db.selectFrom('case_file_evaluations').select(['id', 'team_id', 'round', 'evaluator_id', 'created_at']).where('exercise_id', '=', exerciseId);
  if (teamId) {
    versions = versions.where('team_id', '=', teamId);
    evaluations = evaluations.where('team_id', '=', teamId);
  }
  const [saves, evals] = await Promise.all([versions.orderBy('saved_at').orderBy('version').execute(), evaluations.orderBy('created_at').orderBy('round').execute()]);
  const items: TeamActivity[] = [
    ...saves.map(
      (v): TeamActivity => ({
        teamId: v.team_id,
        at: v.saved_at,
        kind: v.kind === 'submit' ? 'case_file_submitted' : 'case_file_saved',
        actorUserId: v.saved_by,
        details: { version: v.version },
      }),
    ),
    ...evals.map(
      (e): TeamActivity => ({ teamId: e.team_id, at: e.created_at, kind: 'case_file_evaluated', actorUserId: e.evaluator_id, details: { evaluationId: e.id, round: e.round } }),
    ),
  ];
  return items.sort((a, b) => a.at.localeCompare(b.at));
};
