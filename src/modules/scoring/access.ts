import { sql, type Selectable } from 'kysely';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import type { ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { Actor } from '../../core/permissions.ts';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { isStaff, requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { phaseOf } from '../exercises/clock.ts';
import { clockState } from '../exercises/service.ts';

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
