import type { Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Expert guidance desk: a team's request for advice and its thread. The request
// keeps the moments the desk is measured by (raised, first staff reply, the
// team's last message) and at most one advice penalty, so that the queue and
// the statistics read one row per request.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('advice_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    // The exhibit the team attached, with the hash its locker recorded at acquisition.
    .addColumn('evidence_key', 'text')
    .addColumn('evidence_sha256', 'text')
    .addColumn('claimed_by', 'text', (c) => c.references('users.id'))
    .addColumn('claimed_at', 'text')
    .addColumn('first_reply_at', 'text')
    .addColumn('first_reply_by', 'text', (c) => c.references('users.id'))
    .addColumn('last_team_message_at', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    // Unique: a request is penalised once at most, whoever presses the button first.
    .addColumn('penalty_adjustment_id', 'text', (c) => c.unique().references('score_adjustments.id'))
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('advice_requests_queue').on('advice_requests').columns(['exercise_id', 'status', 'raised_at']).execute();
  await db.schema.createIndex('advice_requests_team').on('advice_requests').columns(['team_id', 'raised_at']).execute();

  await db.schema
    .createTable('advice_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('advice_requests.id').onDelete('cascade'))
    .addColumn('exercise_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    // 'team' and 'staff' messages are written by people; 'hint' and 'penalty' lines by the desk's actions.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('hint_key', 'text')
    .addColumn('points', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('advice_messages_request').on('advice_messages').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('advice_messages_exercise').on('advice_messages').columns(['exercise_id', 'team_id', 'created_at']).execute();
}
