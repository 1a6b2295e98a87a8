import type { Db } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { loadExercise } from '../exercises/service.ts';
import { freezeCutoff } from './freeze.ts';
import { compareStandings, type Standings } from './rules.ts';
import { scoreboardsOf } from './scoreboard.ts';
import type { Scoreboard } from './schemas.ts';

// The scoreboard: read from the in-memory board of the exercise (never from
// the submissions). Participants of a competition see it frozen in its last
// minutes; participants of a training exercise see none (hidden, empty lists);
// staff always see it live.

export async function teamsWithCountries(db: Db, exerciseId: string) {
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('exercise_id', '=', exerciseId).orderBy('name').execute();
  const members = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['team_members.team_id', 'organisations.country_code'])
    .where('team_members.exercise_id', '=', exerciseId)
    .execute();
  return teams.map((t) => ({ ...t, countries: [...new Set(members.filter((m) => m.team_id === t.id).map((m) => m.country_code))].sort() }));
}

/** Teams in ranking order, with their standing. */
export function rank(standings: Standings, teams: Array<{ id: string; name: string }>) {
  return teams
    .map((t) => ({ ...standings.standing(t.id), name: t.name }))
    .sort(compareStandings)
    .map((s, i) => ({ ...s, rank: i + 1 }));
}

export async function getScoreboard(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<Scoreboard> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const exercise = await loadExercise(db, exerciseId);
  const staff = isStaff(role);
  const cutoff = await freezeCutoff(db, exercise, ctx.clock.now());
  const empty = { exerciseId, mode: exercise.mode, freezeActive: cutoff !== null, ranking: [], firstSolves: [], series: [] };
  if (!staff && exercise.mode === 'training') return { ...empty, hidden: true, frozen: false, frozenAt: null, version: 0 };

  const boards = scoreboardsOf(ctx);
  const board = await boards.get(exerciseId);
  const frozen = !staff && cutoff !== null;
  const replayed = boards.replayed(board, frozen ? cutoff : null);
  const standings = frozen ? replayed.standings : board.live;
  const teams = await teamsWithCountries(db, exerciseId);
  const names = new Map(teams.map((t) => [t.id, t.name]));
  let firstSolves = standings.firstSolves().filter((f) => names.has(f.teamId));
  if (!staff) {
    // Participants hear only of objectives their own team has been given.
    const mine = await db.selectFrom('team_releases').select('item_key').where('team_id', '=', role.teamId).where('kind', '=', 'objective').execute();
    const released = new Set(mine.map((r) => r.item_key));
    firstSolves = firstSolves.filter((f) => released.has(f.objectiveKey));
  }
  const start = exercise.started_at ? [{ at: exercise.started_at, score: 0 }] : [];
  return {
    ...empty,
    hidden: false,
    frozen,
    frozenAt: frozen ? cutoff : null,
    // A frozen board does not change; its version would tell of activity behind it.
    version: frozen ? 0 : board.version,
    ranking: rank(standings, teams).map((s) => ({
      rank: s.rank,
      teamId: s.teamId,
      teamName: s.name,
      countries: teams.find((t) => t.id === s.teamId)?.countries ?? [],
      score: s.score,
      solvedCount: s.solvedCount,
      lastScoreAt: s.lastScoreAt,
    })),
    firstSolves: firstSolves.map((f) => ({ ...f, teamName: names.get(f.teamId)! })),
    series: teams.map((t) => ({ teamId: t.id, points: [...start, ...(replayed.series.get(t.id) ?? [])] })),
  };
}
