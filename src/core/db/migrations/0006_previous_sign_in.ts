import type { Kysely } from 'kysely';

// The sign-in before the current one, shown to users so that they notice a
// sign-in that was not theirs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('previous_sign_in_at', 'text').execute();
}
