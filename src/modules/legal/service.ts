import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { LegalRequestTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { forbidden, notFound, validationError } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { LocalizedText, ScenarioDefinition } from '../scenarios/definition.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { recordAudit } from '../audit/service.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { gameSeconds } from '../exercises/clock.ts';
import { clockState, loadExercise } from '../exercises/service.ts';
import { definitionOf } from '../exercises/releases.ts';
import { assertRunningFor, loadTeamMemberPlay, teamScope } from '../scoring/access.ts';
import { deliverDueReplies, publishDelivery, type Delivery } from './delivery.ts';
import { matchResponse } from './matching.ts';
import type { LegalParty, LegalPartySummary, LegalRequest, LegalRequestCreate, LegalRequestsQuery } from './schemas.ts';

// Legal requests: a team member sends one to a party of the scenario; the
// outcome (the response it matches, or the party's refusal) is decided and
// stored at once, and the reply is delivered after its in-game delay
// (delivery.ts). A team reads its own requests, with the outcome only once the
// reply has arrived (nor when it is due, which differs between outcomes); staff
// read every team's, with the outcome decided.

type Meta = { ip: string | null; requestId: string };
type Values = Record<string, string>;
type Row = Selectable<LegalRequestTable> & { team_name: string; team_variables: string; sender_name: string };

const render = (text: LocalizedText, values: Values): LocalizedText => Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, renderTemplate(t, values)]));

/** The parties of the exercise's scenario, as a team may read them (never their responses' rules, not even the request types they grant). */
export async function listParties(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<LegalParty[]> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  // A team reads the descriptions with its values; staff, who play in no team, as written.
  let shown = (text: LocalizedText) => text;
  if (role.kind === 'participant') {
    const team = await db.selectFrom('teams').select('variables').where('id', '=', role.teamId).executeTakeFirstOrThrow();
    const values = JSON.parse(team.variables) as Values;
    shown = (text) => render(text, values);
  }
  return definition.legalParties.map((p) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    country: p.country ?? null,
    description: p.description ? shown(p.description) : null,
  }));
}

export async function sendRequest(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, input: LegalRequestCreate, meta: Meta): Promise<LegalRequest> {
  const { db, dialect } = ctx.database;
  const now = ctx.clock.now();
  const { id, teamId, delivery, outcome } = await db.transaction().execute(async (tx) => {
    // The team row is locked (PostgreSQL): two requests for one response cannot both be granted.
    const { exercise, team } = await loadTeamMemberPlay(tx, dialect, actor, exerciseId);
    assertRunningFor(exercise, team, now);
    const definition = await definitionOf(ctx, tx, exercise.scenario_id);
    const party = definition.legalParties.find((p) => p.id === input.party);
    if (!party) throw validationError('body.party', `no party "${input.party}" in the scenario`);
    const values = JSON.parse(team.variables) as Values;
    const response = matchResponse(party, input, values);
    const game = Math.floor(gameSeconds(clockState(exercise), now));
    let row: Pick<Selectable<LegalRequestTable>, 'outcome' | 'response_key' | 'reply' | 'points' | 'due_game_second'>;
    if (response) {
      const earlier = await tx.selectFrom('legal_requests').select('id').where('team_id', '=', team.id).where('response_key', '=', response.id).where('outcome', '=', 'granted').executeTakeFirst();
      row = earlier
        ? { outcome: 'already_provided', response_key: response.id, reply: null, points: 0, due_game_second: game + response.delayMinutes * 60 }
        : { outcome: 'granted', response_key: response.id, reply: JSON.stringify(render(response.reply, values)), points: response.points, due_game_second: game + response.delayMinutes * 60 };
    } else {
      row = { outcome: 'refused', response_key: null, reply: JSON.stringify(render(party.refusal, values)), points: party.refusalPoints, due_game_second: game + party.delayMinutes * 60 };
    }
    const id = newId();
    await tx
      .insertInto('legal_requests')
      .values({
        id,
        exercise_id: exercise.id,
        team_id: team.id,
        party_key: party.id,
        request_type: input.type,
        identifiers: JSON.stringify(input.identifiers.map((i) => ({ kind: i.kind, value: i.value, at: i.at ? new Date(i.at).toISOString() : null }))),
        justification: input.justification,
        sent_by: actor.userId,
        sent_at: iso(now),
        sent_game_second: game,
        delivered_at: null,
        ...row,
      })
      .execute();
    await recordAudit(tx, ctx.clock, {
      action: 'legal.request_sent',
      outcome: 'success',
      actor,
      target: { type: 'legal_request', id },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { exerciseId, teamId: team.id, party: party.id, type: input.type, outcome: row.outcome, responseId: row.response_key },
    });
    // A reply without delay arrives at once.
    const delivery = await deliverDueReplies(ctx, tx, exercise, definition, team.id);
    return { id, teamId: team.id, delivery, outcome: row.outcome };
  });
  const data = { requestId: id, party: input.party };
  ctx.events.publish({ channel: `team:${teamId}`, type: 'legal_request', data: { exerciseId, ...data } });
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'legal_request', data: { teamId, outcome, ...data } });
  publishDelivery(ctx, delivery);
  return getRequest(ctx, actor, exerciseId, id);
}

/** Brings the replies of one team (or all) up to date before a read. */
async function deliverBeforeRead(ctx: AppContext, exerciseId: string, teamId: string | null): Promise<ScenarioDefinition> {
  const { db } = ctx.database;
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  const pending = await db.selectFrom('legal_requests').select('id').where('exercise_id', '=', exerciseId).where('delivered_at', 'is', null).$if(teamId !== null, (q) => q.where('team_id', '=', teamId!)).limit(1).executeTakeFirst();
  if (!pending) return definition;
  const delivery: Delivery = await db.transaction().execute(async (tx) => deliverDueReplies(ctx, tx, await loadExercise(tx, exerciseId), definition, teamId));
  publishDelivery(ctx, delivery);
  return definition;
}

function baseQuery(db: Db, exerciseId: string) {
  return db
    .selectFrom('legal_requests')
    .innerJoin('teams', 'teams.id', 'legal_requests.team_id')
    .innerJoin('users', 'users.id', 'legal_requests.sent_by')
    .where('legal_requests.exercise_id', '=', exerciseId);
}

function present(row: Row, definition: ScenarioDefinition, game: number, staff: boolean): LegalRequest {
  const delivered = row.delivered_at !== null;
  const party = definition.legalParties.find((p) => p.id === row.party_key);
  const values = JSON.parse(row.team_variables) as Values;
  const released = delivered && row.outcome === 'granted' ? definition.evidence.filter((e) => 'legalReply' in e.release && e.release.legalReply === row.response_key) : [];
  return {
    id: row.id,
    teamId: row.team_id,
    teamName: row.team_name,
    party: row.party_key,
    partyName: party?.name ?? { en: row.party_key },
    type: row.request_type,
    identifiers: JSON.parse(row.identifiers) as LegalRequest['identifiers'],
    justification: row.justification,
    sentBy: row.sent_by,
    sentByName: row.sender_name,
    sentAt: row.sent_at,
    status: delivered ? row.outcome : 'pending',
    replyDueInSeconds: delivered || !staff ? null : Math.max(0, row.due_game_second - Math.floor(game)),
    repliedAt: row.delivered_at,
    reply: delivered && row.reply ? (JSON.parse(row.reply) as LocalizedText) : null,
    points: delivered ? row.points : null,
    evidence: released.map((e) => ({ id: e.id, title: render(e.title, values) })),
    responseId: staff ? row.response_key : null,
    outcome: staff ? row.outcome : null,
  };
}

const columns = ['teams.name as team_name', 'teams.variables as team_variables', 'users.display_name as sender_name'] as const;

/** Legal requests the caller may read: a participant its team's, staff every team's (filtered on request). */
export async function listRequests(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: LegalRequestsQuery) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const scope = teamScope(role, query.teamId);
  if (scope && !(await db.selectFrom('teams').select('id').where('id', '=', scope).where('exercise_id', '=', exerciseId).executeTakeFirst())) throw notFound('Team');
  const staff = isStaff(role);
  const definition = await deliverBeforeRead(ctx, exerciseId, role.teamId);
  const exercise = await loadExercise(db, exerciseId);
  let q = baseQuery(db, exerciseId);
  if (scope) q = q.where('legal_requests.team_id', '=', scope);
  if (query.party) q = q.where('legal_requests.party_key', '=', query.party);
  // A team learns the outcome with the reply: it can neither filter nor sort by it before.
  if (staff && query.outcome) q = q.where('legal_requests.outcome', '=', query.outcome);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const descending = query.sort.startsWith('-');
  const order = descending ? 'desc' : 'asc';
  const byField = { sentAt: 'legal_requests.sent_at', teamName: 'teams.name', party: 'legal_requests.party_key', outcome: 'legal_requests.outcome' } as const;
  let field = byField[query.sort.replace(/^-/, '') as keyof typeof byField];
  if (field === byField.outcome && !staff) field = byField.sentAt;
  const rows = await q
    .selectAll('legal_requests')
    .select(columns)
    .orderBy(field, order)
    .orderBy('legal_requests.sent_at', 'desc')
    .orderBy('legal_requests.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const game = gameSeconds(clockState(exercise), ctx.clock.now());
  return { items: rows.map((r) => present(r, definition, game, staff)), total: Number(total), page: query.page, pageSize: query.pageSize };
}

/** One request: a participant only its own team's (another team's is not found). */
export async function getRequest(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, requestId: string): Promise<LegalRequest> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const definition = await deliverBeforeRead(ctx, exerciseId, role.teamId);
  let q = baseQuery(db, exerciseId).where('legal_requests.id', '=', requestId);
  if (role.kind === 'participant') q = q.where('legal_requests.team_id', '=', role.teamId);
  const row = await q.selectAll('legal_requests').select(columns).executeTakeFirst();
  if (!row) throw notFound('Legal request');
  const exercise = await loadExercise(db, exerciseId);
  return present(row, definition, gameSeconds(clockState(exercise), ctx.clock.now()), isStaff(role));
}

/** Staff: per party, how many requests were sent, granted, refused, and the points they made. */
export async function legalSummary(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<LegalPartySummary[]> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isStaff(role)) throw forbidden('Only the exercise’s trainers and experts can see this');
  const definition = await deliverBeforeRead(ctx, exerciseId, null);
  const rows = await db.selectFrom('legal_requests').select(['party_key', 'team_id', 'outcome', 'points', 'delivered_at']).where('exercise_id', '=', exerciseId).execute();
  return definition.legalParties.map((p) => {
    const mine = rows.filter((r) => r.party_key === p.id);
    const delivered = mine.filter((r) => r.delivered_at !== null);
    return {
      party: p.id,
      partyName: p.name,
      sent: mine.length,
      pending: mine.length - delivered.length,
      granted: mine.filter((r) => r.outcome === 'granted').length,
      refused: mine.filter((r) => r.outcome === 'refused').length,
      alreadyProvided: mine.filter((r) => r.outcome === 'already_provided').length,
      teamsGranted: new Set(mine.filter((r) => r.outcome === 'granted').map((r) => r.team_id)).size,
      points: delivered.reduce((sum, r) => sum + r.points, 0),
    };
  });
}
