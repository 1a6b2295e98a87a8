import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError, rowCount } from '../../test/expect.ts';
import { exerciseWithTeams, importScenario, openEvents, type Player } from '../scoring/fixture.ts';
import { adviceActivity } from './activity.ts';
import { adviceStats } from './summary.ts';

// The expert guidance desk over HTTP: need-to-know on every path, the staff
// actions (claim, reply, hint, penalty, close, broadcast) and the reply times.

let env: TestEnv;
let trainer: TestClient;
let expert: TestClient;
let expertId: string;
let outsiderExpert: TestClient;
let analyst: TestClient;
let exerciseId: string;
let red: Player;
let blue: Player;
let redRequest: string;
const someId = '00000000-0000-4000-8000-000000000000';
const penalty = 15;

const base = () => `/api/exercises/${exerciseId}/advice`;
const counts = async () => ({
  requests: await rowCount(env, 'advice_requests'),
  messages: await rowCount(env, 'advice_messages'),
  adjustments: await rowCount(env, 'score_adjustments'),
  unlocks: await rowCount(env, 'hint_unlocks'),
});

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  const scenarioId = await importScenario(env, trainer, {
    scoring: { advicePenalty: penalty },
    hints: [
      { id: 'h1', objective: 'wallet', text: { en: 'Read the body.' }, cost: 10 },
      { id: 'h2', text: { en: 'Think about the exchange.' }, cost: 5 },
      { id: 'h3', objective: 'deposit', text: { en: 'The deposit has a reference.' }, cost: 5 },
    ],
  });
  const setUp = await exerciseWithTeams(env, trainer, scenarioId);
  exerciseId = setUp.exercise.id;
  [red, blue] = setUp.teams as [Player, Player];
  const e = await signedIn(env, { roles: ['expert'], displayName: 'Eve Expert' });
  expert = e.client;
  expertId = e.user.id;
  expect((await trainer.post(`/api/exercises/${exerciseId}/staff`, { userId: expertId, role: 'expert' })).status).toBe(200);
  outsiderExpert = (await signedIn(env, { roles: ['expert'] })).client;
  analyst = (await signedIn(env, { roles: ['partner_analyst'] })).client;
});
afterAll(async () => env?.close());

describe('asking for advice', () => {
  it('shows the team the penalty before it asks, then records its request with the exhibit and its hash', async () => {
    const desk = await red.client.get(base());
    expect(desk.status).toBe(200);
    expect(desk.body).toEqual({ advicePenalty: penalty, requests: [] });

    const staffEvents = await openEvents(env.baseUrl, expert, exerciseId);
    const created = await red.client.post(base(), { subject: '  Which header? ', text: 'We cannot find the sender.', evidenceKey: 'mail' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const held = await env.ctx.database.db.selectFrom('team_evidence').select('sha256').where('team_id', '=', red.id).where('evidence_key', '=', 'mail').executeTakeFirstOrThrow();
    expect(created.body.request).toMatchObject({ teamId: red.id, subject: 'Which header?', status: 'open', evidence: { key: 'mail', sha256: held.sha256 }, claimedBy: null, firstReplySeconds: null, awaitingReply: true, messageCount: 1 });
    expect(created.body.messages).toMatchObject([{ kind: 'team', body: 'We cannot find the sender.', authorId: red.userId }]);
    redRequest = created.body.request.id;
    const event = await staffEvents.next((e) => e.type === 'advice');
    expect(event.data).toEqual({ teamId: red.id, requestId: redRequest, change: 'requested' });
    staffEvents.close();
    expect((await red.client.get(base())).body.requests.map((r: { id: string }) => r.id)).toEqual([redRequest]);
  });

  it('refuses bad input with the field named and stores nothing', async () => {
    const before = await counts();
    const cases: Array<[unknown, number, string]> = [
      [{ subject: '', text: 'x' }, 400, 'subject'],
      [{ subject: 'x', text: '   ' }, 400, 'text'],
      [{ subject: 'x'.repeat(201), text: 'x' }, 400, 'subject'],
      [{ subject: 'x', text: 'x', extra: 1 }, 400, ''],
      // Not released to the team yet, unknown, and badly formed.
      [{ subject: 'x', text: 'x', evidenceKey: 'later' }, 400, 'evidenceKey'],
      [{ subject: 'x', text: 'x', evidenceKey: 'nothing' }, 400, 'evidenceKey'],
      [{ subject: 'x', text: 'x', evidenceKey: '../mail' }, 400, 'evidenceKey'],
    ];
    for (const [body, status, field] of cases) {
      const res = await red.client.post(base(), body);
      expectError(res, status, 'validation_failed');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
      // The field is named the same way whether the schema or the service refused it.
      if (field) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(`body.${field}`);
    }
    expectError(await red.client.post(`${base()}/${redRequest}/messages`, { text: '' }), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });
});

describe('need-to-know', () => {
  it("shows a team none of another team's threads on any path", async () => {
    const blueDesk = await blue.client.get(base());
    expect(blueDesk.status).toBe(200);
    expect(blueDesk.body.requests).toEqual([]);
    const before = await counts();
    for (const [method, path, body] of [
      ['GET', `${base()}/${redRequest}`],
      ['POST', `${base()}/${redRequest}/messages`, { text: 'Peek' }],
    ] as const) {
      const res = await blue.client.request(method, path, body);
      expectError(res, 404, 'not_found');
      // The same answer as for a request that does not exist.
      expect(res.body).toEqual((await blue.client.request(method, path.replace(redRequest, someId), body)).body);
    }
    // The attachment is Red's exhibit: Blue cannot reach it through Red's locker either.
    expectError(await blue.client.get(`/api/exercises/${exerciseId}/evidence/mail?teamId=${red.id}`), 404, 'not_found');
    expectError(await blue.client.get(`/api/exercises/${exerciseId}/evidence/mail/content?teamId=${red.id}`), 404, 'not_found');
    expect(await counts()).toEqual(before);
  });

  it('refuses participants the staff actions, and answers 404 to partner analysts and staff of no part in the exercise', async () => {
    const before = await counts();
    const staffActions: Array<['GET' | 'POST', string, unknown?]> = [
      ['GET', `${base()}/queue`],
      ['GET', `${base()}/stats`],
      ['POST', `${base()}/broadcast`, { message: 'All teams: hello' }],
      ['POST', `${base()}/${redRequest}/claim`, {}],
      ['POST', `${base()}/${redRequest}/unclaim`, {}],
      ['POST', `${base()}/${redRequest}/hints`, { hintKey: 'h2' }],
      ['POST', `${base()}/${redRequest}/penalty`, {}],
      ['POST', `${base()}/${redRequest}/close`, {}],
    ];
    for (const [method, path, body] of staffActions) {
      expectError(await red.client.request(method, path, body), 403, 'forbidden');
      expectError(await blue.client.request(method, path, body), 403, 'forbidden');
    }
    const everything: Array<['GET' | 'POST', string, unknown?]> = [
      ['GET', base()],
      ['POST', base(), { subject: 'x', text: 'x' }],
      ['GET', `${base()}/${redRequest}`],
      ['POST', `${base()}/${redRequest}/messages`, { text: 'x' }],
      ...staffActions,
    ];
    for (const client of [analyst, outsiderExpert]) {
      for (const [method, path, body] of everything) expectError(await client.request(method, path, body), 404, 'not_found');
    }
    // Staff play in no team: they neither ask nor read a desk.
    expectError(await expert.get(base()), 403, 'forbidden');
    expectError(await expert.post(base(), { subject: 'x', text: 'x' }), 403, 'forbidden');
    expect(await counts()).toEqual(before);
    const thread = (await red.client.get(`${base()}/${redRequest}`)).body;
    expect(thread.request).toMatchObject({ status: 'open', claimedBy: null, penaltyPoints: null });
  });

  it('shows experts and trainers every team', async () => {
    const blueAsk = await blue.client.post(base(), { subject: 'Ledger', text: 'Where is the ledger?' });
    expect(blueAsk.status).toBe(201);
    for (const staff of [expert, trainer]) {
      const queue = (await staff.get(`${base()}/queue`)).body;
      expect(queue.items.map((r: { teamId: string }) => r.teamId).sort()).toEqual([red.id, blue.id].sort());
      expect(queue.advicePenalty).toBe(penalty);
      expect(queue.hints.map((h: { key: string }) => h.key)).toEqual(['h1', 'h2', 'h3']);
      expect((await staff.get(`${base()}/${redRequest}`)).status).toBe(200);
      expect((await staff.get(`${base()}/${blueAsk.body.request.id}`)).status).toBe(200);
    }
  });
});

describe('the desk at work', () => {
  it('claims, takes over and lets go; a participant’s message is never a staff reply', async () => {
    env.clock.advance(60);
    const claimed = await expert.post(`${base()}/${redRequest}/claim`, {});
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: expertId, claimedByName: 'Eve Expert' });
    const seen = (await trainer.get(`${base()}/queue?teamId=${red.id}`)).body.items[0];
    expect(seen.claimedBy).toBe(expertId);
    const takenOver = (await trainer.post(`${base()}/${redRequest}/claim`, {})).body;
    expect(takenOver.claimedBy).not.toBe(expertId);
    expect((await trainer.post(`${base()}/${redRequest}/unclaim`, {})).body).toMatchObject({ status: 'open', claimedBy: null });
    expect((await expert.post(`${base()}/${redRequest}/claim`, {})).body.claimedBy).toBe(expertId);

    const follow = await red.client.post(`${base()}/${redRequest}/messages`, { text: 'Any idea?' });
    expect(follow.status).toBe(201);
    expect(follow.body.kind).toBe('team');
    const thread = (await red.client.get(`${base()}/${redRequest}`)).body;
    expect(thread.request).toMatchObject({ status: 'claimed', firstReplyAt: null, awaitingReply: true });
  });

  it('measures the time to first reply and tells the team live', async () => {
    env.clock.advance(60);
    const teamEvents = await openEvents(env.baseUrl, red.client, exerciseId);
    const otherTeamEvents = await openEvents(env.baseUrl, blue.client, exerciseId);
    await otherTeamEvents.next((e) => e.type === 'ready');
    const reply = await expert.post(`${base()}/${redRequest}/messages`, { text: 'Look at the Received headers.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ kind: 'staff', authorId: expertId, authorName: 'Eve Expert' });
    expect((await teamEvents.next((e) => e.type === 'advice')).data).toEqual({ exerciseId, requestId: redRequest, change: 'message' });
    teamEvents.close();
    // Blue hears nothing of Red's thread.
    expect(otherTeamEvents.events.filter((e) => e.type === 'advice')).toEqual([]);
    otherTeamEvents.close();
    const thread = (await red.client.get(`${base()}/${redRequest}`)).body;
    expect(thread.request).toMatchObject({ status: 'answered', firstReplySeconds: 120, awaitingReply: false });
    expect(thread.messages.map((m: { kind: string }) => m.kind)).toEqual(['team', 'team', 'staff']);
  });

  it("grants a hint to that team only, free of charge", async () => {
    const granted = await expert.post(`${base()}/${redRequest}/hints`, { hintKey: 'h1' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body.messages.at(-1)).toMatchObject({ kind: 'hint', hintKey: 'h1', points: 0 });
    const unlocks = await env.ctx.database.db.selectFrom('hint_unlocks').selectAll().where('exercise_id', '=', exerciseId).execute();
    expect(unlocks.map((u) => [u.team_id, u.hint_key, u.cost])).toEqual([[red.id, 'h1', 0]]);
    const redHints = (await red.client.get(`/api/exercises/${exerciseId}/hint-unlocks`)).body.items;
    expect(redHints).toMatchObject([{ hintKey: 'h1', cost: 0, unlockedBy: expertId }]);
    expect((await blue.client.get(`/api/exercises/${exerciseId}/hint-unlocks`)).body.items).toEqual([]);
    const board = (await trainer.get(`/api/exercises/${exerciseId}/board`)).body;
    const redRow = board.teams.find((row: { teamId: string }) => row.teamId === red.id);
    expect(redRow.hintCost).toBe(0);
    expect(redRow.cells.find((c: { objectiveKey: string }) => c.objectiveKey === 'wallet').hintsUsed).toEqual(['h1']);
    // Reading it now costs the team nothing either.
    expect((await red.client.post(`/api/exercises/${exerciseId}/hints/h1/unlock`)).body).toMatchObject({ cost: 0, alreadyUnlocked: true });
    // The team's view says what the hint cost it (nothing), beside its price.
    const view = (await red.client.get(`/api/exercises/${exerciseId}/play`)).body;
    expect(view.hints.find((h: { id: string }) => h.id === 'h1')).toMatchObject({ unlocked: true, paid: 0 });

    const before = await counts();
    expectError(await expert.post(`${base()}/${redRequest}/hints`, { hintKey: 'h1' }), 409, 'conflict');
    for (const hintKey of ['h3', 'nothing']) {
      const res = await expert.post(`${base()}/${redRequest}/hints`, { hintKey });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toMatchObject([{ path: 'body.hintKey' }]);
    }
    expect(await counts()).toEqual(before);
  });

  it('applies the advice penalty once, and the scoreboard takes it', async () => {
    const score = async (teamId: string) => (await trainer.get(`/api/exercises/${exerciseId}/scoreboard`)).body.ranking.find((r: { teamId: string }) => r.teamId === teamId).score as number;
    const [redBefore, blueBefore] = [await score(red.id), await score(blue.id)];
    const penalised = await expert.post(`${base()}/${redRequest}/penalty`, {});
    expect(penalised.status, JSON.stringify(penalised.body)).toBe(200);
    expect(penalised.body.request.penaltyPoints).toBe(penalty);
    expect(penalised.body.messages.at(-1)).toMatchObject({ kind: 'penalty', points: penalty });
    const again = await trainer.post(`${base()}/${redRequest}/penalty`, {});
    expectError(again, 409, 'conflict');
    expect(again.body.error.details).toEqual({ reason: 'already_penalised' });
    const adjustments = (await red.client.get(`/api/exercises/${exerciseId}/adjustments`)).body.items;
    expect(adjustments).toMatchObject([{ kind: 'advice_penalty', points: -penalty, teamId: red.id }]);
    expect((await trainer.get(`/api/exercises/${exerciseId}/board`)).body.adjustments).toMatchObject([{ kind: 'advice_penalty', points: -penalty }]);
    expect(await score(red.id)).toBe(redBefore - penalty);
    expect(await score(blue.id)).toBe(blueBefore);
  });

  it('filters and pages the queue, and summarises the reply times', async () => {
    const blueRequest = (await blue.client.get(base())).body.requests[0].id as string;
    // Blue asked at the start (t=0 after the first 0 s); the trainer answers at t=300.
    env.clock.advance(180);
    expect((await trainer.post(`${base()}/${blueRequest}/messages`, { text: 'Wait for the exchange.' })).status).toBe(201);

    const answered = (await expert.get(`${base()}/queue?status=answered`)).body;
    expect(answered.total).toBe(2);
    expect((await expert.get(`${base()}/queue?status=open`)).body.total).toBe(0);
    const page = (await expert.get(`${base()}/queue?pageSize=1&page=2&sort=-teamName`)).body;
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page.items.map((r: { teamName: string }) => r.teamName)).toEqual(['Blue']);
    expect((await expert.get(`${base()}/queue?teamId=${blue.id}`)).body.items.map((r: { id: string }) => r.id)).toEqual([blueRequest]);
    expectError(await expert.get(`${base()}/queue?teamId=${someId}`), 404, 'not_found');
    expectError(await expert.get(`${base()}/queue?status=lost`), 400, 'validation_failed');

    const stats = (await expert.get(`${base()}/stats`)).body;
    expect(stats).toMatchObject({ requests: 2, answered: 2, medianFirstReplySeconds: 210, p90FirstReplySeconds: 300 });
    expect(stats.perTeam).toEqual(
      expect.arrayContaining([
        { teamId: red.id, teamName: 'Red', requests: 1, penalties: 1 },
        { teamId: blue.id, teamName: 'Blue', requests: 1, penalties: 0 },
      ]),
    );
    expect(stats.perExpert.find((p: { userId: string }) => p.userId === expertId)).toEqual({ userId: expertId, displayName: 'Eve Expert', replies: 1, medianFirstReplySeconds: 120 });

    const direct = await adviceStats(env.ctx.database.db, exerciseId);
    expect(direct.perTeam).toEqual(expect.arrayContaining([{ teamId: red.id, requests: 1, penalties: 1 }]));
    const activity = await adviceActivity(env.ctx.database.db, exerciseId, red.id);
    expect(activity.map((a) => [a.kind, a.details.reply ?? null])).toEqual([
      ['advice_requested', null],
      ['advice_replied', 'message'],
      ['advice_replied', 'hint'],
      ['advice_replied', 'penalty'],
    ]);
    expect(activity.every((a) => a.teamId === red.id)).toBe(true);
    expect((await adviceActivity(env.ctx.database.db, exerciseId, null)).map((a) => a.teamId)).toContain(blue.id);
  });

  it('penalises once when two staff press at the same moment', async () => {
    const blueRequest = (await blue.client.get(base())).body.requests[0].id as string;
    const before = await rowCount(env, 'score_adjustments');
    const results = await Promise.all([expert.post(`${base()}/${blueRequest}/penalty`, {}), trainer.post(`${base()}/${blueRequest}/penalty`, {})]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await rowCount(env, 'score_adjustments')).toBe(before + 1);
    const penalties = await env.ctx.database.db.selectFrom('advice_messages').select('id').where('request_id', '=', blueRequest).where('kind', '=', 'penalty').execute();
    expect(penalties).toHaveLength(1);
  });

  it('closes a request: no more messages in it', async () => {
    const closed = await expert.post(`${base()}/${redRequest}/close`, {});
    expect(closed.body).toMatchObject({ status: 'closed', awaitingReply: false });
    expectError(await red.client.post(`${base()}/${redRequest}/messages`, { text: 'One more thing' }), 409, 'conflict');
    expectError(await expert.post(`${base()}/${redRequest}/close`, {}), 409, 'conflict');
  });

  it('lets an expert broadcast to every team', async () => {
    const res = await expert.post(`${base()}/broadcast`, { message: 'Tip for all: check the time zones.' });
    expect(res.status).toBe(201);
    for (const team of [red, blue]) {
      const list = (await team.client.get(`/api/exercises/${exerciseId}/announcements`)).body;
      expect(list.map((a: { message: string }) => a.message)).toContain('Tip for all: check the time zones.');
    }
    const audit = await env.ctx.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'advice.%').execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['advice.requested', 'advice.messaged', 'advice.claimed', 'advice.unclaimed', 'advice.hint_granted', 'advice.penalised', 'advice.closed', 'advice.broadcast']));
  });
});
