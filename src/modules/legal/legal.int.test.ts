import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError, rowCount } from '../../test/expect.ts';
import { miniDefinition, miniFiles, uploadPackage } from '../../test/scenario-fixture.ts';
import { rawZip } from '../../test/zip.ts';
import { advanceExercise } from '../exercises/releases.ts';
import { exerciseWithTeams, openEvents, valuesOf, type Player } from '../scoring/fixture.ts';
import { legalActivity } from './activity.ts';

// Legal requests over HTTP: a well-aimed request releases its evidence after its
// in-game delay to its team only; badly aimed ones are refused with the party's
// reply after the party's delay; everything is recorded; pauses stop the delay;
// no team reads another's requests; bad input stores nothing.

let env: TestEnv;
let trainer: TestClient;
let exerciseId: string;
let red: Player;
let blue: Player;
let redIp: string;
let blueIp: string;
const someId = '00000000-0000-4000-8000-000000000000';
const justification = 'The IP address sent the extortion e-mail in a case of aggravated extortion.';
const sentAt = '2025-03-10T07:42:16Z';

function legalPackage(): Buffer {
  const base = miniDefinition();
  const definition = miniDefinition({
    evidence: [
      ...(base.evidence as object[]),
      { id: 'subscriber', file: 'evidence/subscriber.txt', title: { en: 'Subscriber of {{ sender_ip }}' }, kind: 'document', templated: true, release: { legalReply: 'isp-subscriber' } },
      { id: 'account', file: 'evidence/account.csv', title: { en: 'Exchange account' }, kind: 'document', templated: true, release: { legalReply: 'exchange-account' } },
    ],
    legalParties: [
      {
        id: 'isp',
        name: { en: 'Nordlane Telecom', fr: 'Nordlane Télécom' },
        kind: 'isp',
        country: 'SG',
        description: { en: 'Access provider of {{ company }}' },
        responses: [
          {
            id: 'isp-subscriber',
            types: ['subscriber_information'],
            identifier: { kind: 'ip', value: '{{ sender_ip }}', at: sentAt, toleranceMinutes: 10 },
            delayMinutes: 20,
            reply: { en: 'The subscriber of {{ sender_ip }} is J. Doe.' },
            points: 30,
          },
        ],
        refusal: { en: 'We cannot act on this request.' },
        refusalPoints: -5,
        delayMinutes: 10,
      },
      {
        id: 'exchange',
        name: { en: 'Halvora Exchange' },
        kind: 'exchange',
        responses: [
          {
            id: 'exchange-account',
            types: ['production_order', 'preservation'],
            identifier: { kind: 'wallet', value: '{{ wallet }}' },
            requireJustification: false,
            reply: { en: 'Account holding {{ wallet }}.' },
            points: 10,
          },
        ],
        refusal: { en: 'No such account.' },
      },
    ],
  });
  return rawZip(
    miniFiles(stringify(definition), [
      { name: 'evidence/subscriber.txt', data: Buffer.from('IP {{ sender_ip }}: subscriber J. Doe\n') },
      { name: 'evidence/account.csv', data: Buffer.from('wallet,holder\n{{ wallet }},J. Doe\n') },
    ]),
  );
}

const url = (path = '') => `/api/exercises/${exerciseId}/legal${path}`;
const send = (client: TestClient, body: Record<string, unknown>) => client.post(url('/requests'), body);
const subscriberOf = (ip: string, at = '2025-03-10T07:45:00Z', over: Record<string, unknown> = {}) => ({
  party: 'isp',
  type: 'subscriber_information',
  identifiers: [{ kind: 'ip', value: ip, at }],
  justification,
  ...over,
});
const locker = async (client: TestClient, teamId?: string) =>
  ((await client.get(`/api/exercises/${exerciseId}/evidence${teamId ? `?teamId=${teamId}` : ''}`)).body as Array<{ key: string; sha256: string }>).map((e) => e.key);
const minutes = (n: number) => env.clock.advance(n * 60);
const adjustmentsOf = async (teamId: string) =>
  (await env.ctx.database.db.selectFrom('score_adjustments').select(['points', 'kind', 'created_by']).where('team_id', '=', teamId).where('kind', '=', 'legal_procedure').orderBy('created_at').execute()).map((a) => a.points);

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  const uploaded = await uploadPackage(env.baseUrl, trainer, legalPackage());
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const setUp = await exerciseWithTeams(env, trainer, uploaded.body.scenario.id as string, { durationMinutes: 600 });
  exerciseId = setUp.exercise.id;
  [red, blue] = setUp.teams as [Player, Player];
  redIp = (await valuesOf(env, red.id)).sender_ip!;
  blueIp = (await valuesOf(env, blue.id)).sender_ip!;
});
afterAll(async () => env?.close());

describe('legal requests', () => {
  let granted: string;

  it('lists the parties, never what they grant (not even the request types they answer)', async () => {
    const res = await red.client.get(url('/parties'));
    expect(res.status).toBe(200);
    expect(res.body.map((p: { id: string; kind: string; country: string | null }) => [p.id, p.kind, p.country])).toEqual([
      ['isp', 'isp', 'SG'],
      ['exchange', 'exchange', null],
    ]);
    // Choosing the right type of request is the team's to judge.
    for (const party of res.body) expect(Object.keys(party).sort()).toEqual(['country', 'description', 'id', 'kind', 'name']);
    const company = (await valuesOf(env, red.id)).company!;
    expect(res.body[0].description.en).toBe(`Access provider of ${company}`);
    const text = JSON.stringify(res.body);
    for (const secret of [redIp, blueIp, 'sender_ip', 'wallet', 'J. Doe', 'refusal', 'identifier', '07:42', 'subscriber_information', 'production_order']) expect(text).not.toContain(secret);
    // Staff play in no team: they read the descriptions as written, with their placeholders.
    const staff = await trainer.get(url('/parties'));
    expect(staff.status, JSON.stringify(staff.body)).toBe(200);
    expect(staff.body[0].description.en).toBe('Access provider of {{ company }}');
  });

  it('releases the evidence of a well-aimed request after its in-game delay, to that team only', async () => {
    const res = await send(red.client, subscriberOf(redIp));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    granted = res.body.id;
    // A team is not told when the reply is due: a granted request and a refused one may have different delays.
    expect(res.body).toMatchObject({ party: 'isp', type: 'subscriber_information', status: 'pending', replyDueInSeconds: null, reply: null, points: null, evidence: [], responseId: null, outcome: null });
    expect((await trainer.get(url(`/requests/${granted}`))).body).toMatchObject({ status: 'pending', replyDueInSeconds: 1200 });
    expect(res.body.identifiers).toEqual([{ kind: 'ip', value: redIp, at: '2025-03-10T07:45:00.000Z' }]);
    expect(JSON.stringify(res.body)).not.toContain('J. Doe');

    minutes(19);
    await advanceExercise(env.ctx, exerciseId);
    const waiting = (await red.client.get(url(`/requests/${granted}`))).body;
    expect(waiting).toMatchObject({ status: 'pending', replyDueInSeconds: null, reply: null });
    expect((await trainer.get(url(`/requests/${granted}`))).body.replyDueInSeconds).toBe(60);
    expect(await locker(red.client)).not.toContain('subscriber');

    minutes(1);
    // The ticker delivers it (no read needed).
    await advanceExercise(env.ctx, exerciseId);
    const row = await env.ctx.database.db.selectFrom('legal_requests').select(['delivered_at', 'outcome', 'response_key']).where('id', '=', granted).executeTakeFirstOrThrow();
    expect(row).toEqual({ delivered_at: env.clock.now().toISOString(), outcome: 'granted', response_key: 'isp-subscriber' });
    const done = (await red.client.get(url(`/requests/${granted}`))).body;
    expect(done).toMatchObject({ status: 'granted', replyDueInSeconds: null, reply: { en: `The subscriber of ${redIp} is J. Doe.` }, points: 30, evidence: [{ id: 'subscriber', title: { en: `Subscriber of ${redIp}` } }] });
    expect(await locker(red.client)).toContain('subscriber');
    const content = await red.client.get(`/api/exercises/${exerciseId}/evidence/subscriber/content`);
    expect(content.status).toBe(200);

    // Blue has nothing of it.
    expect(await locker(blue.client)).not.toContain('subscriber');
    expectError(await blue.client.get(`/api/exercises/${exerciseId}/evidence/subscriber`), 404, 'not_found');
    expect(await locker(trainer, blue.id)).not.toContain('subscriber');

    // Logged in the chain of custody as a release caused by the reply.
    const custody = await env.ctx.database.db.selectFrom('custody_log').select(['team_id', 'details']).where('exercise_id', '=', exerciseId).where('evidence_key', '=', 'subscriber').where('action', '=', 'released').execute();
    expect(custody.map((c) => [c.team_id, JSON.parse(c.details).cause])).toEqual([[red.id, 'legal_reply']]);
    expect(await adjustmentsOf(red.id)).toEqual([30]);
  });

  it('lets no other team read the request on any path', async () => {
    expect((await blue.client.get(url('/requests'))).body.items).toEqual([]);
    for (const path of [`/requests/${granted}`, `/requests?teamId=${red.id}`, `/requests/${someId}`]) expectError(await blue.client.get(url(path)), 404, 'not_found');
    expectError(await blue.client.get(url('/summary')), 403, 'forbidden');
    const events = await env.ctx.database.db.selectFrom('legal_requests').select('team_id').execute();
    expect(events.every((e) => e.team_id === red.id)).toBe(true);
  });

  it('refuses badly aimed requests with the party’s reply after the party’s delay, and records them', async () => {
    const wrong = {
      type: subscriberOf(redIp, '2025-03-10T07:45:00Z', { type: 'preservation' }),
      identifier: subscriberOf('192.0.2.250'),
      justification: subscriberOf(redIp, '2025-03-10T07:45:00Z', { justification: '   too short, really   ' }),
      time: subscriberOf(redIp, '2025-03-10T07:52:17Z'),
    };
    const ids: Record<string, string> = {};
    for (const [why, body] of Object.entries(wrong)) {
      const res = await send(red.client, body);
      expect(res.status, why).toBe(201);
      expect(res.body).toMatchObject({ status: 'pending', replyDueInSeconds: null });
      ids[why] = res.body.id;
      expect((await trainer.get(url(`/requests/${res.body.id}`))).body.replyDueInSeconds).toBe(600);
    }
    minutes(9);
    const list = (await red.client.get(url('/requests?pageSize=10'))).body;
    expect(list.items.filter((r: { status: string }) => r.status === 'pending')).toHaveLength(4);
    minutes(1);
    const after = (await red.client.get(url('/requests?pageSize=10'))).body;
    expect(after.total).toBe(5);
    for (const id of Object.values(ids)) {
      const item = after.items.find((r: { id: string }) => r.id === id);
      expect(item).toMatchObject({ status: 'refused', reply: { en: 'We cannot act on this request.' }, points: -5, evidence: [], outcome: null, responseId: null });
    }
    expect(await adjustmentsOf(red.id)).toEqual([30, -5, -5, -5, -5]);

    // Staff see the outcome and the response matched.
    const staff = (await trainer.get(url(`/requests?teamId=${red.id}&outcome=refused`))).body;
    expect(staff.total).toBe(4);
    expect(staff.items.every((r: { outcome: string; responseId: string | null; justification: string }) => r.outcome === 'refused' && r.responseId === null && typeof r.justification === 'string')).toBe(true);
    const one = (await trainer.get(url(`/requests/${granted}`))).body;
    expect(one).toMatchObject({ outcome: 'granted', responseId: 'isp-subscriber', teamName: 'Red' });

    // Audited, and in the after-action activity.
    const audit = await env.ctx.database.db.selectFrom('audit_log').select(['actor_user_id', 'target_id', 'details']).where('action', '=', 'legal.request_sent').execute();
    expect(audit.filter((a) => a.actor_user_id === red.userId).map((a) => JSON.parse(a.details).outcome).sort()).toEqual(['granted', 'refused', 'refused', 'refused', 'refused']);
    const pointsAudited = await env.ctx.database.db.selectFrom('audit_log').select('details').where('action', '=', 'score.adjusted').where('target_id', '=', red.id).execute();
    expect(pointsAudited.map((a) => JSON.parse(a.details).kind)).toEqual(['legal_procedure', 'legal_procedure', 'legal_procedure', 'legal_procedure', 'legal_procedure']);
    const activity = await legalActivity(env.ctx.database.db, exerciseId, red.id);
    expect(activity.filter((a) => a.kind === 'legal_request_sent')).toHaveLength(5);
    expect(activity.filter((a) => a.kind === 'legal_request_replied').map((a) => a.details.outcome).sort()).toEqual(['granted', 'refused', 'refused', 'refused', 'refused']);
    expect(await legalActivity(env.ctx.database.db, exerciseId, blue.id)).toEqual([]);
    // The team's after-action report names the reply's outcome, never the scenario's response it matched.
    const report = await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.timeline.filter((i: { kind: string }) => i.kind === 'legal_request_replied')).toHaveLength(5);
    expect(JSON.stringify(report.body)).not.toContain('isp-subscriber');
  });

  it('answers "already provided" without points to a second request for a granted response', async () => {
    const again = await send(red.client, subscriberOf(redIp, '2025-03-10T07:40:00Z'));
    minutes(20);
    const res = await red.client.get(url(`/requests/${again.body.id}`));
    expect(res.body).toMatchObject({ status: 'already_provided', reply: null, points: 0, evidence: [] });
    expect(await adjustmentsOf(red.id)).toEqual([30, -5, -5, -5, -5]);
  });

  it('replies at once when there is no delay, releasing the evidence in the same request; only that team hears of it', async () => {
    const blueEvents = await openEvents(env.baseUrl, blue.client, exerciseId);
    const redEvents = await openEvents(env.baseUrl, red.client, exerciseId);
    const staffEvents = await openEvents(env.baseUrl, trainer, exerciseId);
    const wallet = (await valuesOf(env, blue.id)).wallet!;
    const res = await send(blue.client, { party: 'exchange', type: 'production_order', identifiers: [{ kind: 'wallet', value: ` ${wallet} ` }], justification: '' });
    expect(res.body).toMatchObject({ status: 'granted', reply: { en: `Account holding ${wallet}.` }, points: 10, evidence: [{ id: 'account' }] });
    expect(await locker(blue.client)).toContain('account');
    expect(await locker(red.client)).not.toContain('account');

    await blueEvents.next((e) => e.type === 'legal_request' && e.data.requestId === res.body.id);
    await blueEvents.next((e) => e.type === 'legal_reply' && e.data.status === 'granted');
    await blueEvents.next((e) => e.type === 'released' && e.data.evidence.includes('account'));
    const staffSaw = await staffEvents.next((e) => e.type === 'legal_request' && e.data.requestId === res.body.id);
    expect(staffSaw.data).toMatchObject({ teamId: blue.id, outcome: 'granted' });
    await new Promise((r) => setTimeout(r, 200));
    expect(redEvents.events.filter((e) => e.type.startsWith('legal') || (e.type === 'released' && e.data.evidence.includes('account')))).toEqual([]);
    // A team hears the outcome with the reply, never with the request.
    expect(blueEvents.events.find((e) => e.type === 'legal_request')!.data.outcome).toBeUndefined();
    for (const stream of [blueEvents, redEvents, staffEvents]) stream.close();
  });

  it('stops the delay while the exercise is paused', async () => {
    const res = await send(blue.client, subscriberOf(blueIp, '2025-03-10T07:35:00+00:00'));
    expect((await trainer.get(url(`/requests/${res.body.id}`))).body.replyDueInSeconds).toBe(1200);
    minutes(5);
    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'pause' })).status).toBe(200);
    minutes(60);
    await advanceExercise(env.ctx, exerciseId);
    expect((await blue.client.get(url(`/requests/${res.body.id}`))).body.status).toBe('pending');
    expect((await trainer.get(url(`/requests/${res.body.id}`))).body.replyDueInSeconds).toBe(900);
    // No request while paused.
    expectError(await send(blue.client, subscriberOf(blueIp)), 409, 'conflict');
    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'resume' })).status).toBe(200);
    minutes(14);
    expect((await blue.client.get(url(`/requests/${res.body.id}`))).body.status).toBe('pending');
    minutes(1);
    expect((await blue.client.get(url(`/requests/${res.body.id}`))).body).toMatchObject({ status: 'granted', evidence: [{ id: 'subscriber', title: { en: `Subscriber of ${blueIp}` } }] });
    const hashes = async (client: TestClient) => ((await client.get(`/api/exercises/${exerciseId}/evidence`)).body as Array<{ key: string; sha256: string }>).find((e) => e.key === 'subscriber')!.sha256;
    // Each team its own rendering.
    expect(await hashes(blue.client)).not.toBe(await hashes(red.client));
  });

  it('shows staff every team, filtered, sorted and paged, and a summary per party', async () => {
    const all = (await trainer.get(url('/requests?pageSize=3&sort=teamName'))).body;
    expect(all.total).toBe(8);
    expect(all.items).toHaveLength(3);
    expect(all.items.map((r: { teamName: string }) => r.teamName)).toEqual(['Blue', 'Blue', 'Red']);
    expect((await trainer.get(url('/requests?party=exchange'))).body.total).toBe(1);
    expect((await trainer.get(url(`/requests?teamId=${blue.id}&outcome=granted`))).body.total).toBe(2);
    const summary = (await trainer.get(url('/summary'))).body;
    expect(summary).toEqual([
      { party: 'isp', partyName: { en: 'Nordlane Telecom', fr: 'Nordlane Télécom' }, sent: 7, pending: 0, granted: 2, refused: 4, alreadyProvided: 1, teamsGranted: 2, points: 40 },
      { party: 'exchange', partyName: { en: 'Halvora Exchange' }, sent: 1, pending: 0, granted: 1, refused: 0, alreadyProvided: 0, teamsGranted: 1, points: 10 },
    ]);
    // A team cannot filter or sort by an outcome it may not know yet: the filter is ignored.
    expect((await red.client.get(url('/requests?outcome=granted'))).body.total).toBe(6);
  });

  it('answers 404 to partner analysts and to people outside the exercise, 403 to staff sending', async () => {
    const analyst = (await signedIn(env, { roles: ['partner_analyst'] })).client;
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    for (const client of [analyst, outsider]) {
      for (const path of ['/parties', '/requests', `/requests/${granted}`, '/summary']) expectError(await client.get(url(path)), 404, 'not_found');
      expectError(await send(client, subscriberOf(redIp)), 404, 'not_found');
    }
    expectError(await send(trainer, subscriberOf(redIp)), 403, 'forbidden');
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = { requests: await rowCount(env, 'legal_requests'), audit: await rowCount(env, 'audit_log') };
    const cases: Array<[Record<string, unknown>, string]> = [
      [subscriberOf(redIp, undefined, { party: 'bank' }), 'body.party'],
      [subscriberOf(redIp, undefined, { identifiers: [{ kind: 'router', value: 'x' }] }), 'body.identifiers.0.kind'],
      [subscriberOf(redIp, undefined, { justification: 'x'.repeat(4001) }), 'body.justification'],
      [subscriberOf(redIp, undefined, { urgent: true }), 'body'],
      [subscriberOf('999.1.1.1'), 'body.identifiers.0.value'],
      [subscriberOf(redIp, undefined, { identifiers: [{ kind: 'ip', value: redIp }] }), 'body.identifiers.0.at'],
      [subscriberOf(redIp, undefined, { type: 'search_warrant' }), 'body.type'],
    ];
    for (const [body, path] of cases) {
      const res = await send(red.client, body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(res.body)).toContain(path);
    }
    expect({ requests: await rowCount(env, 'legal_requests'), audit: await rowCount(env, 'audit_log') }).toEqual(before);
  });
});
