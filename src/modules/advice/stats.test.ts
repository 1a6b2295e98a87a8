import { describe, expect, it } from 'vitest';
import { median, p90, quantile, secondsBetween } from './stats.ts';

describe('reply-time figures', () => {
  it('has no median or 90th percentile without replies', () => {
    expect(median([])).toBeNull();
    expect(p90([])).toBeNull();
  });

  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([300])).toBe(300);
    expect(median([300, 120])).toBe(210);
    expect(median([50, 10, 30])).toBe(30);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes the 90th percentile by nearest rank', () => {
    expect(p90([120, 300])).toBe(300);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(90);
    expect(p90([7])).toBe(7);
    expect(quantile([5, 1, 3], 1)).toBe(5);
  });

  it('counts whole seconds and never a negative time', () => {
    expect(secondsBetween('2026-01-01T10:00:00.000Z', '2026-01-01T10:02:00.400Z')).toBe(120);
    expect(secondsBetween('2026-01-01T10:00:10.000Z', '2026-01-01T10:00:00.000Z')).toBe(0);
  });
});
