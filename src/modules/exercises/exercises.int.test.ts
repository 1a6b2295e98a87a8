import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { miniPackage, uploadPackage } from '../../test/scenario-fixture.ts';

let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  const res = await uploadPackage(env.baseUrl, trainer, miniPackage());
  scenarioId = res.body.scenario.id;
});
afterAll(async () => env?.close());

async function setUp() {
  const exercise = (await trainer.post('/api/exercises', { scenarioId, title: 'Training run' })).body;
  const red = (await trainer.post(`/api/exercises/${exercise.id}/teams`, { name: 'Red' })).body;
  const blue = (await trainer.post(`/api/exercises/${exercise.id}/teams`, { name: 'Blue' })).body;
  const alice = await signedIn(env, { roles: ['participant'] });
  const bob = await signedIn(env, { roles: ['participant'] });
  expect((await alice.client.post('/api/teams/join', { code: red.inviteCode })).status).toBe(200);
  expect((await bob.client.post('/api/teams/join', { code: blue.inviteCode })).status).toBe(200);
  return { exercise, red, blue, alice: alice.client, bob: bob.client };
}

describe('exercises', () => {
  it('runs an exercise: teams join by code, the clock starts, each team gets its own evidence', async () => {
    const { exercise, alice, bob } = await setUp();
    const before = await alice.get(`/api/exercises/${exercise.id}/play`);
    expect(before.status).toBe(200);
    expect(before.body.clock.phase).toBe('not_started');
    expect(before.body.evidence).toEqual([]);

    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).body.clock.phase).toBe('running');
    const a = (await alice.get(`/api/exercises/${exercise.id}/play`)).body;
    const b = (await bob.get(`/api/exercises/${exercise.id}/play`)).body;
    expect(a.evidence.map((e: { id: string }) => e.id).sort()).toEqual(['image', 'mail']);
    const mailA = a.evidence.find((e: { id: string }) => e.id === 'mail');
    const mailB = b.evidence.find((e: { id: string }) => e.id === 'mail');
    expect(mailA.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mailA.sha256).not.toBe(mailB.sha256);
    expect(a.evidence.find((e: { id: string }) => e.id === 'image').sha256).toBe(b.evidence.find((e: { id: string }) => e.id === 'image').sha256);
    expect(a.objectives.map((o: { id: string; locked: boolean }) => [o.id, o.locked])).toEqual([['wallet', false], ['ip', true]]);
    expect(a.objectives.map((o: { id: string; position: number }) => [o.id, o.position])).toEqual([['wallet', 1], ['ip', 2]]);
    expect(a.objectives[1].prompt).toBeNull();
    expect(JSON.stringify(a)).not.toMatch(/"answer"|"pattern"|"values"/);
    expect(a.briefing.en).toMatch(/^Company .+ is blackmailed\.$/);
    expect(a.briefing.en).not.toContain('{{');

    env.clock.advance(31 * 60);
    const later = (await alice.get(`/api/exercises/${exercise.id}/play`)).body;
    expect(later.evidence.map((e: { id: string }) => e.id)).toContain('later');

    // An objective released later keeps its place in the scenario as its number.
    expect((await trainer.post(`/api/exercises/${exercise.id}/injects`, { inject: 'exchange', teamId: null })).status).toBe(204);
    const released = (await alice.get(`/api/exercises/${exercise.id}/play`)).body;
    expect(released.objectives.map((o: { id: string; position: number }) => [o.id, o.position])).toEqual([['wallet', 1], ['ip', 2], ['deposit', 3]]);
  });

  it('pauses the clock and moves deadlines; extends; ends', async () => {
    const { exercise } = await setUp();
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' });
    env.clock.advance(600);
    const paused = (await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'pause' })).body;
    expect(paused.clock).toMatchObject({ phase: 'paused', elapsedSeconds: 600, remainingSeconds: 3000 });
    env.clock.advance(3600);
    expect((await trainer.get(`/api/exercises/${exercise.id}`)).body.clock).toMatchObject({ phase: 'paused', remainingSeconds: 3000 });
    const resumed = (await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'resume' })).body;
    expect(resumed.clock).toMatchObject({ phase: 'running', remainingSeconds: 3000 });
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'extend', minutes: 15 })).body.clock.remainingSeconds).toBe(3900);
    const notPaused = await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'resume' });
    expect([notPaused.status, notPaused.body.error.details]).toEqual([409, { reason: 'not_paused' }]);
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).body.error.details).toEqual({ reason: 'already_started' });
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'end' })).body.clock.phase).toBe('ended');
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'end' })).body.error.details).toEqual({ reason: 'ended' });
    expect((await trainer.post(`/api/exercises/${exercise.id}/announcements`, { message: 'Too late' })).body.error).toMatchObject({ code: 'conflict', details: { reason: 'ended' } });
  });

  it('keeps exercises to those who take part in them', async () => {
    const { exercise, red, alice } = await setUp();
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    expect((await outsider.get(`/api/exercises/${exercise.id}`)).status).toBe(404);
    expect((await outsider.get(`/api/exercises/${exercise.id}/teams`)).status).toBe(404);
    expect((await outsider.get(`/api/exercises/${exercise.id}/play`)).status).toBe(404);
    expect((await outsider.get('/api/exercises')).body).toEqual([]);
    // Each list entry says how the caller takes part, as the single read does.
    const mine = (await alice.get('/api/exercises')).body.find((e: { id: string }) => e.id === exercise.id);
    expect(mine).toMatchObject({ myRole: 'participant', myTeamId: red.id, teamCount: 2 });
    expect(mine).toEqual((await alice.get(`/api/exercises/${exercise.id}`)).body);
    expect((await trainer.get('/api/exercises')).body.find((e: { id: string }) => e.id === exercise.id)).toMatchObject({ myRole: 'trainer', myTeamId: null });
    const otherTrainer = (await signedIn(env, { roles: ['trainer'] })).client;
    expect((await otherTrainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).status).toBe(404);
    // A participant sees the other teams' members but never their codes, and cannot control.
    const teams = (await alice.get(`/api/exercises/${exercise.id}/teams`)).body;
    expect(teams.find((t: { id: string }) => t.id === red.id).inviteCode).toBe(red.inviteCode);
    expect(teams.find((t: { id: string }) => t.id !== red.id).inviteCode).toBeNull();
    expect((await alice.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).status).toBe(403);
    expect((await alice.post(`/api/exercises/${exercise.id}/teams`, { name: 'Mine' })).status).toBe(403);
  });

  it('puts a user in at most one team per exercise, within the size limit', async () => {
    const { exercise, blue, alice } = await setUp();
    const again = await alice.post('/api/teams/join', { code: blue.inviteCode });
    expect([again.status, again.body.error.details]).toEqual([409, { reason: 'already_in_team' }]);
    const unknown = await alice.post('/api/teams/join', { code: 'ZZZZ-ZZZZ' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'body.code', message: 'no team has this code', code: 'unknown_code' }]);
    const taken = await trainer.post(`/api/exercises/${exercise.id}/teams`, { name: 'Blue' });
    expect([taken.status, taken.body.error.details]).toEqual([409, { reason: 'team_name_taken' }]);
    const small = (await trainer.post('/api/exercises', { scenarioId, title: 'Small teams', teamSizeLimit: 1 })).body;
    const solo = (await trainer.post(`/api/exercises/${small.id}/teams`, { name: 'Solo' })).body;
    expect((await alice.post('/api/teams/join', { code: solo.inviteCode })).status).toBe(200);
    const carol = (await signedIn(env, { roles: ['participant'] })).client;
    const full = (await carol.post('/api/teams/join', { code: solo.inviteCode })).body.error;
    expect(full.message).toMatch(/full/);
    expect(full.details).toEqual({ reason: 'team_full', teamSizeLimit: 1 });
  });

  it('lets trainers announce to every team, live in the team view', async () => {
    const { exercise, alice } = await setUp();
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' });
    const sent = await trainer.post(`/api/exercises/${exercise.id}/announcements`, { message: 'Lunch at 12:30 UTC' });
    expect(sent.status).toBe(201);
    expect((await alice.get(`/api/exercises/${exercise.id}/play`)).body.announcements.map((a: { message: string }) => a.message)).toEqual(['Lunch at 12:30 UTC']);
    expect((await alice.post(`/api/exercises/${exercise.id}/announcements`, { message: 'fake' })).status).toBe(403);
    expect((await trainer.post(`/api/exercises/${exercise.id}/announcements`, { message: '' })).status).toBe(400);
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    expect((await outsider.get(`/api/exercises/${exercise.id}/announcements`)).status).toBe(404);
  });
});
