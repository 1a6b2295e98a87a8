import { describe, expect, it } from 'vitest';
import { secondsLeft, splitSeconds, urgency } from './clock.ts';

describe('exercise clock on the client', () => {
  it('counts down from the moment the answer arrived while running', () => {
    const clock = { phase: 'running' as const, remainingSeconds: 600 };
    expect(secondsLeft(clock, 1_000_000, 1_000_000)).toBe(600);
    expect(secondsLeft(clock, 1_000_000, 1_000_000 + 61_500)).toBe(539);
    expect(secondsLeft(clock, 1_000_000, 1_000_000 + 700_000)).toBe(0);
  });

  it('stands still when paused or not started, and is zero once ended', () => {
    expect(secondsLeft({ phase: 'paused', remainingSeconds: 1234 }, 0, 999_999)).toBe(1234);
    expect(secondsLeft({ phase: 'not_started', remainingSeconds: 7200 }, 0, 999_999)).toBe(7200);
    expect(secondsLeft({ phase: 'ended', remainingSeconds: 50 }, 0, 0)).toBe(0);
  });

  it('splits seconds into hours, minutes and seconds', () => {
    expect(splitSeconds(5025)).toEqual({ hours: 1, minutes: 23, seconds: 45 });
    expect(splitSeconds(-3)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
  });

  it('says how urgent the remaining time is', () => {
    expect(urgency(3600, 'running')).toBe('calm');
    expect(urgency(600, 'running')).toBe('soon');
    expect(urgency(120, 'running')).toBe('urgent');
    expect(urgency(0, 'running')).toBe('over');
    expect(urgency(120, 'paused')).toBe('calm');
    expect(urgency(0, 'ended')).toBe('over');
  });
});
