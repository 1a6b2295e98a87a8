import type { Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Scoring: the moment each competition's scoreboard froze for participants, and
// an index for the per-exercise reads of submissions (trainer board, rebuild of
// the in-memory scoreboard).
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('scoreboard_freezes')
    .addColumn('exercise_id', 'text', (c) => c.primaryKey().references('exercises.id').onDelete('cascade'))
    // Wall time at which the game clock reached the freeze; participants see
    // what was scored before it. Set once (the insert decides), never moved.
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('submissions_exercise').on('submissions').columns(['exercise_id', 'team_id', 'objective_key']).execute();
}
