import type { Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Legal requests a team sends to the scenario's parties. The outcome (which
// response it matched, or a refusal) is decided when the request is sent and
// kept; the reply is delivered once the game clock reaches `due_game_second`.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('legal_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('party_key', 'text', (c) => c.notNull())
    .addColumn('request_type', 'text', (c) => c.notNull())
    .addColumn('identifiers', 'text', (c) => c.notNull())
    .addColumn('justification', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('sent_game_second', 'integer', (c) => c.notNull())
    .addColumn('due_game_second', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('response_key', 'text')
    .addColumn('reply', 'text')
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('legal_requests_team').on('legal_requests').columns(['team_id', 'sent_at']).execute();
  await db.schema.createIndex('legal_requests_exercise').on('legal_requests').columns(['exercise_id', 'sent_at']).execute();
  await db.schema.createIndex('legal_requests_undelivered').on('legal_requests').columns(['exercise_id', 'delivered_at', 'due_game_second']).execute();
}
