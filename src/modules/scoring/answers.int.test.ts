import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type TestClient, type TestEnv, startTestApp } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { answer, exerciseWithTeams, importScenario, valuesOf } from './fixture.ts';

let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importScenario(env, trainer);
});
afterAll(async () => env?.close());

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id).sort();

describe('answers', () => {
  it("grades an answer with the team's own values and stores only a digest", async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    const redWallet = (await valuesOf(env, red.id)).wallet!;
    const blueWallet = (await valuesOf(env, blue.id)).wallet!;
    expect(redWallet).not.toBe(blueWallet);

    // Another team's answer is wrong for this team.
    const wrong = await answer(red.client, exercise.id, 'wallet', blueWallet);
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ objectiveKey: 'wallet', outcome: 'wrong', creditPercent: 0, pointsAwarded: 0, attemptsLeft: 2, solved: false, submittedAt: expect.any(String) });

    const right = await answer(red.client, exercise.id, 'wallet', `  ${redWallet.toUpperCase()} `);
    expect(right.body).toMatchObject({ outcome: 'correct', creditPercent: 100, pointsAwarded: 100, attemptsLeft: 1, solved: true });

    const rows = await env.ctx.database.db.selectFrom('submissions').selectAll().where('team_id', '=', red.id).orderBy('submitted_at').execute();
    expect(rows.map((r) => [r.user_id, r.objective_key, r.outcome, r.credit_permille])).toEqual([
      [red.userId, 'wallet', 'wrong', 0],
      [red.userId, 'wallet', 'correct', 1000],
    ]);
    for (const row of rows) {
      expect(row.answer_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(redWallet);
      expect(JSON.stringify(row)).not.toContain(blueWallet);
    }
    const play = (await red.client.get(`/api/exercises/${exercise.id}/play`)).body;
    expect(play.objectives.find((o: { id: string }) => o.id === 'wallet')).toMatchObject({ solved: true, attempts: 2, creditPercent: 100 });
    // Solved: no more answers.
    const again = await answer(red.client, exercise.id, 'wallet', redWallet);
    expectError(again, 409, 'conflict');
    expect(again.body.error).toMatchObject({ message: 'Your team has already solved this objective', details: { reason: 'solved' } });
  });

  it('refuses locked objectives (409) and unreleased or unknown ones (404); an onSolve inject releases to the solving team only', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    const values = await valuesOf(env, red.id);

    const locked = await answer(red.client, exercise.id, 'ip', values.sender_ip!);
    expectError(locked, 409, 'conflict');
    expect(locked.body.error).toMatchObject({ message: 'This objective is locked until its prerequisites are solved', details: { reason: 'locked', requires: ['wallet'] } });
    expectError(await answer(red.client, exercise.id, 'deposit', 'DEP-1'), 404, 'not_found');
    expectError(await answer(red.client, exercise.id, 'no-such-objective', 'x'), 404, 'not_found');
    expect(await env.ctx.database.db.selectFrom('submissions').select('id').where('team_id', '=', red.id).execute()).toEqual([]);

    expect((await answer(red.client, exercise.id, 'wallet', values.wallet!)).body.solved).toBe(true);
    const redPlay = (await red.client.get(`/api/exercises/${exercise.id}/play`)).body;
    const bluePlay = (await blue.client.get(`/api/exercises/${exercise.id}/play`)).body;
    expect(ids(redPlay.objectives)).toEqual(['deposit', 'ip', 'wallet']);
    expect(ids(redPlay.evidence)).toEqual(['image', 'ledger', 'mail']);
    expect(redPlay.injects.map((i: { id: string }) => i.id)).toEqual(['exchange']);
    expect(ids(bluePlay.objectives)).toEqual(['ip', 'wallet']);
    expect(ids(bluePlay.evidence)).toEqual(['image', 'mail']);
    expect(bluePlay.injects).toEqual([]);
    const fired = await env.ctx.database.db.selectFrom('fired_injects').select(['inject_key', 'team_id']).where('exercise_id', '=', exercise.id).execute();
    expect(fired).toEqual([{ inject_key: 'exchange', team_id: red.id }]);

    expect((await answer(red.client, exercise.id, 'ip', values.sender_ip!)).body).toMatchObject({ outcome: 'correct', pointsAwarded: 50, attemptsLeft: null });
    expect((await answer(red.client, exercise.id, 'deposit', 'dep-1')).body).toMatchObject({ outcome: 'correct', pointsAwarded: 80 });
    expectError(await answer(blue.client, exercise.id, 'deposit', 'DEP-1'), 404, 'not_found');
  });

  it('allows maxAttempts answers, then refuses even the right one', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    for (const left of [2, 1, 0]) expect((await answer(red.client, exercise.id, 'wallet', 'nope')).body.attemptsLeft).toBe(left);
    const refused = await answer(red.client, exercise.id, 'wallet', (await valuesOf(env, red.id)).wallet!);
    expectError(refused, 409, 'conflict');
    expect(refused.body.error).toMatchObject({ message: 'No attempts left: this objective allows 3', details: { reason: 'no_attempts', maxAttempts: 3 } });
  });

  it('limits the answers of a team per window, with the time to wait', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    const values = await valuesOf(env, red.id);
    expect((await answer(red.client, exercise.id, 'wallet', values.wallet!)).status).toBe(200);
    env.clock.advance(11);
    // A team mate's answers count for the team.
    for (let i = 0; i < 10; i++) expect((await answer(red.client, exercise.id, 'ip', `10.0.0.${i}`)).status).toBe(200);
    const limited = await answer(red.client, exercise.id, 'ip', values.sender_ip!);
    expectError(limited, 429, 'too_many_requests');
    expect(limited.body.error.details).toEqual({ retryAfterSeconds: 10 });
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(await env.ctx.database.db.selectFrom('submissions').select('id').where('team_id', '=', red.id).execute()).toHaveLength(11);
    env.clock.advance(10);
    expect((await answer(red.client, exercise.id, 'ip', values.sender_ip!)).body.outcome).toBe('correct');
  });

  it('refuses answers before the start, while paused, when the team’s time is up and after the end, with clear messages', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId, { start: false });
    const red = teams[0]!;
    const wallet = (await valuesOf(env, red.id)).wallet!;
    const refusedWith = async (reason: string, message: string) => {
      const res = await answer(red.client, exercise.id, 'wallet', wallet);
      expectError(res, 409, 'conflict');
      expect(res.body.error).toEqual({ code: 'conflict', message, details: { reason } });
    };
    await refusedWith('not_started', 'The exercise has not started yet');
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' });
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'pause' });
    await refusedWith('paused', 'The exercise is paused: answers are accepted again when it resumes');
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'resume' });
    env.clock.advance(61 * 60);
    await refusedWith('time_up', "Your team's time is up: answers are no longer accepted");
    // Extra time for this team only.
    expect((await trainer.patch(`/api/exercises/${exercise.id}/teams/${red.id}`, { extraMinutes: 5 })).status).toBe(200);
    expect((await answer(red.client, exercise.id, 'wallet', 'wrong')).body.outcome).toBe('wrong');
    expectError(await answer(teams[1]!.client, exercise.id, 'wallet', 'x'), 409, 'conflict');
    await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'end' });
    await refusedWith('ended', 'The exercise has ended: answers are no longer accepted');
    expect(await env.ctx.database.db.selectFrom('submissions').select('outcome').where('team_id', '=', red.id).execute()).toEqual([{ outcome: 'wrong' }]);
  });

  it('lets only team members answer, for their own team', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const other = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    expectError(await answer(trainer, exercise.id, 'wallet', 'x'), 403, 'forbidden');
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    expectError(await answer(outsider, exercise.id, 'wallet', 'x'), 404, 'not_found');
    // A member of another exercise's team cannot answer here, even the right value.
    expectError(await answer(other.teams[0]!.client, exercise.id, 'wallet', (await valuesOf(env, red.id)).wallet!), 404, 'not_found');
    // The answer counts for the caller's own team, whatever it says.
    expect((await answer(red.client, exercise.id, 'wallet', (await valuesOf(env, teams[1]!.id)).wallet!)).body.outcome).toBe('wrong');
    expect(await env.ctx.database.db.selectFrom('submissions').select('team_id').where('exercise_id', '=', exercise.id).execute()).toEqual([{ team_id: red.id }]);
    expectError(await red.client.post(`/api/exercises/${exercise.id}/objectives/wallet/answers`, { answer: '   ' }), 400, 'validation_failed');
    expectError(await red.client.post(`/api/exercises/${exercise.id}/objectives/wallet/answers`, { answer: 'x', teamId: teams[1]!.id }), 400, 'validation_failed');
  });

  it('unlocks a hint once, rendered for the team, and charges it once', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    const first = await red.client.post(`/api/exercises/${exercise.id}/hints/h1/unlock`);
    expect(first.body).toEqual({ hintKey: 'h1', objectiveKey: 'wallet', cost: 10, text: { en: 'Read the body.' }, unlockedAt: expect.any(String), alreadyUnlocked: false });
    const second = await red.client.post(`/api/exercises/${exercise.id}/hints/h1/unlock`);
    expect(second.body).toMatchObject({ alreadyUnlocked: true, unlockedAt: first.body.unlockedAt });
    expectError(await red.client.post(`/api/exercises/${exercise.id}/hints/nope/unlock`), 404, 'not_found');
    expectError(await trainer.post(`/api/exercises/${exercise.id}/hints/h1/unlock`), 403, 'forbidden');
    const board = (await red.client.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(board.ranking.find((r: { teamId: string }) => r.teamId === red.id).score).toBe(-10);
    const unlocks = (await trainer.get(`/api/exercises/${exercise.id}/hint-unlocks`)).body;
    expect(unlocks.items).toEqual([{ teamId: red.id, teamName: 'Red', hintKey: 'h1', objectiveKey: 'wallet', cost: 10, unlockedBy: red.userId, unlockedByName: expect.any(String), unlockedAt: first.body.unlockedAt }]);
  });
});
