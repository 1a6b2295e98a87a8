import type { Db } from '../../core/db/index.ts';
import { allTeams } from '../exercises/releases.ts';
import type { ActivityReader, TeamActivity } from './activity.ts';

// The challenge engine's part of a team's replay: evidence released and
// acquired, answers (outcome only, never the answer), objectives solved, hints,
// injects and announcements received, score adjustments.

async function teamIdsOf(db: Db, exerciseId: string, teamId: string | null): Promise<string[]> {
  if (teamId) return [teamId];
  const rows = await db.selectFrom('teams').select('id').where('exercise_id', '=', exerciseId).execute();
  return rows.map((r) => r.id);
}

export const evidenceActivity: ActivityReader = async (db, exerciseId, teamId) => {
  let released = db
    .selectFrom('team_releases')
    .innerJoin('teams', 'teams.id', 'team_releases.team_id')
    .select(['team_releases.team_id', 'team_releases.item_key', 'team_releases.released_at', 'team_releases.cause'])
    .where('teams.exercise_id', '=', exerciseId)
    .where('team_releases.kind', '=', 'evidence');
  // A download that starts an acquisition is logged 'downloaded' in the chain of custody.
  let acquired = db
    .selectFrom('custody_log')
    .select(['team_id', 'evidence_key', 'sha256', 'actor_user_id', 'occurred_at'])
    .where('exercise_id', '=', exerciseId)
    .where('action', '=', 'downloaded')
    .where('team_id', 'is not', null);
  if (teamId) {
    released = released.where('team_releases.team_id', '=', teamId);
    acquired = acquired.where('team_id', '=', teamId);
  }
  const [r, a] = await Promise.all([released.execute(), acquired.execute()]);
  return [
    ...r.map((row): TeamActivity => ({ teamId: row.team_id, at: row.released_at, kind: 'evidence_released', actorUserId: null, details: { evidenceKey: row.item_key, cause: row.cause } })),
    ...a.map((row): TeamActivity => ({ teamId: row.team_id!, at: row.occurred_at, kind: 'evidence_acquired', actorUserId: row.actor_user_id, details: { evidenceKey: row.evidence_key, sha256: row.sha256 } })),
  ];
};

export const scoringActivity: ActivityReader = async (db, exerciseId, teamId) => {
  let submissions = db.selectFrom('submissions').select(['team_id', 'user_id', 'objective_key', 'submitted_at', 'outcome', 'credit_permille']).where('exercise_id', '=', exerciseId);
  let solves = db.selectFrom('objective_scores').select(['team_id', 'objective_key', 'solved_at']).where('exercise_id', '=', exerciseId).where('solved_at', 'is not', null);
  let hints = db.selectFrom('hint_unlocks').select(['team_id', 'hint_key', 'cost', 'unlocked_by', 'unlocked_at']).where('exercise_id', '=', exerciseId);
  let adjustments = db.selectFrom('score_adjustments').select(['id', 'team_id', 'points', 'kind', 'reason', 'created_by', 'created_at']).where('exercise_id', '=', exerciseId);
  if (teamId) {
    submissions = submissions.where('team_id', '=', teamId);
    solves = solves.where('team_id', '=', teamId);
    hints = hints.where('team_id', '=', teamId);
    adjustments = adjustments.where('team_id', '=', teamId);
  }
  const [s, o, h, a] = await Promise.all([submissions.execute(), solves.execute(), hints.execute(), adjustments.execute()]);
  return [
    ...s.map(
      (row): TeamActivity => ({
        teamId: row.team_id,
        at: row.submitted_at,
        kind: 'answer',
        actorUserId: row.user_id,
        details: { objectiveKey: row.objective_key, outcome: row.outcome, creditPercent: row.credit_permille / 10 },
      }),
    ),
    ...o.map((row): TeamActivity => ({ teamId: row.team_id, at: row.solved_at!, kind: 'objective_solved', actorUserId: null, details: { objectiveKey: row.objective_key } })),
    ...h.map((row): TeamActivity => ({ teamId: row.team_id, at: row.unlocked_at, kind: 'hint_unlocked', actorUserId: row.unlocked_by, details: { hintKey: row.hint_key, cost: row.cost } })),
    ...a.map(
      (row): TeamActivity => ({
        teamId: row.team_id,
        at: row.created_at,
        kind: 'score_adjusted',
        actorUserId: row.created_by,
        details: { adjustmentId: row.id, points: row.points, adjustment: row.kind, reason: row.reason },
      }),
    ),
  ];
};

/** Injects fired for the team or for every team ('*'), and the exercise's announcements. */
export const briefingActivity: ActivityReader = async (db, exerciseId, teamId) => {
  const teams = await teamIdsOf(db, exerciseId, teamId);
  let injects = db.selectFrom('fired_injects').select(['inject_key', 'team_id', 'fired_at', 'fired_by']).where('exercise_id', '=', exerciseId);
  if (teamId) injects = injects.where('team_id', 'in', [teamId, allTeams]);
  const [fired, announcements] = await Promise.all([
    injects.execute(),
    db.selectFrom('announcements').select(['id', 'author_id', 'created_at']).where('exercise_id', '=', exerciseId).execute(),
  ]);
  const items: TeamActivity[] = [];
  for (const f of fired) {
    for (const id of f.team_id === allTeams ? teams : [f.team_id]) {
      items.push({ teamId: id, at: f.fired_at, kind: 'inject_received', actorUserId: f.fired_by, details: { injectKey: f.inject_key } });
    }
  }
  for (const a of announcements) {
    for (const id of teams) items.push({ teamId: id, at: a.created_at, kind: 'announcement', actorUserId: a.author_id, details: { announcementId: a.id } });
  }
  return items;
};
