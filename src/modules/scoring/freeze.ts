import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { ExerciseTable } from '../../core/db/schema.ts';
import { iso } from '../../core/clock.ts';
import { deadlineSeconds, gameSeconds } from '../exercises/clock.ts';
import { clockState } from '../exercises/service.ts';

// Scoreboard freeze. In the last `freeze_minutes` of a competition,
// participants see the standings as they were when the freeze began; staff see
// them live. The standings are revealed when a trainer ends the exercise.
//
// The game clock stops during pauses and moves with extensions, and no pause
// history is kept, so the wall time of the freeze is recorded once, by the first
// scoring write (or scoreboard read) that finds the game clock past it. Until
// then nothing was scored after the freeze, so any moment between the freeze
// and the first such write filters the same items.

type Exercise = Selectable<ExerciseTable>;

/** The game second at which the freeze begins, or null when the exercise has none. */
export function freezeStartGameSeconds(exercise: Exercise): number | null {
  if (exercise.mode !== 'competition' || !exercise.freeze_minutes) return null;
  return Math.max(0, deadlineSeconds(clockState(exercise)) - exercise.freeze_minutes * 60);
}

/** The wall time at which the game clock reached the freeze, once it has (else null). */
export function freezeBoundary(exercise: Exercise, now: Date): string | null {
  const start = freezeStartGameSeconds(exercise);
  if (start === null || !exercise.started_at || exercise.status === 'draft') return null;
  const clock = clockState(exercise);
  const game = gameSeconds(clock, now);
  if (game < start) return null;
  // The game clock last moved at `until` (now, or when it was paused or ended).
  const until = clock.status === 'ended' && clock.endedAt ? new Date(clock.endedAt) : clock.status === 'paused' && clock.pausedAt ? new Date(clock.pausedAt) : now;
  return iso(new Date(until.getTime() - (game - start) * 1000));
}

// A recorded freeze never moves, so each process remembers the ones it has seen.
const recorded = new Map<string, string>();

/**
 * The moment participants' standings stop at, or null when they see them live
 * (training, no freeze, before the freeze, or after the exercise ended). Call
 * it in the transaction of every scoring write, before writing.
 */
export async function freezeCutoff(db: Db | Tx, exercise: Exercise, now: Date, alreadyRead?: string | null): Promise<string | null> {
  if (exercise.status === 'ended' || freezeStartGameSeconds(exercise) === null) return null;
  const known = recorded.get(exercise.id);
  if (known) return known;
  const read = async () => (await db.selectFrom('scoreboard_freezes').select('frozen_at').where('exercise_id', '=', exercise.id).executeTakeFirst())?.frozen_at ?? null;
  // `alreadyRead`: the caller read the row in this transaction (the answer path's one query).
  const frozenAt = alreadyRead !== undefined ? alreadyRead : await read();
  if (frozenAt) {
    recorded.set(exercise.id, frozenAt);
    return frozenAt;
  }
  const boundary = freezeBoundary(exercise, now);
  if (!boundary) return null;
  // Several processes may see it at once: the insert decides. Not remembered
  // yet: the transaction may still roll back.
  await db.insertInto('scoreboard_freezes').values({ exercise_id: exercise.id, frozen_at: boundary }).onConflict((oc) => oc.column('exercise_id').doNothing()).execute();
  return (await read()) ?? boundary;
}
