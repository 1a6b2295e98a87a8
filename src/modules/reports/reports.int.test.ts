import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { answer, exerciseWithTeams, importScenario, valuesOf, type Player } from '../scoring/fixture.ts';

// The after-action report over HTTP: who may read which report in every format,
// what the replay holds (in order, never an answer in clear), the figures on a
// small fixture driven by the test clock (pauses excluded), and the exports.

let env: TestEnv;
let trainer: TestClient;
let expert: { client: TestClient; user: { id: string } };
let analyst: TestClient;
let outsider: TestClient;
let exerciseId: string;
let red: Player;
let blue: Player;
let green: Player;
let redWallet: string;
let scenarioId: string;

const paths = (exercise: string, team?: string) => {
  const base = team ? `/api/exercises/${exercise}/teams/${team}/report` : `/api/exercises/${exercise}/report`;
  return [base, `${base}.json`, `${base}.csv`, `${base}.pdf`];
};

async function raw(client: TestClient, url: string) {
  const res = await fetch(env.baseUrl + url, { headers: client.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  expert = await signedIn(env, { roles: ['expert'] });
  analyst = (await signedIn(env, { roles: ['partner_analyst'] })).client;
  outsider = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importScenario(env, trainer, {
    objectives: [
      { id: 'wallet', prompt: { en: 'Which wallet?' }, answer: { type: 'exact', value: '{{ wallet }}' }, points: 100, maxAttempts: 3, skills: ['blockchain-analysis'] },
      { id: 'ip', prompt: { en: 'Which IP?' }, answer: { type: 'regex', pattern: '{{ sender_ip }}' }, points: 50, requires: ['wallet'], skills: ['email-header-analysis', 'osint'] },
      { id: 'deposit', prompt: { en: 'Deposit?' }, answer: { type: 'exact', value: 'DEP-1' }, points: 80, release: { inject: 'exchange' }, skills: ['blockchain-analysis'] },
    ],
  });
  const made = await exerciseWithTeams(env, trainer, scenarioId, { teams: ['Red', 'Blue', '=cmd|"/c calc",x'] });
  exerciseId = made.exercise.id;
  [red, blue, green] = made.teams as [Player, Player, Player];
  expect((await trainer.post(`/api/exercises/${exerciseId}/staff`, { userId: expert.user.id, role: 'expert' })).status).toBe(200);
  redWallet = (await valuesOf(env, red.id)).wallet!;
  const blueValues = await valuesOf(env, blue.id);

  // Red: after 60 s a hint, a wrong answer (Blue's wallet), the evidence, then the right answer.
  env.clock.advance(30);
  expect((await red.client.post(`/api/exercises/${exerciseId}/hints/h1/unlock`)).status).toBe(200);
  env.clock.advance(10);
  expect((await answer(red.client, exerciseId, 'wallet', blueValues.wallet!)).body.outcome).toBe('wrong');
  env.clock.advance(10);
  expect((await red.client.get(`/api/exercises/${exerciseId}/evidence/mail/content`)).status).toBe(200);
  env.clock.advance(10);
  expect((await answer(red.client, exerciseId, 'wallet', redWallet)).body.outcome).toBe('correct');
  // A pause of 100 s does not count in game time.
  expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'pause' })).status).toBe(200);
  env.clock.advance(100);
  expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'resume' })).status).toBe(200);
  // Blue solves the wallet at game time 180 s; Red the IP at 240 s; Green nothing.
  env.clock.advance(120);
  expect((await answer(blue.client, exerciseId, 'wallet', blueValues.wallet!)).body.outcome).toBe('correct');
  env.clock.advance(60);
  expect((await answer(red.client, exerciseId, 'ip', (await valuesOf(env, red.id)).sender_ip!)).body.outcome).toBe('correct');
  expect((await trainer.post(`/api/exercises/${exerciseId}/teams/${red.id}/adjustments`, { points: 5, reason: '+SUM(A1) for a neat write-up' })).status).toBe(201);
});
afterAll(async () => env?.close());

describe('after-action report: access', () => {
  it('lets a team read its own report in every format', async () => {
    for (const url of paths(exerciseId, red.id)) expect((await raw(red.client, url)).status, url).toBe(200);
  });

  it("answers 404 to a team asking for another team's report, in every format", async () => {
    for (const url of paths(exerciseId, blue.id)) expectError(await red.client.get(url), 404, 'not_found');
    for (const url of paths(exerciseId, red.id)) expectError(await green.client.get(url), 404, 'not_found');
  });

  it('keeps the exercise report for its staff (403 to a team)', async () => {
    for (const url of paths(exerciseId)) expectError(await red.client.get(url), 403, 'forbidden');
  });

  it("lets the exercise's trainers and experts read every report", async () => {
    for (const client of [trainer, expert.client]) {
      for (const url of [...paths(exerciseId), ...paths(exerciseId, red.id), ...paths(exerciseId, blue.id), ...paths(exerciseId, green.id)]) {
        expect((await raw(client, url)).status, url).toBe(200);
      }
    }
  });

  it('answers 404 to partner analysts and to staff of other exercises, on every path', async () => {
    for (const client of [analyst, outsider]) {
      for (const url of [...paths(exerciseId), ...paths(exerciseId, red.id)]) expectError(await client.get(url), 404, 'not_found');
    }
  });

  it('answers 404 for a team of another exercise or an unknown team', async () => {
    expectError(await trainer.get(`/api/exercises/${exerciseId}/teams/00000000-0000-4000-8000-000000000000/report`), 404, 'not_found');
  });
});

describe('after-action report: content', () => {
  it('replays what the team did, in order, with game time, never an answer in clear', async () => {
    const res = await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report`);
    expect(res.status).toBe(200);
    const timeline = res.body.timeline as Array<{ at: string; gameSeconds: number; kind: string; details: Record<string, unknown>; actor: { userId: string } | null }>;
    const at = timeline.map((i) => i.at);
    expect([...at].sort()).toEqual(at);
    const own = timeline.filter((i) => ['hint_unlocked', 'answer', 'evidence_acquired', 'objective_solved', 'score_adjusted'].includes(i.kind));
    expect(own.map((i) => [i.kind, i.gameSeconds, i.details.objectiveKey ?? i.details.hintKey ?? i.details.evidenceKey ?? null])).toEqual([
      ['hint_unlocked', 30, 'h1'],
      ['answer', 40, 'wallet'],
      ['evidence_acquired', 50, 'mail'],
      ['answer', 60, 'wallet'],
      ['objective_solved', 60, 'wallet'],
      ['answer', 240, 'ip'],
      ['objective_solved', 240, 'ip'],
      ['score_adjusted', 240, null],
    ]);
    expect(own.filter((i) => i.kind === 'answer').map((i) => i.details.outcome)).toEqual(['wrong', 'correct', 'correct']);
    expect(own[0]!.actor?.userId).toBe(red.userId);
    expect(timeline.filter((i) => i.kind === 'evidence_released').length).toBeGreaterThanOrEqual(2);
    // The inject fired by a team's solve reaches that team only.
    expect(timeline.some((i) => i.kind === 'inject_received' && i.details.injectKey === 'exchange')).toBe(true);
    const greenTimeline = (await green.client.get(`/api/exercises/${exerciseId}/teams/${green.id}/report`)).body.timeline as typeof timeline;
    expect(greenTimeline.some((i) => i.kind === 'inject_received')).toBe(false);
    expect(greenTimeline.some((i) => i.kind === 'answer' || i.kind === 'hint_unlocked')).toBe(false);

    const blueWallet = (await valuesOf(env, blue.id)).wallet!;
    const csv = await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report.csv`);
    for (const text of [JSON.stringify(res.body), csv.body as string]) {
      expect(text).not.toContain(redWallet);
      expect(text).not.toContain(blueWallet);
    }
  });

  it("gives the team's objectives with times, attempts and points, its skills profile and summary", async () => {
    const body = (await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report`)).body;
    const byKey = Object.fromEntries((body.objectives as Array<Record<string, any>>).map((o) => [o.key, o])) as Record<string, Record<string, any>>;
    expect(byKey.wallet).toMatchObject({ solved: true, solvedGameSeconds: 60, secondsToSolve: 60, attempts: 2, pointsEarned: 100, creditPercent: 100 });
    expect(byKey.ip).toMatchObject({ solved: true, solvedGameSeconds: 240, attempts: 1, pointsEarned: 50 });
    expect(byKey.deposit).toMatchObject({ released: true, solved: false, solvedGameSeconds: null, pointsEarned: 0 });
    expect(byKey.wallet?.prompt).toEqual({ en: 'Which wallet?' });
    expect(body.skills).toEqual([
      { skill: 'blockchain-analysis', pointsEarned: 100, pointsAvailable: 180, solved: 1, total: 2 },
      { skill: 'email-header-analysis', pointsEarned: 50, pointsAvailable: 50, solved: 1, total: 1 },
      { skill: 'osint', pointsEarned: 50, pointsAvailable: 50, solved: 1, total: 1 },
    ]);
    expect(body.summary).toMatchObject({ score: 100 + 50 - 10 + 5, solved: 2, objectives: 3, attempts: 3, hints: 1, hintPoints: 10, adjustmentPoints: 5 });
    expect(body.caseFile).toBeNull();
    expect(body.series.at(-1).score).toBe(145);

    // Green was never given "deposit" (released on solving the wallet): the team does not see it; staff do.
    const greenOwn = (await green.client.get(`/api/exercises/${exerciseId}/teams/${green.id}/report`)).body;
    expect(greenOwn.objectives.map((o: { key: string }) => o.key)).toEqual(['wallet', 'ip']);
    const greenStaff = (await trainer.get(`/api/exercises/${exerciseId}/teams/${green.id}/report`)).body;
    expect(greenStaff.objectives.map((o: { key: string; released: boolean }) => [o.key, o.released])).toEqual([
      ['wallet', true],
      ['ip', true],
      ['deposit', false],
    ]);
    const blueStaff = (await trainer.get(`/api/exercises/${exerciseId}/teams/${blue.id}/report`)).body;
    expect(blueStaff.objectives[0]).toMatchObject({ solvedGameSeconds: 180, secondsToSolve: 180 });
  });

  it('computes solve rates, medians, the hardest objectives and the teams compared', async () => {
    const body = (await trainer.get(`/api/exercises/${exerciseId}/report`)).body;
    expect(body.teamCount).toBe(3);
    const byKey = Object.fromEntries((body.objectives as Array<Record<string, any>>).map((o) => [o.key, o])) as Record<string, Record<string, any>>;
    expect(byKey.wallet).toMatchObject({ solves: 2, released: 3, attempts: 3, medianSecondsToSolve: 120 });
    expect(byKey.wallet?.solveRate).toBeCloseTo(2 / 3);
    expect(byKey.ip).toMatchObject({ solves: 1, medianSecondsToSolve: 240 });
    expect(byKey.deposit).toMatchObject({ solves: 0, released: 2, solveRate: 0, medianSecondsToSolve: null });
    expect(body.hardest).toEqual(['deposit', 'ip', 'wallet']);
    expect(body.teams.map((t: { teamName: string; rank: number; score: number; solved: number; hints: number }) => [t.teamName, t.rank, t.score, t.solved, t.hints])).toEqual([
      ['Red', 1, 145, 2, 1],
      ['Blue', 2, 100, 1, 0],
      ['=cmd|"/c calc",x', 3, 0, 0, 0],
    ]);
    expect(body.advice).toMatchObject({ requests: 0, answered: 0, replyTimes: [] });
    expect(body.cells).toHaveLength(9);
    expect(body.series).toHaveLength(3);
  });
});

describe('after-action report: exports', () => {
  it('writes well-formed CSV with formulas neutralised', async () => {
    const res = await raw(trainer, `/api/exercises/${exerciseId}/report.csv`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="exercise-report-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = res.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('team,objective,objective_points,released,solved,solved_at,solved_game_seconds,seconds_to_solve,attempts,points_earned,objective_solve_rate,objective_median_seconds_to_solve');
    expect(lines.length - 2).toBe(9);
    // The team name starting with "=" is prefixed, and its quote and comma escaped.
    expect(lines.filter((l) => l.startsWith(`"'=cmd|""/c calc"",x",`))).toHaveLength(3);
    expect(lines).toContain(`Red,wallet,100,true,true,${lines.find((l) => l.startsWith('Red,wallet,'))!.split(',')[5]},60,60,2,100,0.667,120`);

    const team = (await raw(red.client, `/api/exercises/${exerciseId}/teams/${red.id}/report.csv`)).bytes.toString('utf8');
    const rows = team.slice(1).split('\r\n');
    expect(rows[0]).toBe('time,game_seconds,kind,actor,subject,outcome,points,details');
    expect(rows.some((r) => /,answer,[^,]*,wallet,wrong,/.test(r))).toBe(true);
    expect(rows.some((r) => /,hint_unlocked,[^,]*,h1,,-10,/.test(r))).toBe(true);
  });

  it('writes a PDF with pages, in the reader’s language', async () => {
    for (const url of [`/api/exercises/${exerciseId}/teams/${red.id}/report.pdf`, `/api/exercises/${exerciseId}/report.pdf`]) {
      const res = await raw(trainer, url);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(res.bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
      expect((res.bytes.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(1);
      expect(res.bytes.toString('latin1')).toContain('/Lang (en)');
    }
    expect((await red.client.patch('/api/me', { locale: 'ar' })).status).toBe(200);
    const ar = await raw(red.client, `/api/exercises/${exerciseId}/teams/${red.id}/report.pdf`);
    expect(ar.status).toBe(200);
    expect(ar.bytes.toString('latin1')).toContain('/Lang (ar)');
  });

  it('names the downloads with a safe slug of the team name (its id for a name without Latin letters) and gives the UTF-8 name beside it', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId, { start: false, teams: ['Équipe Rouge & Cie.', 'الفريق الأحمر'] });
    const [rouge, arabic] = teams as [Player, Player];
    const names = async (client: TestClient, url: string) => {
      const res = await raw(client, url);
      expect(res.status, url).toBe(200);
      const disposition = res.headers.get('content-disposition') ?? '';
      const match = /^attachment; filename="([a-z0-9.-]+)"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)$/.exec(disposition);
      expect(match, disposition).not.toBeNull();
      // The day of generation stands as DAY.
      const day = (name: string) => name.replace(/-\d{4}-\d{2}-\d{2}\./, '-DAY.');
      return { plain: day(match![1]!), utf8: day(decodeURIComponent(match![2]!)) };
    };
    for (const extension of ['pdf', 'csv', 'json']) {
      expect(await names(rouge.client, `/api/exercises/${exercise.id}/teams/${rouge.id}/report.${extension}`)).toEqual({ plain: `report-equipe-rouge-cie-DAY.${extension}`, utf8: `report-équipe-rouge-cie-DAY.${extension}` });
      expect(await names(arabic.client, `/api/exercises/${exercise.id}/teams/${arabic.id}/report.${extension}`)).toEqual({ plain: `report-${arabic.id}-DAY.${extension}`, utf8: `report-الفريق-الأحمر-DAY.${extension}` });
    }
  });

  it('reports an exercise that has not started without failing', async () => {
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId, { start: false, teams: ['Solo'] });
    const team = (await teams[0]!.client.get(`/api/exercises/${exercise.id}/teams/${teams[0]!.id}/report`)).body;
    expect(team).toMatchObject({ status: 'draft', startedAt: null, timeline: [], series: [] });
    const staff = (await trainer.get(`/api/exercises/${exercise.id}/report`)).body;
    expect(staff).toMatchObject({ teamCount: 1, hardest: expect.any(Array) });
    expect((await raw(trainer, `/api/exercises/${exercise.id}/report.pdf`)).bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('after-action report: advice and case file', () => {
  it('measures advice reply times and shows the case file evaluation of a prosecution scenario', async () => {
    const prosecutionScenario = await importScenario(env, trainer, {
      version: '1.1.0',
      prosecution: {
        charges: [
          {
            id: 'extortion',
            title: { en: 'Extortion', fr: 'Extorsion' },
            basis: { source: 'national', code: { en: 'Penal code' }, article: '312' },
            elements: [{ id: 'demand', title: { en: 'The demand' }, rubric: { en: 'The e-mail and the wallet.' }, facts: ['wallet'], exhibits: ['mail'] }],
          },
        ],
        points: 100,
      },
    });
    const { exercise, teams } = await exerciseWithTeams(env, trainer, prosecutionScenario, { teams: ['Amber', 'Cyan'] });
    const [amber] = teams as [Player, Player];
    expect((await trainer.post(`/api/exercises/${exercise.id}/staff`, { userId: expert.user.id, role: 'expert' })).status).toBe(200);

    env.clock.advance(60);
    const asked = await amber.client.post(`/api/exercises/${exercise.id}/advice`, { subject: 'Headers', text: 'Which relay is the origin?' });
    expect(asked.status).toBe(201);
    env.clock.advance(90);
    const replied = await expert.client.post(`/api/exercises/${exercise.id}/advice/${asked.body.request.id}/messages`, { text: 'Read the Received lines from the bottom.' });
    expect(replied.status).toBe(201);

    const staff = (await trainer.get(`/api/exercises/${exercise.id}/report`)).body;
    expect(staff.advice).toMatchObject({ requests: 1, answered: 1, medianFirstReplySeconds: 90, replyTimes: [{ teamId: amber.id, seconds: 90 }] });
    expect(staff.advice.perExpert).toEqual([expect.objectContaining({ userId: expert.user.id, replies: 1, medianFirstReplySeconds: 90 })]);
    expect(staff.chargeCount).toBe(1);
    expect(staff.teams.find((t: { teamId: string }) => t.teamId === amber.id)).toMatchObject({ adviceRequests: 1, readiness: 0, readinessFinal: false, chargesReady: 0 });

    const own = (await amber.client.get(`/api/exercises/${exercise.id}/teams/${amber.id}/report`)).body;
    expect(own.summary.adviceRequests).toBe(1);
    expect(own.timeline.filter((i: { kind: string }) => i.kind.startsWith('advice_')).map((i: { kind: string; gameSeconds: number; details: { reply?: string } }) => [i.kind, i.gameSeconds, i.details.reply ?? null])).toEqual([
      ['advice_requested', 60, null],
      ['advice_replied', 150, 'message'],
    ]);
    expect(JSON.stringify(own.timeline)).not.toContain('Received lines');
    expect(own.caseFile).toEqual({ status: 'draft', submittedAt: null, readiness: null, provisionalReadiness: null, charges: [{ chargeId: 'extortion', title: { en: 'Extortion', fr: 'Extorsion' }, ready: false }] });
    const pdf = await raw(amber.client, `/api/exercises/${exercise.id}/teams/${amber.id}/report.pdf`);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('after-action report: the scoreboard freeze', () => {
  it("shows a team its standings as of the freeze, so that another team's solve cannot be read from its objectives' values", async () => {
    const decay = await importScenario(env, trainer, { id: 'report-decay', scoring: { mode: 'decay', minimumPercent: 30, solvesToMinimum: 10 } });
    const { exercise, teams } = await exerciseWithTeams(env, trainer, decay, { freezeMinutes: 10, durationMinutes: 60 });
    const [amber, jade] = teams as [Player, Player];
    const solve = async (p: Player) => expect((await answer(p.client, exercise.id, 'wallet', (await valuesOf(env, p.id)).wallet!)).body.outcome).toBe('correct');
    env.clock.advance(5 * 60);
    await solve(amber);
    env.clock.advance(50 * 60);
    // In the freeze, Jade's solve lowers the wallet's value for every solver.
    await solve(jade);
    const wallet = (r: { objectives: Array<{ key: string; points: number; pointsEarned: number }> }) => r.objectives.find((o) => o.key === 'wallet')!;
    const live = (await trainer.get(`/api/exercises/${exercise.id}/teams/${amber.id}/report`)).body;
    expect(wallet(live).points).toBeLessThan(100);
    const own = (await amber.client.get(`/api/exercises/${exercise.id}/teams/${amber.id}/report`)).body;
    expect(wallet(own)).toMatchObject({ points: 100, pointsEarned: 100 });
    expect(own.summary.score).toBe(100);
    expect(own.series.at(-1).score).toBe(100);
    // The end of the exercise reveals the standings.
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'end' })).status).toBe(200);
    const revealed = (await amber.client.get(`/api/exercises/${exercise.id}/teams/${amber.id}/report`)).body;
    expect(wallet(revealed).points).toBe(wallet(live).points);
    expect(revealed.summary.score).toBe(live.summary.score);
  });
});

describe('after-action report: a training exercise', () => {
  it("counts only what the team did, since its participants see no standings: decay cannot tell of other teams' solves", async () => {
    const decay = await importScenario(env, trainer, { id: 'report-decay-training', scoring: { mode: 'decay', minimumPercent: 30, solvesToMinimum: 10 } });
    const { exercise, teams } = await exerciseWithTeams(env, trainer, decay, { mode: 'training' });
    const [amber, jade] = teams as [Player, Player];
    for (const p of [amber, jade]) {
      env.clock.advance(60);
      expect((await answer(p.client, exercise.id, 'wallet', (await valuesOf(env, p.id)).wallet!)).body.outcome).toBe('correct');
    }
    const wallet = (r: { objectives: Array<{ key: string; points: number; pointsEarned: number }> }) => r.objectives.find((o) => o.key === 'wallet')!;
    const staffView = (await trainer.get(`/api/exercises/${exercise.id}/teams/${amber.id}/report`)).body;
    expect(wallet(staffView).points).toBeLessThan(100);
    for (const p of [amber, jade]) {
      const own = (await p.client.get(`/api/exercises/${exercise.id}/teams/${p.id}/report`)).body;
      expect(wallet(own)).toMatchObject({ points: 100, pointsEarned: 100 });
      expect(own.summary.score).toBe(100);
    }
  });
});
