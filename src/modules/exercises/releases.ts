import type { Selectable } from 'kysely';
import type { Tx } from '../../core/db/index.ts';
import type { ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { AppError, notFound, validationError } from '../../core/errors.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import type { Release, ScenarioDefinition } from '../scenarios/definition.ts';
import { loadDefinition } from '../scenarios/service.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { appendCustody, lockChain, type CustodyInput } from '../evidence/custody.ts';
import { recordAudit } from '../audit/service.ts';
import { clockState, loadExercise } from './service.ts';
import { gameSeconds } from './clock.ts';
import { requireOrganiser } from './access.ts';
import { deliverDueReplies, publishDelivery, type Delivery } from '../legal/delivery.ts';

// What each team has been given (evidence, objectives) is materialised in
// team_releases, the one source every read uses. Releases follow the game
// clock (at start, after N minutes) and injects (by time, by a team's solve,
// or fired by a trainer); each evidence release is logged in the chain of custody.

export const allTeams = '*';

export type Due = { evidence: string[]; objectives: string[] };

function isDue(release: Release, game: number, fired: ReadonlySet<string>, replies: ReadonlySet<string>): boolean {
  if ('at' in release) return true;
  if ('afterMinutes' in release) return game >= release.afterMinutes * 60;
  if ('legalReply' in release) return replies.has(release.legalReply);
  return fired.has(release.inject);
}

/**
 * The items due to a team at this game time, given the injects fired for it (or
 * for all) and the legal responses it has received (granted and past their delay).
 */
export function dueItems(definition: ScenarioDefinition, game: number, fired: ReadonlySet<string>, replies: ReadonlySet<string> = new Set()): Due {
  const fromInjects = definition.injects.filter((i) => fired.has(i.id));
  const evidence = new Set(definition.evidence.filter((e) => isDue(e.release, game, fired, replies)).map((e) => e.id));
  const objectives = new Set(definition.objectives.filter((o) => isDue(o.release, game, fired, replies)).map((o) => o.id));
  for (const inject of fromInjects) {
    inject.releases.evidence.forEach((e) => evidence.add(e));
    inject.releases.objectives.forEach((o) => objectives.add(o));
  }
  return { evidence: [...evidence], objectives: [...objectives] };
}

async function firedFor(tx: Tx, exerciseId: string, teamId: string): Promise<Set<string>> {
  const rows = await tx.selectFrom('fired_injects').select('inject_key').where('exercise_id', '=', exerciseId).where('team_id', 'in', [teamId, allTeams]).execute();
  return new Set(rows.map((r) => r.inject_key));
}

/** The legal responses whose reply has reached the team (granted requests, delivered after their delay). */
async function repliesFor(tx: Tx, teamId: string): Promise<Set<string>> {
  const rows = await tx.selectFrom('legal_requests').select('response_key').where('team_id', '=', teamId).where('outcome', '=', 'granted').where('delivered_at', 'is not', null).execute();
  return new Set(rows.flatMap((r) => (r.response_key ? [r.response_key] : [])));
}

// Templated evidence is rendered for each team when it is released to it, inside the team's
// transaction (often an answer's): the template's text is read from the store once. Stored
// files never change (named by their hash); the cache is bounded in bytes.
const templates = new Map<string, string>();
let templateBytes = 0;
const templateCacheBytes = 32 * 1024 * 1024;

async function templateText(ctx: AppContext, sha256: string): Promise<string> {
  const cached = templates.get(sha256);
  if (cached !== undefined) return cached;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.storage.open(sha256)) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (templateBytes + text.length > templateCacheBytes) {
    templates.clear();
    templateBytes = 0;
  }
  if (text.length <= templateCacheBytes) {
    templates.set(sha256, text);
    templateBytes += text.length;
  }
  return text;
}

/** The team's own copy of an evidence item: templated files are rendered with its values. */
async function teamVariant(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, definition: ScenarioDefinition, team: Selectable<TeamTable>, key: string) {
  const existing = await tx.selectFrom('team_evidence').select(['sha256', 'size']).where('team_id', '=', team.id).where('evidence_key', '=', key).executeTakeFirst();
  if (existing) return existing;
  const item = definition.evidence.find((e) => e.id === key)!;
  const file = await tx.selectFrom('scenario_files').select(['sha256', 'size']).where('scenario_id', '=', exercise.scenario_id).where('path', '=', item.file).executeTakeFirstOrThrow();
  let variant = { sha256: file.sha256, size: Number(file.size) };
  if (item.templated) {
    const rendered = renderTemplate(await templateText(ctx, file.sha256), JSON.parse(team.variables) as Record<string, string>);
    variant = await ctx.storage.putBuffer(rendered);
    await tx.insertInto('blobs').values({ sha256: variant.sha256, size: variant.size, created_at: iso(ctx.clock.now()) }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  }
  await tx.insertInto('team_evidence').values({ team_id: team.id, evidence_key: key, sha256: variant.sha256, size: variant.size }).execute();
  return variant;
}

/** Brings one team's releases up to date; returns what is new. The caller publishes the events after commit. */
export async function syncTeam(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, definition: ScenarioDefinition, team: Selectable<TeamTable>, cause = 'schedule'): Promise<Due> {
  if (!exercise.started_at) return { evidence: [], objectives: [] };
  const now = ctx.clock.now();
  const game = gameSeconds(clockState(exercise), now);
  const due = dueItems(definition, game, await firedFor(tx, exercise.id, team.id), await repliesFor(tx, team.id));
  const have = await tx.selectFrom('team_releases').select(['kind', 'item_key']).where('team_id', '=', team.id).execute();
  const has = new Set(have.map((r) => `${r.kind}:${r.item_key}`));
  const fresh: Due = { evidence: due.evidence.filter((k) => !has.has(`evidence:${k}`)), objectives: due.objectives.filter((k) => !has.has(`objective:${k}`)) };
  if (fresh.evidence.length + fresh.objectives.length === 0) return fresh;
  const releasedAt = iso(now);
  const rows = [
    ...fresh.evidence.map((k) => ({ team_id: team.id, kind: 'evidence' as const, item_key: k, released_at: releasedAt, cause })),
    ...fresh.objectives.map((k) => ({ team_id: team.id, kind: 'objective' as const, item_key: k, released_at: releasedAt, cause })),
  ];
  const inserted = await tx.insertInto('team_releases').values(rows).onConflict((oc) => oc.columns(['team_id', 'kind', 'item_key']).doNothing()).returning(['kind', 'item_key']).execute();
  const newEvidence = inserted.filter((r) => r.kind === 'evidence').map((r) => r.item_key);
  const custody: CustodyInput[] = [];
  for (const key of newEvidence) {
    const variant = await teamVariant(ctx, tx, exercise, definition, team, key);
    custody.push({ exerciseId: exercise.id, teamId: team.id, evidenceKey: key, sha256: variant.sha256, action: 'released', actorUserId: null, occurredAt: releasedAt, details: { cause } });
  }
  if (custody.length > 0) {
    await lockChain(tx, ctx.database.dialect, exercise.id);
    await appendCustody(tx, custody);
  }
  return { evidence: newEvidence, objectives: inserted.filter((r) => r.kind === 'objective').map((r) => r.item_key) };
}

const definitions = new Map<string, ScenarioDefinition>();
/** Scenario versions never change once imported, so their definitions are cached. */
export async function definitionOf(ctx: AppContext, tx: Tx | undefined, scenarioId: string): Promise<ScenarioDefinition> {
  let d = definitions.get(scenarioId);
  if (!d) {
    d = await loadDefinition(tx ?? ctx.database.db, scenarioId);
    definitions.set(scenarioId, d);
  }
  return d;
}

function publishReleases(ctx: AppContext, exerciseId: string, teamId: string, due: Due) {
  if (due.evidence.length + due.objectives.length === 0) return;
  ctx.events.publish({ channel: `team:${teamId}`, type: 'released', data: { exerciseId, ...due } });
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'released', data: { teamId, ...due } });
}

// The minutes of a definition's timed releases and injects (asked at every answer: computed once).
const thresholds = new WeakMap<ScenarioDefinition, number[]>();

/** The clock thresholds (timed releases and injects) an exercise has passed. */
function timeThresholdsPassed(definition: ScenarioDefinition, game: number): number {
  let minutes = thresholds.get(definition);
  if (!minutes) {
    minutes = [...definition.evidence.map((e) => e.release), ...definition.objectives.map((o) => o.release), ...definition.injects.map((i) => i.trigger)].flatMap((r) => ('afterMinutes' in r ? [r.afterMinutes] : []));
    thresholds.set(definition, minutes);
  }
  let passed = 0;
  for (const m of minutes) if (game >= m * 60) passed += 1;
  return passed;
}

const synced = new Map<string, string>();

// Teams whose releases were found complete at a clock signature (see `syncTeamIfDue`).
const teamsSynced = new Map<string, string>();

/**
 * `syncTeam` for the answer path, skipped when this process already found the team's releases
 * complete at the same clock signature (start, scenario, thresholds passed). Between two
 * thresholds nothing new can become due by time, and every inject fired (by the clock, a
 * trainer or a solve) syncs the teams it concerns in the transaction that fires it, on
 * whichever process, so a team found complete stays complete until the next threshold.
 * Only a sync that found nothing to add is remembered: what it adds could still roll back.
 */
export async function syncTeamIfDue(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, definition: ScenarioDefinition, team: Selectable<TeamTable>): Promise<Due> {
  if (!exercise.started_at) return { evidence: [], objectives: [] };
  const game = gameSeconds(clockState(exercise), ctx.clock.now());
  const signature = `${exercise.id}|${exercise.scenario_id}|${exercise.started_at}|${timeThresholdsPassed(definition, game)}`;
  if (teamsSynced.get(team.id) === signature) return { evidence: [], objectives: [] };
  const fresh = await syncTeam(ctx, tx, exercise, definition, team);
  if (fresh.evidence.length + fresh.objectives.length === 0) {
    if (teamsSynced.size >= 100_000) teamsSynced.clear();
    teamsSynced.set(team.id, signature);
  }
  return fresh;
}

/**
 * Moves an exercise forward: starts it at its scheduled time, fires the injects
 * whose time has come, and brings every team's releases up to date.
 */
export async function advanceExercise(ctx: AppContext, exerciseId: string): Promise<void> {
  const { db } = ctx.database;
  const news: Array<[string, Due]> = [];
  const firedNow: string[] = [];
  const replies: Delivery[] = [];
  await db.transaction().execute(async (tx) => {
    let exercise = await loadExercise(tx, exerciseId);
    const now = ctx.clock.now();
    if (exercise.status === 'draft' && exercise.scheduled_start && exercise.scheduled_start <= iso(now)) {
      await tx.updateTable('exercises').set({ status: 'running', started_at: exercise.scheduled_start, updated_at: iso(now) }).where('id', '=', exerciseId).where('status', '=', 'draft').execute();
      exercise = await loadExercise(tx, exerciseId);
    }
    if (!exercise.started_at) return;
    const definition = await definitionOf(ctx, tx, exercise.scenario_id);
    const game = gameSeconds(clockState(exercise), now);
    // Legal replies fall due on the game clock, between its thresholds: delivering one syncs
    // the team it concerns in this transaction, so the signature below need not know of them.
    replies.push(await deliverDueReplies(ctx, tx, exercise, definition, null));
    const timed = definition.injects.filter((i) => 'afterMinutes' in i.trigger && game >= i.trigger.afterMinutes * 60);
    if (timed.length > 0) {
      const inserted = await tx
        .insertInto('fired_injects')
        .values(timed.map((i) => ({ id: newId(), exercise_id: exerciseId, inject_key: i.id, team_id: allTeams, fired_at: iso(now), fired_by: null })))
        .onConflict((oc) => oc.columns(['exercise_id', 'inject_key', 'team_id']).doNothing())
        .returning('inject_key')
        .execute();
      firedNow.push(...inserted.map((r) => r.inject_key));
    }
    const teams = await tx.selectFrom('teams').selectAll().where('exercise_id', '=', exerciseId).execute();
    // Between two thresholds of the clock nothing new is due to anyone (injects
    // fired for one team sync that team themselves), so the teams are left alone.
    const signature = `${exercise.started_at}|${teams.length}|${timeThresholdsPassed(definition, game)}`;
    if (synced.get(exerciseId) === signature) return;
    for (const team of teams) news.push([team.id, await syncTeam(ctx, tx, exercise, definition, team)]);
    synced.set(exerciseId, signature);
  });
  for (const key of firedNow) ctx.events.publish({ channel: `exercise:${exerciseId}`, type: 'inject', data: { exerciseId, inject: key } });
  for (const [teamId, due] of news) publishReleases(ctx, exerciseId, teamId, due);
  for (const delivery of replies) publishDelivery(ctx, delivery);
}

/** A trainer fires an inject by hand, for every team or for one. */
export async function fireInject(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, injectKey: string, teamId: string | null, meta: { ip: string | null; requestId: string }) {
  const { db } = ctx.database;
  const news: Array<[string, Due]> = [];
  await db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, exerciseId);
    const exercise = await loadExercise(tx, exerciseId);
    if (!exercise.started_at || exercise.status === 'ended') throw new AppError('conflict', 'Injects can be fired only while the exercise runs', { reason: 'not_running' });
    const definition = await definitionOf(ctx, tx, exercise.scenario_id);
    if (!definition.injects.some((i) => i.id === injectKey)) throw validationError('body.inject', `no inject "${injectKey}" in the scenario`);
    let teams = await tx.selectFrom('teams').selectAll().where('exercise_id', '=', exerciseId).execute();
    if (teamId) {
      teams = teams.filter((t) => t.id === teamId);
      if (teams.length === 0) throw notFound('Team');
    }
    await tx
      .insertInto('fired_injects')
      .values({ id: newId(), exercise_id: exerciseId, inject_key: injectKey, team_id: teamId ?? allTeams, fired_at: iso(ctx.clock.now()), fired_by: actor.userId })
      .onConflict((oc) => oc.columns(['exercise_id', 'inject_key', 'team_id']).doNothing())
      .execute();
    for (const team of teams) news.push([team.id, await syncTeam(ctx, tx, exercise, definition, team, `inject:${injectKey}`)]);
    await recordAudit(tx, ctx.clock, { action: 'exercise.inject_fired', outcome: 'success', actor: actor, target: { type: 'exercise', id: exerciseId }, ip: meta.ip, requestId: meta.requestId, details: { inject: injectKey, teamId } });
  });
  ctx.events.publish({ channel: teamId ? `team:${teamId}` : `exercise:${exerciseId}`, type: 'inject', data: { exerciseId, inject: injectKey } });
  for (const [id, due] of news) publishReleases(ctx, exerciseId, id, due);
}

/** Injects triggered by a team's solve of an objective; called in the solve's transaction. */
export async function fireOnSolve(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, definition: ScenarioDefinition, team: Selectable<TeamTable>, objectiveKey: string): Promise<{ injects: string[]; due: Due }> {
  const triggered = definition.injects.filter((i) => 'onSolve' in i.trigger && i.trigger.onSolve === objectiveKey);
  if (triggered.length === 0) return { injects: [], due: { evidence: [], objectives: [] } };
  const inserted = await tx
    .insertInto('fired_injects')
    .values(triggered.map((i) => ({ id: newId(), exercise_id: exercise.id, inject_key: i.id, team_id: team.id, fired_at: iso(ctx.clock.now()), fired_by: null })))
    .onConflict((oc) => oc.columns(['exercise_id', 'inject_key', 'team_id']).doNothing())
    .returning('inject_key')
    .execute();
  return { injects: inserted.map((r) => r.inject_key), due: await syncTeam(ctx, tx, exercise, definition, team, `solve:${objectiveKey}`) };
}

export { publishReleases };
