import { describe, expect, it } from 'vitest';
import { chartRows } from './chart.ts';

describe('scores over time', () => {
  const board = {
    ranking: [
      { rank: 1, teamId: 'a', teamName: 'Falcon', countries: [], score: 150, solvedCount: 2, lastScoreAt: null },
      { rank: 2, teamId: 'b', teamName: 'Orca', countries: [], score: 50, solvedCount: 1, lastScoreAt: null },
    ],
    series: [
      { teamId: 'a', points: [{ at: '2026-01-01T09:00:00Z', score: 0 }, { at: '2026-01-01T09:10:00Z', score: 100 }, { at: '2026-01-01T09:30:00Z', score: 150 }] },
      { teamId: 'b', points: [{ at: '2026-01-01T09:00:00Z', score: 0 }, { at: '2026-01-01T09:20:00Z', score: 50 }] },
    ],
  };

  it('has one row per change, scores carried forward', () => {
    const rows = chartRows(board);
    expect(rows.map((r) => [r.Falcon, r.Orca])).toEqual([
      [0, 0],
      [100, 0],
      [100, 50],
      [150, 50],
    ]);
  });

  it('runs to the present when asked', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    const rows = chartRows(board, now);
    expect(rows[rows.length - 1]).toEqual({ time: now, Falcon: 150, Orca: 50 });
    expect(chartRows(board, Date.parse('2026-01-01T08:00:00Z'))).toHaveLength(4);
  });
});
