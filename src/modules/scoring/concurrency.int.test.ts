import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { answer, exerciseWithTeams, importScenario, joinTeam, openEvents, valuesOf } from './fixture.ts';
import { objectiveValue } from './rules.ts';

// Bursts of identical requests: the database decides, exactly once.

let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;

beforeAll(async () => {
  // The rate limit would refuse most of a burst before it reached the database.
  env = await startTestApp({ ANSWER_RATE_LIMIT: '1000' });
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importScenario(env, trainer);
});
afterAll(async () => env?.close());

const countRows = async (table: 'objective_scores' | 'submissions' | 'hint_unlocks', teamId: string) =>
  (await env.ctx.database.db.selectFrom(table).select('team_id').where('team_id', '=', teamId).execute()).length;

describe('concurrent answers', () => {
  it('scores 50 identical correct answers sent at once exactly once, with one solve event', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    // Five members of the team answer ten times each, all at once.
    const members = [red.client, ...(await Promise.all([1, 2, 3, 4].map(async () => (await joinTeam(env, red.inviteCode)).client)))];
    const teamStream = await openEvents(env.baseUrl, red.client, exercise.id);
    const staffStream = await openEvents(env.baseUrl, trainer, exercise.id);
    await teamStream.next((e) => e.type === 'ready');
    await staffStream.next((e) => e.type === 'ready');
    const wallet = (await valuesOf(env, red.id)).wallet!;

    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => answer(members[i % members.length]!, exercise.id, 'wallet', wallet)));
    const solved = replies.filter((r) => r.status === 200);
    expect(solved).toHaveLength(1);
    expect(solved[0]!.body).toMatchObject({ outcome: 'correct', pointsAwarded: 100, solved: true });
    for (const r of replies.filter((x) => x.status !== 200)) expect([r.status, r.body.error.details.reason]).toEqual([409, 'solved']);

    expect(await countRows('objective_scores', red.id)).toBe(1);
    const stored = await env.ctx.database.db.selectFrom('submissions').select('outcome').where('team_id', '=', red.id).execute();
    expect(stored).toEqual([{ outcome: 'correct' }]);
    // The onSolve inject fired once.
    expect(await env.ctx.database.db.selectFrom('fired_injects').select('inject_key').where('team_id', '=', red.id).execute()).toEqual([{ inject_key: 'exchange' }]);

    await teamStream.next((e) => e.type === 'solved');
    await staffStream.next((e) => e.type === 'solved');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(teamStream.events.filter((e) => e.type === 'solved')).toHaveLength(1);
    expect(staffStream.events.filter((e) => e.type === 'solved')).toEqual([{ type: 'solved', data: { teamId: red.id, objectiveKey: 'wallet', firstSolve: true } }]);
    teamStream.close();
    staffStream.close();

    const board = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(board.ranking[0]).toMatchObject({ teamId: red.id, score: 100, solvedCount: 1 });
    expect(board.firstSolves).toEqual([{ objectiveKey: 'wallet', teamId: red.id, teamName: 'Red', solvedAt: solved[0]!.body.submittedAt }]);
  });

  it('gives each of several teams solving a decaying objective at once the value of its own place, in the order of their solves', async () => {
    // On SQLite the answers that arrive together share one commit (group commit): each still sees the solves before it.
    const rule = { mode: 'decay' as const, minimumPercent: 30, solvesToMinimum: 10 };
    const decaying = await importScenario(env, trainer, { id: 'decay-burst', scoring: rule });
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
    const { exercise, teams } = await exerciseWithTeams(env, trainer, decaying, { teams: names });
    const wallets = await Promise.all(teams.map(async (t) => (await valuesOf(env, t.id)).wallet!));
    // Every team also answers an objective that does not exist in the same burst: that one fails alone.
    const replies = await Promise.all(teams.flatMap((t, i) => [answer(t.client, exercise.id, 'wallet', wallets[i]!), answer(t.client, exercise.id, 'no-such-objective', 'x')]));
    const correct = replies.filter((_, i) => i % 2 === 0);
    expect(correct.map((r) => r.status)).toEqual(names.map(() => 200));
    expect(replies.filter((_, i) => i % 2 === 1).map((r) => r.status)).toEqual(names.map(() => 404));
    // In the order the solves were stored, the k-th solver earned the objective's value with k solvers.
    const solves = await env.ctx.database.db.selectFrom('objective_scores').select(['team_id', 'solved_at']).where('exercise_id', '=', exercise.id).orderBy('solved_at').execute();
    const byTeam = new Map(teams.map((t, i) => [t.id, correct[i]!.body]));
    expect(solves.map((s) => byTeam.get(s.team_id)!.pointsAwarded)).toEqual(names.map((_, k) => objectiveValue(100, rule, k + 1)));
    expect(new Set(correct.map((r) => r.body.pointsAwarded)).size).toBe(names.length);
    // Every solver now holds the value with six solvers.
    const board = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    for (const row of board.ranking) expect(row.score).toBe(objectiveValue(100, rule, names.length));
  });

  it('counts attempts exactly under a burst of wrong answers', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => answer(red.client, exercise.id, 'wallet', `wrong-${i}`)));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    expect(replies.filter((r) => r.status === 409 && r.body.error.details.reason === 'no_attempts')).toHaveLength(17);
    expect(await countRows('submissions', red.id)).toBe(3);
  });

  it('charges a hint once when team mates unlock it at the same moment', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId);
    const red = teams[0]!;
    const replies = await Promise.all(Array.from({ length: 20 }, () => red.client.post(`/api/exercises/${exercise.id}/hints/h1/unlock`)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.filter((r) => !r.body.alreadyUnlocked)).toHaveLength(1);
    expect(await countRows('hint_unlocks', red.id)).toBe(1);
    const board = (await trainer.get(`/api/exercises/${exercise.id}/scoreboard`)).body;
    expect(board.ranking.find((r: { teamId: string }) => r.teamId === red.id).score).toBe(-10);
  });
});
