import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { answer, exerciseWithTeams, importScenario, openEvents, valuesOf, type Player } from './fixture.ts';

// Need-to-know on every read path of scoring objects, and no answer in any response.

let env: TestEnv;
let trainer: TestClient;
let exerciseId: string;
let red: Player;
let blue: Player;
let secrets: string[];
const someId = '00000000-0000-4000-8000-000000000000';
const responses: unknown[] = [];

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  const scenarioId = await importScenario(env, trainer);
  const setUp = await exerciseWithTeams(env, trainer, scenarioId);
  exerciseId = setUp.exercise.id;
  [red, blue] = setUp.teams as [Player, Player];
  const redValues = await valuesOf(env, red.id);
  const blueValues = await valuesOf(env, blue.id);
  secrets = [redValues.wallet!, redValues.sender_ip!, blueValues.wallet!, blueValues.sender_ip!, 'DEP-1'];
  const keep = <T extends { body: unknown }>(r: T) => (responses.push(r.body), r);
  keep(await answer(red.client, exerciseId, 'wallet', 'not it'));
  keep(await answer(red.client, exerciseId, 'wallet', redValues.wallet!));
  keep(await answer(red.client, exerciseId, 'ip', redValues.sender_ip!));
  keep(await answer(red.client, exerciseId, 'deposit', 'DEP-1'));
  keep(await answer(blue.client, exerciseId, 'wallet', redValues.wallet!));
  keep(await red.client.post(`/api/exercises/${exerciseId}/hints/h1/unlock`));
  keep(await blue.client.post(`/api/exercises/${exerciseId}/hints/h1/unlock`));
  keep(await trainer.post(`/api/exercises/${exerciseId}/teams/${red.id}/adjustments`, { points: 7, reason: 'Neat report' }));
  keep(await trainer.post(`/api/exercises/${exerciseId}/teams/${blue.id}/adjustments`, { points: -3, reason: 'Noise on the channel' }));
});
afterAll(async () => env?.close());

const lists = ['submissions', 'hint-unlocks', 'adjustments'] as const;
const teamIds = (body: { items: Array<{ teamId: string }> }) => [...new Set(body.items.map((i) => i.teamId))].sort();

describe('need-to-know', () => {
  it("shows a participant its own team's submissions, hint unlocks and adjustments only; another team's are not found", async () => {
    for (const list of lists) {
      const own = await red.client.get(`/api/exercises/${exerciseId}/${list}`);
      expect(own.status).toBe(200);
      expect(teamIds(own.body)).toEqual([red.id]);
      expect((await red.client.get(`/api/exercises/${exerciseId}/${list}?teamId=${red.id}`)).body.total).toBe(own.body.total);
      expect((await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/${list}`)).body.total).toBe(own.body.total);
      for (const url of [`/api/exercises/${exerciseId}/${list}?teamId=${blue.id}`, `/api/exercises/${exerciseId}/teams/${blue.id}/${list}`]) {
        const res = await red.client.get(url);
        expectError(res, 404, 'not_found');
        // The same answer as for a team that does not exist.
        expect(res.body).toEqual((await red.client.get(url.replace(blue.id, someId))).body);
      }
    }
    const mine = (await red.client.get(`/api/exercises/${exerciseId}/submissions`)).body;
    expect(mine.items.map((s: { objectiveKey: string; outcome: string }) => [s.objectiveKey, s.outcome])).toEqual([
      ['deposit', 'correct'],
      ['ip', 'correct'],
      ['wallet', 'correct'],
      ['wallet', 'wrong'],
    ]);
    expect(mine.items.every((s: { answerFingerprint: string | null }) => s.answerFingerprint === null)).toBe(true);
  });

  it('shows staff every team, filtered on request, with answer fingerprints that reveal a shared answer', async () => {
    for (const list of lists) {
      const all = (await trainer.get(`/api/exercises/${exerciseId}/${list}`)).body;
      expect(teamIds(all)).toEqual([red.id, blue.id].sort());
      expect(teamIds((await trainer.get(`/api/exercises/${exerciseId}/teams/${blue.id}/${list}`)).body)).toEqual([blue.id]);
      expectError(await trainer.get(`/api/exercises/${exerciseId}/teams/${someId}/${list}`), 404, 'not_found');
    }
    // Blue gave Red's wallet: same answer, same fingerprint.
    const submissions = (await trainer.get(`/api/exercises/${exerciseId}/submissions?objectiveKey=wallet&outcome=correct`)).body.items;
    const blueGave = (await trainer.get(`/api/exercises/${exerciseId}/submissions?teamId=${blue.id}`)).body.items[0];
    expect(blueGave.answerFingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(submissions).toHaveLength(1);
    expect(submissions[0].answerFingerprint).toBe(blueGave.answerFingerprint);
  });

  it('keeps the live board to staff, and adjustments to trainers', async () => {
    expectError(await red.client.get(`/api/exercises/${exerciseId}/board`), 403, 'forbidden');
    const expert = await signedIn(env, { roles: ['expert'] });
    expect((await trainer.post(`/api/exercises/${exerciseId}/staff`, { userId: expert.user.id, role: 'expert' })).status).toBe(200);
    const board = (await expert.client.get(`/api/exercises/${exerciseId}/board`)).body;
    expect(board.teams.map((t: { name: string; score: number; hintCost: number; adjustmentTotal: number }) => [t.name, t.score, t.hintCost, t.adjustmentTotal])).toEqual([
      ['Blue', -13, 10, -3],
      ['Red', 227, 10, 7],
    ]);
    const redRow = board.teams.find((t: { teamId: string }) => t.teamId === red.id);
    expect(redRow.cells.find((c: { objectiveKey: string }) => c.objectiveKey === 'wallet')).toMatchObject({ released: true, locked: false, solved: true, attempts: 2, hintsUsed: ['h1'] });
    expect(redRow.clock.phase).toBe('running');
    expect(board.adjustments).toHaveLength(2);
    expect(teamIds((await expert.client.get(`/api/exercises/${exerciseId}/adjustments`)).body)).toEqual([red.id, blue.id].sort());
    expectError(await expert.client.post(`/api/exercises/${exerciseId}/teams/${red.id}/adjustments`, { points: 5, reason: 'Good question' }), 403, 'forbidden');
    expectError(await red.client.post(`/api/exercises/${exerciseId}/teams/${red.id}/adjustments`, { points: 5, reason: 'Good question' }), 403, 'forbidden');
  });

  it('answers 404 on every scoring path to those with no part in the exercise', async () => {
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    const otherTrainer = (await signedIn(env, { roles: ['trainer'] })).client;
    for (const client of [outsider, otherTrainer]) {
      const paths = [
        ['GET', `/api/exercises/${exerciseId}/scoreboard`],
        ['GET', `/api/exercises/${exerciseId}/board`],
        ['GET', `/api/exercises/${exerciseId}/events`],
        ...lists.flatMap((l) => [
          ['GET', `/api/exercises/${exerciseId}/${l}`],
          ['GET', `/api/exercises/${exerciseId}/teams/${red.id}/${l}`],
        ]),
        ['POST', `/api/exercises/${exerciseId}/objectives/wallet/answers`, { answer: 'x' }],
        ['POST', `/api/exercises/${exerciseId}/hints/h1/unlock`, {}],
        ['POST', `/api/exercises/${exerciseId}/teams/${red.id}/adjustments`, { points: 1, reason: 'Intruder' }],
      ] as Array<[string, string, unknown?]>;
      for (const [method, url, body] of paths) expectError(await client.request(method, url, body), 404, 'not_found');
    }
    expect((await openEvents(env.baseUrl, outsider, exerciseId)).status).toBe(404);
  });

  it('never sends an answer or an expected value in any response', async () => {
    const stream = await openEvents(env.baseUrl, trainer, exerciseId);
    await stream.next((e) => e.type === 'ready');
    const values = await valuesOf(env, blue.id);
    responses.push((await answer(blue.client, exerciseId, 'wallet', values.wallet!)).body);
    await stream.next((e) => e.type === 'solved');
    stream.close();
    for (const client of [red.client, blue.client, trainer]) {
      for (const path of ['scoreboard', ...lists]) responses.push((await client.get(`/api/exercises/${exerciseId}/${path}`)).body);
    }
    responses.push((await red.client.get(`/api/exercises/${exerciseId}/play`)).body, (await blue.client.get(`/api/exercises/${exerciseId}/play`)).body);
    responses.push((await trainer.get(`/api/exercises/${exerciseId}/board`)).body, stream.events);
    const text = JSON.stringify(responses);
    expect(responses.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(text).not.toMatch(/"(answer|pattern|values|digest|answer_digest|answerDigest|seed|variables)":/);
  });
});
