import type { Kysely } from 'kysely';

// Indexes for the answer path, found by the challenge benchmark: the per-team
// rate limit reads a team's recent submissions by time, and a team's fired
// injects are looked up by exercise and team.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('submissions_team_time').on('submissions').columns(['team_id', 'submitted_at']).execute();
  await db.schema.createIndex('fired_injects_team').on('fired_injects').columns(['exercise_id', 'team_id', 'inject_key']).execute();
}
