import type { AppContext } from '../../core/http/types.ts';
import { iso } from '../../core/clock.ts';
import { advanceExercise } from './releases.ts';

/**
 * Once a second, moves every live exercise forward (scheduled starts, timed
 * injects and releases), so that teams are notified as things happen. Several
 * processes may tick at once: every write it makes is idempotent.
 */
export function startExerciseTicker(ctx: AppContext, onError: (error: unknown) => void, everyMs = 1000): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const now = iso(ctx.clock.now());
      const live = await ctx.database.db
        .selectFrom('exercises')
        .select('id')
        .where((eb) => eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'draft'), eb('scheduled_start', '<=', now)])]))
        .execute();
      for (const { id } of live) await advanceExercise(ctx, id);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
