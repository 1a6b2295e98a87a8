import { describe, expect, it } from 'vitest';
import type { Selectable } from 'kysely';
import type { ExerciseTable } from '../../core/db/schema.ts';
import { freezeBoundary, freezeStartGameSeconds } from './freeze.ts';

const t0 = new Date('2026-03-01T09:00:00.000Z');
const after = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const exercise = (over: Partial<Selectable<ExerciseTable>> = {}): Selectable<ExerciseTable> => ({
  id: 'e',
  scenario_id: 's',
  title: 't',
  mode: 'competition',
  status: 'running',
  scheduled_start: null,
  duration_minutes: 60,
  started_at: t0.toISOString(),
  paused_at: null,
  paused_seconds: 0,
  extended_seconds: 0,
  ended_at: null,
  freeze_minutes: 10,
  team_size_limit: 8,
  seed: 'x',
  created_by: 'u',
  created_at: t0.toISOString(),
  updated_at: t0.toISOString(),
  ...over,
});

describe('scoreboard freeze', () => {
  it('starts freeze_minutes before the end, in game time; none in training or without freeze_minutes', () => {
    expect(freezeStartGameSeconds(exercise())).toBe(50 * 60);
    expect(freezeStartGameSeconds(exercise({ extended_seconds: 600 }))).toBe(60 * 60);
    expect(freezeStartGameSeconds(exercise({ mode: 'training' }))).toBeNull();
    expect(freezeStartGameSeconds(exercise({ freeze_minutes: null }))).toBeNull();
    expect(freezeStartGameSeconds(exercise({ freeze_minutes: 90 }))).toBe(0);
  });

  it('finds the wall time the game clock reached it, across earlier pauses and during a pause', () => {
    expect(freezeBoundary(exercise(), after(49 * 60))).toBeNull();
    expect(freezeBoundary(exercise(), after(55 * 60))).toBe(after(50 * 60).toISOString());
    // Paused for 5 minutes earlier: the freeze comes 5 minutes later on the wall clock.
    expect(freezeBoundary(exercise({ paused_seconds: 300 }), after(57 * 60))).toBe(after(55 * 60).toISOString());
    // Paused now, since minute 52 of the game.
    expect(freezeBoundary(exercise({ status: 'paused', paused_at: after(52 * 60).toISOString() }), after(80 * 60))).toBe(after(50 * 60).toISOString());
    expect(freezeBoundary(exercise({ status: 'draft', started_at: null }), after(80 * 60))).toBeNull();
  });
});
