import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { miniDefinition } from '../../test/scenario-fixture.ts';
import { answer, exerciseWithTeams, importScenario, valuesOf } from './fixture.ts';
import { applyAdvicePenalty, publishAdjustment } from './adjustments.ts';
import { resyncChannel } from '../../core/events-pg.ts';

let env: TestEnv;
let trainer: TestClient;
let staticScenario: string;
let decayScenario: string;

const suspects = { id: 'suspects', prompt: { en: 'Who took part?' }, answer: { type: 'set', values: ['alice', 'bob', 'carol'] }, points: 90 };

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  staticScenario = await importScenario(env, trainer, { objectives: [...miniDefinition().objectives, suspects], scoring: { mode: 'static', advicePenalty: 25 } });
  decayScenario = await importScenario(env, trainer, { id: 'decay-case', scoring: { mode: 'decay', minimumPercent: 30, solvesToMinimum: 10 } });
});
afterAll(async () => env?.close());

const scoreOf = (board: { ranking: Array<{ teamId: string; score: number }> }, teamId: string) => board.ranking.find((r) => r.teamId === teamId)?.score;
const solveWallet = async (team: { id: string; client: TestClient }, exerciseId: string) => (await answer(team.client, exerciseId, 'wallet', (await valuesOf(env, team.id)).wallet!)).body;

describe('scoreboard', () => {
  it('decays an objective with each solving team, for every solver, and shows the current value on the board', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, decayScenario, { teams: ['Alpha', 'Bravo', 'Charlie', 'Delta'] });
    const awarded = [];
    for (const team of teams.slice(0, 3)) {
      env.clock.advance(60);
      awarded.push((await solveWallet(team, exercise.id)).pointsAwarded);
    }
    // 100, then 100 × (1 − 1/10 × 0.7) = 93, then 86.
    expect(awarded).toEqual([100, 93, 86]);
    const board = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(board.ranking.map((r: { teamName: string; score: number; rank: number }) => [r.rank, r.teamName, r.score])).toEqual([
      [1, 'Alpha', 86],
      [2, 'Bravo', 86],
      [3, 'Charlie', 86],
      [4, 'Delta', 0],
    ]);
    expect(board.firstSolves).toEqual([{ objectiveKey: 'wallet', teamId: teams[0]!.id, teamName: 'Alpha', solvedAt: expect.any(String) }]);
    // The chart draws each team's own scoring events with today's values (as CTFd does): A from 0 to 86.
    expect(board.series.find((s: { teamId: string }) => s.teamId === teams[0]!.id).points.map((p: { score: number }) => p.score)).toEqual([0, 86]);
    const live = (await trainer.get(`/api/exercises/${exercise.id}/board`)).body;
    expect(live.objectives.find((o: { key: string }) => o.key === 'wallet')).toEqual({ key: 'wallet', points: 100, value: 86, solves: 3, maxAttempts: 3, requires: [] });
    expect(live.teams.find((t: { teamId: string }) => t.teamId === teams[1]!.id).cells.find((c: { objectiveKey: string }) => c.objectiveKey === 'wallet')).toMatchObject({ solved: true, points: 86, attempts: 1 });
  });

  it('ranks equal scores by who reached them first, and lists teams with their countries', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario, { teams: ['Early', 'Late', 'Idle'], countries: ['FR', 'KE', 'BR'] });
    const [early, late, idle] = teams as [(typeof teams)[0], (typeof teams)[0], (typeof teams)[0]];
    // Late solves first, then Early catches up; Late then gets 10 points, loses them, and so reached 100 last.
    await solveWallet(late, exercise.id);
    env.clock.advance(30);
    await solveWallet(early, exercise.id);
    env.clock.advance(30);
    await trainer.post(`/api/exercises/${exercise.id}/teams/${late.id}/adjustments`, { points: 10, reason: 'Clear report' });
    await trainer.post(`/api/exercises/${exercise.id}/teams/${late.id}/adjustments`, { points: -10, reason: 'Report was copied' });
    const board = (await idle.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(board.ranking.map((r: { teamName: string; score: number; countries: string[]; solvedCount: number }) => [r.teamName, r.score, r.countries, r.solvedCount])).toEqual([
      ['Early', 100, ['FR'], 1],
      ['Late', 100, ['KE'], 1],
      ['Idle', 0, ['BR'], 0],
    ]);
    expect(board.ranking[1].lastScoreAt > board.ranking[0].lastScoreAt).toBe(true);
    expect(board.firstSolves.map((f: { teamName: string }) => f.teamName)).toEqual(['Late']);
    expect(board).toMatchObject({ hidden: false, frozen: false, frozenAt: null, mode: 'competition' });
  });

  it('gives partial credit for part of a set, counting only a higher credit', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario);
    const red = teams[0]!;
    const says = async (value: string) => {
      env.clock.advance(1);
      return (await answer(red.client, exercise.id, 'suspects', value)).body;
    };
    expect(await says('Alice')).toMatchObject({ outcome: 'partial', creditPercent: 33.3, pointsAwarded: 30, solved: false });
    expect(await says('alice; bob')).toMatchObject({ outcome: 'partial', creditPercent: 66.7, pointsAwarded: 30 });
    expect(await says('carol, alice')).toMatchObject({ outcome: 'partial', creditPercent: 66.7, pointsAwarded: 0 });
    expect(await says('dave')).toMatchObject({ outcome: 'wrong', pointsAwarded: 0 });
    expect(await says('bob, carol, alice')).toMatchObject({ outcome: 'correct', creditPercent: 100, pointsAwarded: 30, solved: true });
    const board = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(scoreOf(board, red.id)).toBe(90);
    expect(board.series.find((s: { teamId: string }) => s.teamId === red.id).points.map((p: { score: number }) => p.score)).toEqual([0, 30, 60, 90]);
    expect(await env.ctx.database.db.selectFrom('objective_scores').select(['credit_permille']).where('team_id', '=', red.id).execute()).toEqual([{ credit_permille: 1000 }]);
  });

  it('freezes the standings for participants in the last minutes; trainers see them live; the end reveals them', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario, { freezeMinutes: 10, durationMinutes: 60 });
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    const started = (await trainer.get(`/api/exercises/${exercise.id}`)).body.clock.startedAt as string;
    env.clock.advance(5 * 60);
    await solveWallet(red, exercise.id);
    env.clock.advance(40 * 60);
    // A pause before the freeze moves it on the wall clock.
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'pause' });
    env.clock.advance(120);
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'resume' });
    env.clock.advance(7 * 60);
    const freezeAt = new Date(new Date(started).getTime() + 52 * 60 * 1000).toISOString();
    await solveWallet(blue, exercise.id);
    // A pause within the freeze does not move it.
    env.clock.advance(60);
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'pause' });
    env.clock.advance(600);
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'resume' });
    await answer(blue.client, exercise.id, 'suspects', 'alice, bob, carol');
    await trainer.post(`/api/exercises/${exercise.id}/teams/${red.id}/adjustments`, { points: 5, reason: 'Late bonus' });

    const seen = (await red.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(seen).toMatchObject({ frozen: true, frozenAt: freezeAt, freezeActive: true, version: 0 });
    expect([scoreOf(seen, red.id), scoreOf(seen, blue.id)]).toEqual([100, 0]);
    expect(seen.firstSolves.map((f: { teamName: string }) => f.teamName)).toEqual(['Red']);
    for (const s of seen.series) for (const p of s.points) expect(p.at < freezeAt).toBe(true);
    const live = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(live).toMatchObject({ frozen: false, frozenAt: null, freezeActive: true });
    expect([scoreOf(live, red.id), scoreOf(live, blue.id)]).toEqual([105, 190]);
    expect((await trainer.get(`/api/exercises/${exercise.id}/board`)).body).toMatchObject({ freezeActive: true, frozenAt: freezeAt });

    // Rebuilt from the database (as after the event transport reconnected), the boards say the same.
    env.ctx.events.publish({ channel: resyncChannel, type: 'resync', data: {} });
    expect({ ...(await red.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body }).toEqual(seen);
    expect({ ...(await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body, version: 0 }).toEqual({ ...live, version: 0 });

    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'end' });
    const revealed = (await blue.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(revealed).toMatchObject({ frozen: false, freezeActive: false });
    expect(revealed.ranking.map((r: { teamName: string }) => r.teamName)).toEqual(['Blue', 'Red']);
  });

  it('shows participants of a training exercise no scoreboard, while trainers follow progress', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario, { mode: 'training' });
    await solveWallet(teams[0]!, exercise.id);
    const seen = (await teams[1]!.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(seen).toEqual({ exerciseId: exercise.id, mode: 'training', hidden: true, frozen: false, frozenAt: null, freezeActive: false, version: 0, ranking: [], firstSolves: [], series: [] });
    const live = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(live).toMatchObject({ hidden: false, mode: 'training' });
    expect(scoreOf(live, teams[0]!.id)).toBe(100);
  });
});

describe('adjustments', () => {
  it('lets trainers add or take points with a reason, audited, and lists them', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario);
    const red = teams[0]!;
    const url = `/api/exercises/${exercise.id}/teams/${red.id}/adjustments`;
    const made = await trainer.post(url, { points: -15, reason: '  Shared an answer on chat ' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ teamId: red.id, teamName: 'Red', points: -15, kind: 'manual', reason: 'Shared an answer on chat' });
    expectError(await trainer.post(url, { points: 0, reason: 'Nothing' }), 400, 'validation_failed');
    expectError(await trainer.post(url, { points: 5, reason: 'no' }), 400, 'validation_failed');
    expectError(await trainer.post(url, { points: 5, reason: 'x'.repeat(501) }), 400, 'validation_failed');
    expectError(await trainer.post(url, { points: 5 }), 400, 'validation_failed');
    expectError(await red.client.post(url, { points: 50, reason: 'We deserve it' }), 403, 'forbidden');
    const other = await exerciseWithTeams(env, trainer, staticScenario);
    expectError(await trainer.post(`/api/exercises/${exercise.id}/teams/${other.teams[0]!.id}/adjustments`, { points: 5, reason: 'Wrong exercise' }), 404, 'not_found');

    const audit = await env.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'score.adjusted').where('target_id', '=', red.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ exerciseId: exercise.id, points: -15, kind: 'manual', reason: 'Shared an answer on chat' });
    expect((await trainer.get(`/api/exercises/${exercise.id}/adjustments`)).body).toMatchObject({ total: 1, items: [{ id: made.body.id }] });
    expect(scoreOf((await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body, red.id)).toBe(-15);
  });

  it('applies an expert-advice penalty (the scenario’s, unless told) through the service', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, staticScenario);
    const red = teams[0]!;
    const expert = await signedIn(env, { roles: ['expert'] });
    const actor = { userId: expert.user.id, organisationId: expert.user.organisation_id, roles: expert.user.roles, email: expert.user.email, displayName: expert.user.display_name, locale: 'en', totpEnabled: false };
    const meta = { ip: null, requestId: 'test-advice' };
    const penalties = await env.ctx.database.db.transaction().execute(async (tx) => [
      await applyAdvicePenalty(env.ctx, tx, { exerciseId: exercise.id, teamId: red.id, reason: 'Asked how to trace the wallet', actor, meta }),
      await applyAdvicePenalty(env.ctx, tx, { exerciseId: exercise.id, teamId: red.id, reason: 'Second question', points: 5, actor, meta }),
    ]);
    for (const p of penalties) publishAdjustment(env.ctx, p!);
    const list = (await red.client.get(`/api/exercises/${exercise.id}/adjustments`)).body.items;
    expect(list.map((a: { kind: string; points: number }) => [a.kind, a.points]).sort()).toEqual([
      ['advice_penalty', -25],
      ['advice_penalty', -5],
    ]);
    expect(scoreOf((await red.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body, red.id)).toBe(-30);
  });
});
