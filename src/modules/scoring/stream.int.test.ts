import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { answer, exerciseWithTeams, importScenario, openEvents, valuesOf } from './fixture.ts';
import { streamSettings } from './stream.ts';

// Live updates over Server-Sent Events; on PostgreSQL, between two server
// processes (two apps on one database) over LISTEN/NOTIFY.

const postgres = !!process.env.DATABASE_URL;
let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;

beforeAll(async () => {
  env = await startTestApp({}, { pgEvents: true });
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importScenario(env, trainer);
});
afterAll(async () => {
  const closing = env?.close();
  // A connection that the HTTP client opened but never used is not idle to Node's server,
  // and would hold the close for the client's keep-alive time (~4 s).
  env?.app.server.closeAllConnections();
  await closing;
});

const teamEvents = ['answer', 'solved', 'hint_unlocked', 'adjusted', 'released', 'inject'];

describe('live events', () => {
  it("streams a team's solve to its members within a second, and nothing of it to other teams", async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    const redStream = await openEvents(env.baseUrl, red.client, exercise.id);
    const blueStream = await openEvents(env.baseUrl, blue.client, exercise.id);
    expect(redStream.status).toBe(200);
    expect(redStream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await redStream.next((e) => e.type === 'ready')).data).toEqual({ exerciseId: exercise.id, role: 'participant', teamId: red.id });
    await blueStream.next((e) => e.type === 'ready');

    await answer(red.client, exercise.id, 'wallet', 'wrong');
    const sent = Date.now();
    expect((await answer(red.client, exercise.id, 'wallet', (await valuesOf(env, red.id)).wallet!)).body.solved).toBe(true);
    const solved = await redStream.next((e) => e.type === 'solved', 1000);
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(solved.data).toEqual({ exerciseId: exercise.id, objectiveKey: 'wallet', pointsAwarded: 100 });
    // (On PostgreSQL the releases of the start may come through the transport after the stream opened.)
    expect((await redStream.next((e) => e.type === 'released' && e.data.objectives.includes('deposit'))).data).toEqual({ exerciseId: exercise.id, evidence: ['ledger'], objectives: ['deposit'] });
    await red.client.post(`/api/exercises/${exercise.id}/hints/h1/unlock`);
    await trainer.post(`/api/exercises/${exercise.id}/teams/${red.id}/adjustments`, { points: 3, reason: 'Tidy notes' });
    await redStream.next((e) => e.type === 'adjusted');
    // Other teams hear that the scoreboard changed, and nothing else.
    await blueStream.next((e) => e.type === 'scoreboard');
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'pause' });
    await blueStream.next((e) => e.type === 'clock');
    expect(redStream.events.map((e) => e.type)).toEqual(expect.arrayContaining(['answer', 'solved', 'inject', 'released', 'hint_unlocked', 'adjusted', 'scoreboard', 'clock']));
    expect(blueStream.events.filter((e) => teamEvents.includes(e.type))).toEqual([]);
    expect(JSON.stringify(blueStream.events)).not.toContain(red.id);
    redStream.close();
    blueStream.close();
  });

  it('streams staff every team’s events, and participants no scoreboard news while frozen or in training', async () => {
    const frozen = await exerciseWithTeams(env, trainer, scenarioId, { freezeMinutes: 10, durationMinutes: 60 });
    env.clock.advance(55 * 60);
    const training = await exerciseWithTeams(env, trainer, scenarioId, { mode: 'training' });
    for (const { exercise, teams } of [frozen, training]) {
      const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
      const staff = await openEvents(env.baseUrl, trainer, exercise.id);
      const blueStream = await openEvents(env.baseUrl, blue.client, exercise.id);
      await staff.next((e) => e.type === 'ready');
      await blueStream.next((e) => e.type === 'ready');
      await answer(red.client, exercise.id, 'wallet', (await valuesOf(env, red.id)).wallet!);
      expect((await staff.next((e) => e.type === 'solved')).data).toEqual({ teamId: red.id, objectiveKey: 'wallet', firstSolve: true });
      await staff.next((e) => e.type === 'scoreboard');
      // Blue's own event comes through; no scoreboard news came before it.
      await trainer.post(`/api/exercises/${exercise.id}/teams/${blue.id}/adjustments`, { points: 1, reason: 'Marker' });
      await blueStream.next((e) => e.type === 'adjusted');
      expect(blueStream.events.map((e) => e.type)).toEqual(['ready', 'adjusted']);
      staff.close();
      blueStream.close();
    }
  });

  it('ends a stream when its caller loses access: removed from the team, or signed out', async () => {
    streamSettings.heartbeatMs = 50;
    try {
      const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
      const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
      const redStream = await openEvents(env.baseUrl, red.client, exercise.id);
      const blueStream = await openEvents(env.baseUrl, blue.client, exercise.id);
      await redStream.next((e) => e.type === 'ready');
      await blueStream.next((e) => e.type === 'ready');
      expect((await trainer.delete(`/api/exercises/${exercise.id}/teams/${red.id}/members/${red.userId}`)).status).toBe(200);
      expect((await blue.client.post('/api/auth/sign-out')).status).toBeLessThan(300);
      const deadline = Date.now() + 1000;
      while (!(redStream.ended() && blueStream.ended()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect([redStream.ended(), blueStream.ended()]).toEqual([true, true]);
    } finally {
      streamSettings.heartbeatMs = 15_000;
    }
  });

  it.runIf(postgres)('carries a solve on one server process to a stream and the scoreboard of another', async () => {
    const second = await startTestApp({}, { shareWith: env, pgEvents: true });
    try {
      const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
      const red = teams[0]!;
      const trainerThere = new TestClient(second.baseUrl);
      trainerThere.cookie = trainer.cookie;
      const blueThere = new TestClient(second.baseUrl);
      blueThere.cookie = teams[1]!.client.cookie;
      const staff = await openEvents(second.baseUrl, trainerThere, exercise.id);
      const blue = await openEvents(second.baseUrl, blueThere, exercise.id);
      await staff.next((e) => e.type === 'ready');
      await blue.next((e) => e.type === 'ready');
      expect((await trainerThere.get(`/api/exercises/${exercise.id}/scoreboard`)).body.ranking[0].score).toBe(0);

      const sent = Date.now();
      await answer(red.client, exercise.id, 'wallet', (await valuesOf(env, red.id)).wallet!);
      expect((await staff.next((e) => e.type === 'solved', 1000)).data).toMatchObject({ teamId: red.id, objectiveKey: 'wallet' });
      await blue.next((e) => e.type === 'scoreboard', 1000);
      expect(Date.now() - sent).toBeLessThan(1000);
      // The other process's scoreboard followed the event, without reading the database again.
      const there = (await trainerThere.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
      expect(there.ranking[0]).toMatchObject({ teamId: red.id, score: 100, solvedCount: 1 });
      expect(staff.events.filter((e) => e.type === 'solved')).toHaveLength(1);
      staff.close();
      blue.close();
    } finally {
      await second.close();
    }
  });
});
