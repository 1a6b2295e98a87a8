import { sql, type Selectable } from 'kysely';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import type { ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { Actor } from '../../core/permissions.ts';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { isStaff, requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { phaseOf } from '../exercises/clock.ts';
import { clockState } from '../exercises/service.ts';
import { prepared } from '../../core/db/prepared.ts';

// Who may do what with a team's scoring objects. Every read of submissions,
// hint unlocks and adjustments goes through `teamScope`: staff see every team,
// a participant only its own, and asking for another team's is answered like
// asking for a team that does not exist (404).

/** The teams whose objects the caller may read: null for every team, or one team id. */
export function teamScope(role: ExerciseRole, requestedTeamId?: string | null): string | null {
  if (isStaff(role)) return requestedTeamId ?? null;
  if (requestedTeamId && requestedTeamId !== role.teamId) throw notFound('Team');
  return role.teamId;
}

/** The caller's team in the exercise: outsiders get 404, staff 403 (they play in no team). */
export async function requireTeamMember(db: Db | Tx, actor: Actor, exerciseId: string): Promise<string> {
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (role.kind !== 'participant') throw forbidden('Only the members of a team can do this');
  return role.teamId;
}

const playQuery = prepared((db: Db | Tx, exerciseId: string, userId: string) =>
  db
    .selectFrom('exercises as e')
    .leftJoin('exercise_staff as s', (j) => j.onRef('s.exercise_id', '=', 'e.id').on('s.user_id', '=', userId))
    .leftJoin('team_members as m', (j) => j.onRef('m.exercise_id', '=', 'e.id').on('m.user_id', '=', userId))
    .leftJoin('teams as t', 't.id', 'm.team_id')
    .selectAll('e')
    .select(['s.role as staff_role', 'm.team_id as member_team_id', 't.id as t_id', 't.exercise_id as t_exercise_id', 't.name as t_name', 't.captain_user_id as t_captain_user_id', 't.invite_code as t_invite_code', 't.seed as t_seed', 't.variables as t_variables', 't.extra_seconds as t_extra_seconds', 't.created_at as t_created_at'])
    .where('e.id', '=', exerciseId),
);

/**
 * The caller's team in the exercise with the exercise and the team rows, in one query (the
 * answer path): the same refusals as `requireTeamMember` (outsiders 404, staff and
 * administrators 403). On PostgreSQL the team row is then read again under the team's lock
 * (`lockTeam`'s statement), so that what follows sees it as of the lock.
 */
export async function loadTeamMemberPlay(tx: Tx, dialect: Dialect, actor: Actor, exerciseId: string): Promise<{ exercise: Selectable<ExerciseTable>; team: Selectable<TeamTable> }> {
  const [row] = await playQuery(tx, dialect, exerciseId, actor.userId);
  if (!row) throw notFound('Exercise');
  // The order of exerciseRoleOf: administrator, staff, participant.
  if (actor.roles.includes('administrator') || row.staff_role) throw forbidden('Only the members of a team can do this');
  if (!row.member_team_id) throw notFound('Exercise');
  const { staff_role, member_team_id, t_id, t_exercise_id, t_name, t_captain_user_id, t_invite_code, t_seed, t_variables, t_extra_seconds, t_created_at, ...exercise } = row;
  void staff_role;
  if (dialect === 'postgres') {
    const locked = await sql<Selectable<TeamTable>>`select * from teams where id = ${member_team_id} for no key update`.execute(tx);
    const team = locked.rows[0];
    if (!team) throw notFound('Exercise');
    return { exercise, team };
  }
  if (!t_id) throw notFound('Exercise');
  const team = { id: t_id, exercise_id: t_exercise_id!, name: t_name!, captain_user_id: t_captain_user_id ?? null, invite_code: t_invite_code!, seed: t_seed!, variables: t_variables!, extra_seconds: t_extra_seconds!, created_at: t_created_at! };
  return { exercise, team };
}

/** Serialises one team's scoring writes on PostgreSQL (attempt counts, rate limit); SQLite has one writer. */
export async function lockTeam(tx: Tx, dialect: Dialect, teamId: string): Promise<void> {
  // NO KEY UPDATE: foreign key checks of other writers (team_releases…) are not blocked by it.
  if (dialect === 'postgres') await sql`select id from teams where id = ${teamId} for no key update`.execute(tx);
}

/** Stable messages: clients may show them as they are; `details.reason` is for programs. */
export const notRunning = {
  not_started: 'The exercise has not started yet',
  paused: 'The exercise is paused: answers are accepted again when it resumes',
  ended: 'The exercise has ended: answers are no longer accepted',
  time_up: "Your team's time is up: answers are no longer accepted",
} as const;

/** Refuses (409) unless the exercise is running for this team, whose own extra time counts. */
export function assertRunningFor(exercise: Selectable<ExerciseTable>, team: Pick<Selectable<TeamTable>, 'extra_seconds'>, now: Date): void {
  const clock = clockState(exercise);
  const phase = phaseOf(clock, now, team.extra_seconds);
  if (phase === 'running') return;
  const reason = phase === 'ended' && exercise.status !== 'ended' ? 'time_up' : phase;
  throw new AppError('conflict', notRunning[reason], { reason });
}
