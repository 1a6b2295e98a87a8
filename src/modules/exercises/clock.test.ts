import { describe, expect, it } from 'vitest';
import { endsAt, gameSeconds, phaseOf, remainingSeconds, type ClockState } from './clock.ts';

const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, 0) + s * 1000);
const base: ClockState = { status: 'running', startedAt: t(0).toISOString(), pausedAt: null, pausedSeconds: 0, extendedSeconds: 0, durationMinutes: 60, endedAt: null };

describe('exercise clock', () => {
  it('counts game time from the start and ends at the deadline', () => {
    expect(gameSeconds(base, t(600))).toBe(600);
    expect(phaseOf(base, t(600))).toBe('running');
    expect(remainingSeconds(base, t(600))).toBe(3000);
    expect(phaseOf(base, t(3600))).toBe('ended');
    expect(endsAt(base, t(600))).toBe(t(3600).toISOString());
  });

  it('stops while paused, and the deadline moves by the pause', () => {
    const paused: ClockState = { ...base, status: 'paused', pausedAt: t(600).toISOString() };
    expect(gameSeconds(paused, t(5000))).toBe(600);
    expect(phaseOf(paused, t(5000))).toBe('paused');
    expect(endsAt(paused, t(5000))).toBeNull();
    const resumed: ClockState = { ...base, pausedSeconds: 900 };
    expect(gameSeconds(resumed, t(1500))).toBe(600);
    expect(endsAt(resumed, t(1500))).toBe(t(4500).toISOString());
  });

  it('adds extensions for everyone and extra time per team', () => {
    const extended: ClockState = { ...base, extendedSeconds: 600 };
    expect(phaseOf(extended, t(3700))).toBe('running');
    expect(phaseOf(base, t(3700), 300)).toBe('running');
    expect(phaseOf(base, t(3901), 300)).toBe('ended');
  });

  it('is not started in draft and ended once ended by hand', () => {
    expect(phaseOf({ ...base, status: 'draft', startedAt: null }, t(10))).toBe('not_started');
    const ended: ClockState = { ...base, status: 'ended', endedAt: t(100).toISOString() };
    expect(phaseOf(ended, t(200))).toBe('ended');
    expect(gameSeconds(ended, t(9999))).toBe(100);
  });
});
