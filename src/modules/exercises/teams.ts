import { randomInt } from 'node:crypto';
import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { conflict, notFound } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId, newSecret } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { requireExerciseRole, requireOrganiser, isStaff } from './access.ts';
import { invalidInput, loadExercise } from './service.ts';
import type { Team } from './schemas.ts';
import { loadDefinition } from '../scenarios/service.ts';
import { resolveVariables } from '../scenarios/templates.ts';

type Meta = { ip: string | null; requestId: string };

// Invite codes avoid look-alike characters (0/O, 1/I/L) so they can be read aloud.
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const inviteCode = () => Array.from({ length: 8 }, (_, i) => (i === 4 ? '-' : '') + alphabet[randomInt(alphabet.length)]).join('');

async function teamsOf(db: Db | Tx, exerciseId: string, onlyTeamId?: string) {
  let q = db.selectFrom('teams').selectAll().where('exercise_id', '=', exerciseId);
  if (onlyTeamId) q = q.where('id', '=', onlyTeamId);
  const teams = await q.orderBy('name').execute();
  const members = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['team_members.team_id', 'users.id', 'users.display_name', 'organisations.name as org', 'organisations.country_code'])
    .where('team_members.exercise_id', '=', exerciseId)
    .orderBy('users.display_name')
    .execute();
  return { teams, members };
}

function presentTeams(data: Awaited<ReturnType<typeof teamsOf>>, showCodeFor: (teamId: string) => boolean): Team[] {
  return data.teams.map((t) => {
    const members = data.members.filter((m) => m.team_id === t.id);
    return {
      id: t.id,
      name: t.name,
      members: members.map((m) => ({ userId: m.id, displayName: m.display_name, organisation: m.org, countryCode: m.country_code, captain: m.id === t.captain_user_id })),
      extraMinutes: t.extra_seconds / 60,
      inviteCode: showCodeFor(t.id) ? t.invite_code : null,
      countries: [...new Set(members.map((m) => m.country_code))].sort(),
    };
  });
}

/** Staff see every team; a participant sees the teams' names and members (mixed teams are public), never other teams' codes. */
export async function listTeams(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  return presentTeams(await teamsOf(db, exerciseId), (teamId) => isStaff(role) || role.teamId === teamId);
}

export async function getTeam(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const [team] = presentTeams(await teamsOf(db, exerciseId, teamId), (id) => isStaff(role) || role.teamId === id);
  if (!team) throw notFound('Team');
  return team;
}

export async function createTeam(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, name: string, meta: Meta) {
  const { db } = ctx.database;
  const id = newId();
  try {
    await db.transaction().execute(async (tx) => {
      await requireOrganiser(tx, actor, exerciseId);
      const exercise = await loadExercise(tx, exerciseId);
      if (exercise.status === 'ended') throw conflict('The exercise has ended', { reason: 'ended' });
      const definition = await loadDefinition(tx, exercise.scenario_id);
      const seed = newSecret(16);
      const variables = JSON.stringify(resolveVariables(definition.variables, `${exercise.seed}:${seed}`));
      await tx.insertInto('teams').values({ id, exercise_id: exerciseId, name, captain_user_id: null, invite_code: inviteCode(), seed, variables, extra_seconds: 0, created_at: iso(ctx.clock.now()) }).execute();
      await recordAudit(tx, ctx.clock, { action: 'team.changed', outcome: 'success', actor: actor, target: { type: 'team', id }, ip: meta.ip, requestId: meta.requestId, details: { created: name, exerciseId } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name: a team with this name already exists in this exercise', { reason: 'team_name_taken' });
    throw error;
  }
  return getTeam(ctx, actor, exerciseId, id);
}

export async function updateTeam(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, input: { name?: string; captainUserId?: string | null; extraMinutes?: number }, meta: Meta) {
  const { db } = ctx.database;
  try {
    await db.transaction().execute(async (tx) => {
      await requireOrganiser(tx, actor, exerciseId);
      const team = await tx.selectFrom('teams').select('id').where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
      if (!team) throw notFound('Team');
      if (input.captainUserId) {
        const member = await tx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).where('user_id', '=', input.captainUserId).executeTakeFirst();
        if (!member) throw invalidInput('body.captainUserId', 'the captain must be a member of the team', 'not_a_member');
      }
      await tx
        .updateTable('teams')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.captainUserId !== undefined && { captain_user_id: input.captainUserId }),
          ...(input.extraMinutes !== undefined && { extra_seconds: input.extraMinutes * 60 }),
        })
        .where('id', '=', teamId)
        .execute();
      await recordAudit(tx, ctx.clock, { action: 'team.changed', outcome: 'success', actor: actor, target: { type: 'team', id: teamId }, ip: meta.ip, requestId: meta.requestId, details: { ...input } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name: a team with this name already exists in this exercise', { reason: 'team_name_taken' });
    throw error;
  }
  return getTeam(ctx, actor, exerciseId, teamId);
}

async function addMember(tx: Tx, exerciseId: string, teamId: string, userId: string, now: string) {
  const exercise = await loadExercise(tx, exerciseId);
  if (exercise.status === 'ended') throw conflict('The exercise has ended', { reason: 'ended' });
  const user = await tx.selectFrom('users').select('id').where('id', '=', userId).where('status', '=', 'active').executeTakeFirst();
  if (!user) throw invalidInput('body.userId', 'no such active user', 'no_such_user');
  if (await tx.selectFrom('exercise_staff').select('user_id').where('exercise_id', '=', exerciseId).where('user_id', '=', userId).executeTakeFirst()) {
    throw conflict('Trainers and experts of the exercise cannot join a team', { reason: 'staff_cannot_join' });
  }
  const { n } = await tx.selectFrom('team_members').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', teamId).executeTakeFirstOrThrow();
  if (Number(n) >= exercise.team_size_limit) throw conflict(`The team is full (${exercise.team_size_limit} members at most)`, { reason: 'team_full', teamSizeLimit: exercise.team_size_limit });
  try {
    await tx.insertInto('team_members').values({ exercise_id: exerciseId, team_id: teamId, user_id: userId, joined_at: now }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('This user is already in a team of this exercise', { reason: 'already_in_team' });
    throw error;
  }
  // The first member captains the team until a trainer says otherwise.
  await tx.updateTable('teams').set({ captain_user_id: userId }).where('id', '=', teamId).where('captain_user_id', 'is', null).execute();
}

export async function assignMember(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, userId: string, meta: Meta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, exerciseId);
    const team = await tx.selectFrom('teams').select('id').where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
    if (!team) throw notFound('Team');
    await addMember(tx, exerciseId, teamId, userId, iso(ctx.clock.now()));
    await recordAudit(tx, ctx.clock, { action: 'team.changed', outcome: 'success', actor: actor, target: { type: 'team', id: teamId }, ip: meta.ip, requestId: meta.requestId, details: { memberAdded: userId } });
  });
  return getTeam(ctx, actor, exerciseId, teamId);
}

export async function removeMember(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, userId: string, meta: Meta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, exerciseId);
    const res = await tx.deleteFrom('team_members').where('team_id', '=', teamId).where('exercise_id', '=', exerciseId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw notFound('Team member');
    await tx.updateTable('teams').set({ captain_user_id: null }).where('id', '=', teamId).where('captain_user_id', '=', userId).execute();
    await recordAudit(tx, ctx.clock, { action: 'team.changed', outcome: 'success', actor: actor, target: { type: 'team', id: teamId }, ip: meta.ip, requestId: meta.requestId, details: { memberRemoved: userId } });
  });
  return getTeam(ctx, actor, exerciseId, teamId);
}

/** A participant joins the team whose invitation code it was given. */
export async function joinWithCode(ctx: AppContext, actor: AuthenticatedUser, code: string, meta: Meta) {
  const { db } = ctx.database;
  const team = await db.selectFrom('teams').select(['id', 'exercise_id']).where('invite_code', '=', code).executeTakeFirst();
  if (!team) throw invalidInput('body.code', 'no team has this code', 'unknown_code');
  await db.transaction().execute(async (tx) => {
    await addMember(tx, team.exercise_id, team.id, actor.userId, iso(ctx.clock.now()));
    await recordAudit(tx, ctx.clock, { action: 'team.changed', outcome: 'success', actor: actor, target: { type: 'team', id: team.id }, ip: meta.ip, requestId: meta.requestId, details: { joinedWithCode: true } });
  });
  return { exerciseId: team.exercise_id, team: await getTeam(ctx, actor, team.exercise_id, team.id) };
}
