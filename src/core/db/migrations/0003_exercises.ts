import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Digital Security Challenge engine, part 2: exercises, teams, releases,
// injects, submissions and scoring, hints, adjustments and chain of custody.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('exercises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_start', 'text')
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('paused_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extended_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ended_at', 'text')
    .addColumn('freeze_minutes', 'integer')
    .addColumn('team_size_limit', 'integer', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('exercise_staff')
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exercise_staff_pk', ['exercise_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('captain_user_id', 'text')
    .addColumn('invite_code', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    // The team's values of the scenario's variables, drawn once and kept, so
    // that a later change of the generators cannot change a running game.
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('extra_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_exercise_name').on('teams').columns(['exercise_id', 'name']).unique().execute();
  await db.schema.createIndex('teams_invite_code').on('teams').column('invite_code').unique().execute();

  await db.schema
    .createTable('team_members')
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    // A user is in at most one team per exercise.
    .addPrimaryKeyConstraint('team_members_pk', ['exercise_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_team').on('team_members').column('team_id').execute();

  await db.schema
    .createTable('team_releases')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_releases_pk', ['team_id', 'kind', 'item_key'])
    .execute();

  await db.schema
    .createTable('team_evidence')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('evidence_key', 'text', (c) => c.notNull())
    // The team's own variant of a templated item (or the shared file): what it acquires and cites.
    .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_evidence_pk', ['team_id', 'evidence_key'])
    .execute();

  await db.schema
    .createTable('fired_injects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('inject_key', 'text', (c) => c.notNull())
    // '*' when fired for every team.
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addColumn('fired_by', 'text')
    .execute();
  await db.schema.createIndex('fired_injects_once').on('fired_injects').columns(['exercise_id', 'inject_key', 'team_id']).unique().execute();

  await db.schema
    .createTable('announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('announcements_exercise').on('announcements').columns(['exercise_id', 'created_at']).execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('objective_key', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('credit_permille', 'integer', (c) => c.notNull())
    // HMAC of the submitted value: comparable across attempts, never the value in clear.
    .addColumn('answer_digest', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('submissions_team').on('submissions').columns(['team_id', 'objective_key', 'submitted_at']).execute();

  await db.schema
    .createTable('objective_scores')
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('objective_key', 'text', (c) => c.notNull())
    .addColumn('credit_permille', 'integer', (c) => c.notNull())
    .addColumn('solved_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // Exactly one score per team and objective: the insert decides.
    .addPrimaryKeyConstraint('objective_scores_pk', ['team_id', 'objective_key'])
    .execute();
  await db.schema.createIndex('objective_scores_exercise').on('objective_scores').columns(['exercise_id', 'objective_key']).execute();

  await db.schema
    .createTable('hint_unlocks')
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('hint_key', 'text', (c) => c.notNull())
    .addColumn('cost', 'integer', (c) => c.notNull())
    .addColumn('unlocked_by', 'text', (c) => c.notNull())
    .addColumn('unlocked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('hint_unlocks_pk', ['team_id', 'hint_key'])
    .execute();

  await db.schema
    .createTable('score_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('score_adjustments_team').on('score_adjustments').columns(['team_id', 'created_at']).execute();

  await db.schema
    .createTable('custody_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('evidence_key', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // One chain per exercise; the unique position refuses a forked chain.
  await db.schema.createIndex('custody_log_position').on('custody_log').columns(['exercise_id', 'position']).unique().execute();
  await db.schema.createIndex('custody_log_team').on('custody_log').columns(['team_id', 'occurred_at']).execute();

  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER custody_log_no_${op.toLowerCase()} BEFORE ${op} ON custody_log BEGIN SELECT RAISE(ABORT, 'custody_log is append-only'); END`).execute(db);
    }
  } else {
    await sql.raw(`CREATE FUNCTION custody_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'custody_log is append-only'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER custody_log_append_only BEFORE UPDATE OR DELETE ON custody_log FOR EACH ROW EXECUTE FUNCTION custody_log_append_only()`).execute(db);
  }
}
