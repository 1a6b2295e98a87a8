import { describe, expect, it } from 'vitest';
import type { TimelineItem } from './api.ts';
import { skillLabel } from '@modules/scenarios/skills.ts';
import { duration, filterTimeline, groupOf, objectiveRows, pointsOf, replyRows, skillChart, skillRows, subjectOf } from './report.ts';

const item = (kind: TimelineItem['kind'], details: TimelineItem['details'] = {}): TimelineItem => ({ at: '2026-11-23T08:00:00.000Z', gameSeconds: 0, kind, actor: null, details });

describe('report helpers', () => {
  it('writes game time like a stopwatch', () => {
    expect(duration(0)).toBe('0:00:00');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(null)).toBe('—');
  });

  it('filters the timeline by groups of kinds', () => {
    const items = [item('answer'), item('hint_unlocked'), item('legal_request_sent'), item('objective_solved')];
    expect(filterTimeline(items, []).length).toBe(4);
    expect(filterTimeline(items, ['answers']).map((i) => i.kind)).toEqual(['answer', 'objective_solved']);
    expect(filterTimeline(items, ['hints', 'legal']).map((i) => i.kind)).toEqual(['hint_unlocked', 'legal_request_sent']);
    expect(groupOf('advice_replied')).toBe('advice');
  });

  it('names what an item concerns and its points', () => {
    expect(subjectOf(item('answer', { objectiveKey: 'wallet' }))).toBe('wallet');
    expect(subjectOf(item('case_file_saved', { version: 3 }))).toBe('v3');
    expect(pointsOf(item('hint_unlocked', { cost: 10 }))).toBe(-10);
    expect(pointsOf(item('score_adjusted', { points: 5 }))).toBe(5);
    expect(pointsOf(item('answer', {}))).toBeNull();
    expect(pointsOf(item('advice_replied', { reply: 'penalty', points: 20 }))).toBe(-20);
  });

  it('builds chart rows', () => {
    expect(objectiveRows({ objectives: [{ key: 'wallet', solveRate: 2 / 3, medianSecondsToSolve: 120 } as never, { key: 'ip', solveRate: 0, medianSecondsToSolve: null } as never] })).toEqual([
      { objective: 'wallet', solveRate: 67, medianMinutes: 2 },
      { objective: 'ip', solveRate: 0, medianMinutes: 0 },
    ]);
    expect(skillRows([{ skill: 'osint', pointsEarned: 25, pointsAvailable: 50, solved: 0, total: 1 }], (slug) => skillLabel(slug, 'fr'))).toEqual([{ skill: 'osint', label: 'Sources ouvertes (OSINT)', percent: 50, solved: 0, total: 1 }]);
    expect(skillRows([{ skill: 'blockchain-analysis', pointsEarned: 0, pointsAvailable: 0, solved: 0, total: 1 }], (slug) => skillLabel(slug, 'ar'))[0]).toMatchObject({ label: 'Blockchain analysis', percent: 0 });
    expect(replyRows({ advice: { replyTimes: [{ teamId: 't', raisedAt: 'x', seconds: 90 }] } as never }, () => 'Red')).toEqual([{ request: '1', team: 'Red', minutes: 1.5 }]);
  });

  it('draws a radar for three to six skills, bars otherwise', () => {
    expect([1, 2, 3, 6, 7, 10].map(skillChart)).toEqual(['bars', 'bars', 'radar', 'radar', 'bars', 'bars']);
  });
});
