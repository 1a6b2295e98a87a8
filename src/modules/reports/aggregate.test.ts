import { describe, expect, it } from 'vitest';
import { gameSecondsAt, hardestObjectives, median, objectiveStats, pausesOf, skillsProfile } from './aggregate.ts';

describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeNull();
    expect(median([300])).toBe(300);
    expect(median([60, 180, 30])).toBe(60);
    expect(median([60, 180])).toBe(120);
  });
});

describe('game time', () => {
  const start = '2026-11-23T08:00:00.000Z';
  const at = (s: number) => new Date(Date.parse(start) + s * 1000).toISOString();

  it('takes the pauses from the control history, an end closing an open pause', () => {
    expect(pausesOf([{ at: at(0), action: 'start' }, { at: at(60), action: 'pause' }, { at: at(160), action: 'resume' }, { at: at(200), action: 'extend' }, { at: at(300), action: 'pause' }, { at: at(400), action: 'end' }])).toEqual([
      { from: at(60), to: at(160) },
      { from: at(300), to: at(400) },
    ]);
    expect(pausesOf([{ at: at(10), action: 'pause' }])).toEqual([{ from: at(10), to: null }]);
  });

  it('counts wall time since the start less the pauses before the moment', () => {
    const pauses = [{ from: at(60), to: at(160) }, { from: at(300), to: null }];
    expect(gameSecondsAt(start, pauses, at(50))).toBe(50);
    expect(gameSecondsAt(start, pauses, at(100))).toBe(60);
    expect(gameSecondsAt(start, pauses, at(280))).toBe(180);
    expect(gameSecondsAt(start, pauses, at(1000))).toBe(200);
    expect(gameSecondsAt(start, pauses, at(-5))).toBe(0);
    expect(gameSecondsAt(null, pauses, at(100))).toBe(0);
  });
});

describe('objective statistics', () => {
  const objectives = [
    { key: 'wallet', points: 100, skills: [] },
    { key: 'ip', points: 50, skills: [] },
    { key: 'deposit', points: 80, skills: [] },
    { key: 'mixer', points: 80, skills: [] },
  ];
  const solves = [
    { teamId: 'a', objectiveKey: 'wallet', secondsToSolve: 60 },
    { teamId: 'b', objectiveKey: 'wallet', secondsToSolve: 180 },
    { teamId: 'c', objectiveKey: 'wallet', secondsToSolve: 90 },
    { teamId: 'a', objectiveKey: 'ip', secondsToSolve: 600 },
    { teamId: 'a', objectiveKey: 'deposit', secondsToSolve: 900 },
  ];

  it('gives the solve rate over the teams and the median time to solve', () => {
    expect(objectiveStats(objectives, 4, solves)).toEqual([
      { key: 'wallet', solves: 3, solveRate: 0.75, medianSecondsToSolve: 90 },
      { key: 'ip', solves: 1, solveRate: 0.25, medianSecondsToSolve: 600 },
      { key: 'deposit', solves: 1, solveRate: 0.25, medianSecondsToSolve: 900 },
      { key: 'mixer', solves: 0, solveRate: 0, medianSecondsToSolve: null },
    ]);
    expect(objectiveStats(objectives, 0, [])[0]).toEqual({ key: 'wallet', solves: 0, solveRate: 0, medianSecondsToSolve: null });
  });

  it('orders the hardest: lowest solve rate, then longest median, then key', () => {
    const stats = objectiveStats(objectives, 4, solves);
    expect(hardestObjectives(stats)).toEqual(['mixer', 'deposit', 'ip', 'wallet']);
    expect(hardestObjectives(stats, 2)).toEqual(['mixer', 'deposit']);
    expect(hardestObjectives([{ key: 'b', solveRate: 0.5, medianSecondsToSolve: 10 }, { key: 'a', solveRate: 0.5, medianSecondsToSolve: 10 }])).toEqual(['a', 'b']);
  });
});

describe('skills profile', () => {
  it('sums points earned and available and counts solves per skill', () => {
    expect(
      skillsProfile([
        { skills: ['blockchain-analysis'], points: 100, pointsEarned: 100, solved: true },
        { skills: ['email-header-analysis', 'osint'], points: 50, pointsEarned: 25, solved: false },
        { skills: ['blockchain-analysis', 'blockchain-analysis'], points: 80, pointsEarned: 0, solved: false },
        { skills: [], points: 10, pointsEarned: 10, solved: true },
      ]),
    ).toEqual([
      { skill: 'blockchain-analysis', pointsEarned: 100, pointsAvailable: 180, solved: 1, total: 2 },
      { skill: 'email-header-analysis', pointsEarned: 25, pointsAvailable: 50, solved: 0, total: 1 },
      { skill: 'osint', pointsEarned: 25, pointsAvailable: 50, solved: 0, total: 1 },
    ]);
  });
});
