import { describe, expect, it } from 'vitest';
import { formatWaiting, secondsSince } from './waiting.ts';

describe('waiting times', () => {
  it('reads as seconds, minutes or hours', () => {
    expect(formatWaiting(0)).toBe('0 s');
    expect(formatWaiting(59.8)).toBe('59 s');
    expect(formatWaiting(725)).toBe('12:05');
    expect(formatWaiting(3725)).toBe('1:02:05');
    expect(formatWaiting(-4)).toBe('0 s');
  });

  it("counts on the server's clock", () => {
    const raised = '2026-01-01T10:00:00.000Z';
    // Our clock is 30 s behind the server's.
    expect(secondsSince(raised, Date.parse('2026-01-01T10:01:00.000Z'), 30_000)).toBe(90);
    expect(secondsSince(raised, Date.parse('2026-01-01T09:59:00.000Z'), 0)).toBe(0);
  });
});
