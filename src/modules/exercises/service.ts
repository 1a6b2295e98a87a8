import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { ExerciseTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { AppError, conflict, notFound } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId, newSecret } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { endsAt, gameSeconds, phaseOf, remainingSeconds, type ClockState } from './clock.ts';
import { requireExerciseRole, requireOrganiser, type ExerciseRole } from './access.ts';
import type { ExerciseControl, ExerciseCreate, ExerciseSummary } from './schemas.ts';

/** A `validation_failed` on one input whose problem carries a stable `code` (the web translates by it). */
export const invalidInput = (field: string, message: string, code: string) => new AppError('validation_failed', `${field}: ${message}`, [{ path: field, message, code }]);

type Meta = { ip: string | null; requestId: string };

export const clockState = (row: Selectable<ExerciseTable>): ClockState => ({
  status: row.status,
  startedAt: row.started_at,
  pausedAt: row.paused_at,
  pausedSeconds: row.paused_seconds,
  extendedSeconds: row.extended_seconds,
  durationMinutes: row.duration_minutes,
  endedAt: row.ended_at,
});

export function presentClock(row: Selectable<ExerciseTable>, now: Date, extraSeconds = 0) {
  const c = clockState(row);
  return {
    phase: phaseOf(c, now, extraSeconds),
    startedAt: row.started_at,
    endsAt: endsAt(c, now, extraSeconds),
    remainingSeconds: Math.round(remainingSeconds(c, now, extraSeconds)),
    elapsedSeconds: Math.round(gameSeconds(c, now)),
  };
}

export async function loadExercise(db: Db | Tx, id: string) {
  const row = await db.selectFrom('exercises').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Exercise');
  return row;
}

type ScenarioRef = { id: string; slug: string; version: string; title: string };

function present(row: Selectable<ExerciseTable>, scenario: ScenarioRef, teamCount: number, role: ExerciseRole, extraSeconds: number, now: Date): ExerciseSummary {
  return {
    id: row.id,
    title: row.title,
    mode: row.mode,
    status: row.status,
    scenario: { id: scenario.id, slug: scenario.slug, version: scenario.version, title: JSON.parse(scenario.title) },
    scheduledStart: row.scheduled_start,
    durationMinutes: row.duration_minutes,
    extendedMinutes: row.extended_seconds / 60,
    freezeMinutes: row.freeze_minutes,
    teamSizeLimit: row.team_size_limit,
    teamCount,
    clock: presentClock(row, now, extraSeconds),
    myRole: role.kind,
    myTeamId: role.teamId,
    createdAt: row.created_at,
  };
}

/** Scenario, team counts and the caller's team extra time of several exercises, in three queries. */
async function exerciseContext(db: Db | Tx, rows: Array<Selectable<ExerciseTable>>, teamIds: string[]) {
  const scenarioIds = [...new Set(rows.map((r) => r.scenario_id))];
  const exerciseIds = rows.map((r) => r.id);
  const scenarios = scenarioIds.length ? await db.selectFrom('scenarios').select(['id', 'slug', 'version', 'title']).where('id', 'in', scenarioIds).execute() : [];
  const counts = exerciseIds.length
    ? await db.selectFrom('teams').select(['exercise_id', (eb) => eb.fn.countAll<number>().as('n')]).where('exercise_id', 'in', exerciseIds).groupBy('exercise_id').execute()
    : [];
  const extras = teamIds.length ? await db.selectFrom('teams').select(['id', 'extra_seconds']).where('id', 'in', teamIds).execute() : [];
  return {
    scenario: new Map(scenarios.map((x) => [x.id, x])),
    teamCount: new Map(counts.map((c) => [c.exercise_id, Number(c.n)])),
    extra: new Map(extras.map((e) => [e.id, e.extra_seconds])),
  };
}

async function presentOne(db: Db | Tx, row: Selectable<ExerciseTable>, role: ExerciseRole, now: Date): Promise<ExerciseSummary> {
  const c = await exerciseContext(db, [row], role.teamId ? [role.teamId] : []);
  return present(row, c.scenario.get(row.scenario_id)!, c.teamCount.get(row.id) ?? 0, role, role.teamId ? (c.extra.get(role.teamId) ?? 0) : 0, now);
}

export async function createExercise(ctx: AppContext, actor: AuthenticatedUser, input: ExerciseCreate, meta: Meta) {
  const { db } = ctx.database;
  const scenario = await db.selectFrom('scenarios').select(['id', 'duration_minutes']).where('id', '=', input.scenarioId).executeTakeFirst();
  if (!scenario) throw invalidInput('body.scenarioId', 'no such scenario', 'no_such_scenario');
  const now = iso(ctx.clock.now());
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('exercises')
      .values({
        id,
        scenario_id: scenario.id,
        title: input.title,
        mode: input.mode,
        status: 'draft',
        scheduled_start: input.scheduledStart ? new Date(input.scheduledStart).toISOString() : null,
        duration_minutes: input.durationMinutes ?? scenario.duration_minutes,
        started_at: null,
        paused_at: null,
        paused_seconds: 0,
        extended_seconds: 0,
        ended_at: null,
        freeze_minutes: input.mode === 'competition' ? input.freezeMinutes : null,
        team_size_limit: input.teamSizeLimit,
        // Seeds every team's variable values; never leaves the server.
        seed: newSecret(),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (!actor.roles.includes('administrator') || actor.roles.includes('trainer')) {
      await tx.insertInto('exercise_staff').values({ exercise_id: id, user_id: actor.userId, role: 'trainer' }).execute();
    }
    await recordAudit(tx, ctx.clock, { action: 'exercise.created', outcome: 'success', actor: actor, target: { type: 'exercise', id }, ip: meta.ip, requestId: meta.requestId, details: { title: input.title, scenarioId: scenario.id } });
  });
  return getExercise(ctx, actor, id);
}

export async function getExercise(ctx: AppContext, actor: AuthenticatedUser, id: string) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, id);
  return presentOne(db, await loadExercise(db, id), role, ctx.clock.now());
}

/** The exercises the caller takes part in (administrators: all). */
export async function listExercises(ctx: AppContext, actor: AuthenticatedUser) {
  const { db } = ctx.database;
  let q = db.selectFrom('exercises').selectAll();
  if (!actor.roles.includes('administrator')) {
    q = q.where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('exercise_staff').select('exercise_id').where('user_id', '=', actor.userId)),
        eb('id', 'in', eb.selectFrom('team_members').select('exercise_id').where('user_id', '=', actor.userId)),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').execute();
  // The caller's part in each exercise, by the same rule as exerciseRoleOf, for all of them at once.
  const staff = new Map((await db.selectFrom('exercise_staff').select(['exercise_id', 'role']).where('user_id', '=', actor.userId).execute()).map((r) => [r.exercise_id, r.role]));
  const teams = new Map((await db.selectFrom('team_members').select(['exercise_id', 'team_id']).where('user_id', '=', actor.userId).execute()).map((r) => [r.exercise_id, r.team_id]));
  const roleIn = (exerciseId: string): ExerciseRole => {
    if (actor.roles.includes('administrator')) return { kind: 'administrator', teamId: null };
    const staffRole = staff.get(exerciseId);
    if (staffRole) return { kind: staffRole, teamId: null };
    return { kind: 'participant', teamId: teams.get(exerciseId)! };
  };
  const c = await exerciseContext(db, rows, [...teams.values()]);
  const now = ctx.clock.now();
  return rows.map((row) => {
    const role = roleIn(row.id);
    return present(row, c.scenario.get(row.scenario_id)!, c.teamCount.get(row.id) ?? 0, role, role.teamId ? (c.extra.get(role.teamId) ?? 0) : 0, now);
  });
}

/** Start, pause, resume, extend or end: the clock's rules are enforced here. */
export async function controlExercise(ctx: AppContext, actor: AuthenticatedUser, id: string, input: ExerciseControl, meta: Meta, onChange?: (exerciseId: string) => void) {
  const { db } = ctx.database;
  await db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, id);
    const row = await loadExercise(tx, id);
    const now = ctx.clock.now();
    const phase = phaseOf(clockState(row), now);
    const set: Partial<Selectable<ExerciseTable>> = { updated_at: iso(now) };
    switch (input.action) {
      case 'start':
        if (row.status !== 'draft') throw conflict('The exercise has already started', { reason: 'already_started' });
        Object.assign(set, { status: 'running', started_at: iso(now) });
        break;
      case 'pause':
        if (phase !== 'running') throw conflict('Only a running exercise can be paused', { reason: 'not_running' });
        Object.assign(set, { status: 'paused', paused_at: iso(now) });
        break;
      case 'resume':
        if (row.status !== 'paused' || !row.paused_at) throw conflict('The exercise is not paused', { reason: 'not_paused' });
        Object.assign(set, { status: 'running', paused_at: null, paused_seconds: row.paused_seconds + Math.round((now.getTime() - new Date(row.paused_at).getTime()) / 1000) });
        break;
      case 'extend':
        if (row.status === 'ended') throw conflict('The exercise has ended', { reason: 'ended' });
        Object.assign(set, { extended_seconds: row.extended_seconds + input.minutes * 60 });
        break;
      case 'end':
        if (row.status === 'ended') throw conflict('The exercise has already ended', { reason: 'ended' });
        if (row.status === 'draft') throw conflict('The exercise has not started', { reason: 'not_started' });
        Object.assign(set, { status: 'ended', ended_at: iso(now), ...(row.status === 'paused' && row.paused_at ? { ended_at: row.paused_at } : {}) });
        break;
    }
    await tx.updateTable('exercises').set(set).where('id', '=', id).execute();
    await recordAudit(tx, ctx.clock, { action: 'exercise.controlled', outcome: 'success', actor: actor, target: { type: 'exercise', id }, ip: meta.ip, requestId: meta.requestId, details: { ...input } });
  });
  onChange?.(id);
  return getExercise(ctx, actor, id);
}

export async function listStaff(ctx: AppContext, actor: AuthenticatedUser, id: string) {
  const { db } = ctx.database;
  await requireExerciseRole(db, actor, id);
  const rows = await db
    .selectFrom('exercise_staff')
    .innerJoin('users', 'users.id', 'exercise_staff.user_id')
    .select(['users.id', 'users.display_name', 'users.email', 'exercise_staff.role'])
    .where('exercise_staff.exercise_id', '=', id)
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => ({ userId: r.id, displayName: r.display_name, email: r.email, role: r.role }));
}

export async function addStaff(ctx: AppContext, actor: AuthenticatedUser, id: string, input: { userId: string; role: 'trainer' | 'expert' }, meta: Meta) {
  const { db } = ctx.database;
  await db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, id);
    const user = await tx.selectFrom('users').select('id').where('id', '=', input.userId).where('status', '=', 'active').executeTakeFirst();
    if (!user) throw invalidInput('body.userId', 'no such active user', 'no_such_user');
    const roles = (await tx.selectFrom('user_roles').select('role').where('user_id', '=', input.userId).execute()).map((r) => r.role);
    if (!roles.includes(input.role) && !roles.includes('administrator')) throw invalidInput('body.role', `the user does not have the ${input.role} role`, 'wrong_role');
    if (await tx.selectFrom('team_members').select('user_id').where('exercise_id', '=', id).where('user_id', '=', input.userId).executeTakeFirst()) {
      throw conflict('This user plays in a team of this exercise', { reason: 'plays_in_team' });
    }
    await tx.insertInto('exercise_staff').values({ exercise_id: id, user_id: input.userId, role: input.role }).onConflict((oc) => oc.columns(['exercise_id', 'user_id']).doUpdateSet({ role: input.role })).execute();
    await recordAudit(tx, ctx.clock, { action: 'exercise.staff_changed', outcome: 'success', actor: actor, target: { type: 'exercise', id }, ip: meta.ip, requestId: meta.requestId, details: { ...input } });
  });
  return listStaff(ctx, actor, id);
}
