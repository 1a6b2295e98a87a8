import type { Db, Tx } from '../../core/db/index.ts';
import type { Actor } from '../../core/permissions.ts';
import { forbidden, notFound } from '../../core/errors.ts';

// Who the caller is in one exercise. Every read path of the exercise, its
// teams, evidence, submissions and scoreboard starts here: a caller with no
// part in the exercise gets 404, and a participant is bound to its team.
export type ExerciseRole =
  | { kind: 'administrator' | 'trainer' | 'expert'; teamId: null }
  | { kind: 'participant'; teamId: string };

export async function exerciseRoleOf(db: Db | Tx, actor: Actor, exerciseId: string): Promise<ExerciseRole | null> {
  const exists = await db.selectFrom('exercises').select('id').where('id', '=', exerciseId).executeTakeFirst();
  if (!exists) return null;
  if (actor.roles.includes('administrator')) return { kind: 'administrator', teamId: null };
  const staff = await db.selectFrom('exercise_staff').select('role').where('exercise_id', '=', exerciseId).where('user_id', '=', actor.userId).executeTakeFirst();
  if (staff) return { kind: staff.role, teamId: null };
  const member = await db.selectFrom('team_members').select('team_id').where('exercise_id', '=', exerciseId).where('user_id', '=', actor.userId).executeTakeFirst();
  if (member) return { kind: 'participant', teamId: member.team_id };
  return null;
}

/** The caller's role, or 404 when the exercise is none of its business. */
export async function requireExerciseRole(db: Db | Tx, actor: Actor, exerciseId: string): Promise<ExerciseRole> {
  const role = await exerciseRoleOf(db, actor, exerciseId);
  if (!role) throw notFound('Exercise');
  return role;
}

export const isOrganiser = (r: ExerciseRole) => r.kind === 'administrator' || r.kind === 'trainer';
export const isStaff = (r: ExerciseRole) => r.kind !== 'participant';

export async function requireOrganiser(db: Db | Tx, actor: Actor, exerciseId: string): Promise<ExerciseRole> {
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isOrganiser(role)) throw forbidden('Only the exercise’s trainers can do this');
  return role;
}
