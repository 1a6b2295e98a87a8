import { describe, expect, it } from 'vitest';
import { compareStandings, downsample, earned, objectiveValue, replay, Standings, type ScoreItem } from './rules.ts';

const decay = { mode: 'decay' as const, minimumPercent: 30, solvesToMinimum: 10, advicePenalty: 0 };
const definition = (scoring = decay) => ({
  objectives: [
    { id: 'a', points: 100 },
    { id: 'b', points: 50 },
  ] as never,
  scoring,
});
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

describe('objective values', () => {
  it('are static unless the scenario decays them', () => {
    expect(objectiveValue(100, { ...decay, mode: 'static' }, 0)).toBe(100);
    expect(objectiveValue(100, { ...decay, mode: 'static' }, 50)).toBe(100);
  });

  it('fall linearly with each further solving team, rounded up, down to the minimum', () => {
    // value = max(minimum, points × (1 − (solves − 1) / solvesToMinimum × (1 − minimum%)))
    expect([1, 2, 3, 6, 11, 12, 100].map((n) => objectiveValue(100, decay, n))).toEqual([100, 93, 86, 65, 30, 30, 30]);
    expect(objectiveValue(100, decay, 0)).toBe(100);
    // 50 × (1 − 1/3 × 0.5) = 41.67 → 42; minimum 50 × 0.5 = 25.
    expect(objectiveValue(50, { ...decay, minimumPercent: 50, solvesToMinimum: 3 }, 2)).toBe(42);
    expect(objectiveValue(50, { ...decay, minimumPercent: 50, solvesToMinimum: 3 }, 9)).toBe(25);
    // A minimum of 0 reaches 0.
    expect(objectiveValue(10, { ...decay, minimumPercent: 0, solvesToMinimum: 1 }, 2)).toBe(0);
    // Exact on awkward numbers (no 0.1 + 0.2 surprises): 77 × (1 − 1/7 × 0.7) = 69.3 → 70.
    expect(objectiveValue(77, { ...decay, solvesToMinimum: 7 }, 2)).toBe(70);
  });

  it('earn their share of partial credit', () => {
    expect(earned(100, 667)).toBe(67);
    expect(earned(93, 1000)).toBe(93);
    expect(earned(93, 0)).toBe(0);
  });
});

describe('standings', () => {
  it('apply decay to every solver retroactively, with partial credit, hints and adjustments', () => {
    const s = new Standings(definition());
    s.apply({ kind: 'credit', teamId: 'red', objectiveKey: 'a', permille: 1000, at: at(1) });
    expect(s.standing('red').score).toBe(100);
    s.apply({ kind: 'credit', teamId: 'blue', objectiveKey: 'a', permille: 500, at: at(2) });
    expect(s.standing('blue').score).toBe(50);
    // Green's solve lowers the value for red and for blue's partial credit.
    expect(s.apply({ kind: 'credit', teamId: 'green', objectiveKey: 'a', permille: 1000, at: at(3) })).toEqual({ changed: true, revalued: 'a' });
    expect([s.standing('red').score, s.standing('blue').score, s.standing('green').score]).toEqual([93, 47, 93]);
    s.apply({ kind: 'hint', teamId: 'red', hintKey: 'h1', cost: 10, at: at(4) });
    s.apply({ kind: 'adjustment', id: 'x', teamId: 'blue', points: 5, at: at(5) });
    expect(s.standing('red')).toEqual({ teamId: 'red', score: 83, solvedCount: 1, lastScoreAt: at(4) });
    expect(s.standing('blue')).toEqual({ teamId: 'blue', score: 52, solvedCount: 0, lastScoreAt: at(5) });
    expect(s.firstSolves()).toEqual([{ objectiveKey: 'a', teamId: 'red', solvedAt: at(1) }]);
    expect(s.solves('a')).toBe(2);
    expect(s.value('a')).toBe(93);
  });

  it('count only a higher credit, and a solve once', () => {
    const s = new Standings(definition());
    s.apply({ kind: 'credit', teamId: 'red', objectiveKey: 'b', permille: 667, at: at(1) });
    expect(s.apply({ kind: 'credit', teamId: 'red', objectiveKey: 'b', permille: 333, at: at(2) })).toEqual({ changed: false, revalued: null });
    s.apply({ kind: 'credit', teamId: 'red', objectiveKey: 'b', permille: 1000, at: at(3) });
    expect(s.apply({ kind: 'credit', teamId: 'red', objectiveKey: 'b', permille: 1000, at: at(3) })).toEqual({ changed: false, revalued: null });
    expect(s.standing('red')).toMatchObject({ score: 50, solvedCount: 1, lastScoreAt: at(3) });
  });

  it.each([7, 11, 42, 1234])('end the same whatever the order the items arrive in (events from several processes), seed %i', (start) => {
    const items: ScoreItem[] = [];
    const teams = ['t1', 't2', 't3', 't4', 't5'];
    let seed = start;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const best = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const teamId = teams[Math.floor(random() * teams.length)]!;
      const r = random();
      if (r < 0.6) {
        // As stored: a team's credit on an objective only grows.
        const objectiveKey = random() < 0.5 ? 'a' : 'b';
        const permille = random() < 0.5 ? 1000 : 250 + Math.floor(random() * 700);
        if (permille > (best.get(teamId + objectiveKey) ?? 0)) items.push({ kind: 'credit', teamId, objectiveKey, permille, at: at(i) });
        best.set(teamId + objectiveKey, Math.max(permille, best.get(teamId + objectiveKey) ?? 0));
      }
      else if (r < 0.8) items.push({ kind: 'hint', teamId, hintKey: `h${i}`, cost: 5, at: at(i) });
      else items.push({ kind: 'adjustment', id: `adj${i}`, teamId, points: Math.floor(random() * 40) - 20, at: at(i) });
    }
    const inOrder = replay(definition(), items).standings;
    const shuffled = new Standings(definition());
    for (const item of [...items].sort(() => random() - 0.5)) shuffled.apply(item);
    for (const t of teams) expect(shuffled.standing(t)).toEqual(inOrder.standing(t));
    expect(shuffled.firstSolves()).toEqual(inOrder.firstSolves());
  });
});

describe('ranking', () => {
  const row = (name: string, score: number, lastScoreAt: string | null) => ({ teamId: name, name, score, solvedCount: 0, lastScoreAt });
  it('puts the higher score first, then who reached it first', () => {
    const rows = [row('late', 100, at(9)), row('early', 100, at(3)), row('top', 150, at(20)), row('none', 0, null), row('low', 0, at(1))];
    expect(rows.sort(compareStandings).map((r) => r.name)).toEqual(['top', 'early', 'late', 'none', 'low']);
  });
});

describe('replay', () => {
  it('gives each team its score after every change, and the standings before a cut-off', () => {
    const items: ScoreItem[] = [
      { kind: 'credit', teamId: 'red', objectiveKey: 'a', permille: 1000, at: at(1) },
      { kind: 'credit', teamId: 'blue', objectiveKey: 'a', permille: 1000, at: at(2) },
      { kind: 'adjustment', id: 'bonus', teamId: 'blue', points: 20, at: at(3) },
    ];
    const { series, standings } = replay(definition(), items);
    expect(series.get('red')).toEqual([
      { at: at(1), score: 100 },
      { at: at(2), score: 93 },
    ]);
    expect(series.get('blue')).toEqual([
      { at: at(2), score: 93 },
      { at: at(3), score: 113 },
    ]);
    expect(standings.standing('blue').score).toBe(113);
    const frozen = replay(definition(), items, at(2)).standings;
    expect([frozen.standing('red').score, frozen.standing('blue').score]).toEqual([100, 0]);
    // Only the chosen teams' series, the same as in the full replay.
    const red = replay(definition(), items, null, { seriesFor: new Set(['red']) }).series;
    expect([...red.keys()]).toEqual(['red']);
    expect(red.get('red')).toEqual(series.get('red'));
  });

  it('downsamples a long series to the last point of each span of time', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ at: at(i), score: i }));
    const few = downsample(points, 100);
    expect(few.length).toBeLessThanOrEqual(101);
    expect(few[0]).toEqual(points[0]);
    expect(few.at(-1)).toEqual(points.at(-1));
    expect(few.map((p) => p.score)).toEqual([...few.map((p) => p.score)].sort((a, b) => a - b));
    expect(downsample(points.slice(0, 5), 100)).toEqual(points.slice(0, 5));
  });
});
