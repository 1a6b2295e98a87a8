import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Information sharing: reports with their TLP 2.0 marking and named recipients,
// indicators (normalised values, optional stricter TLP), the value dictionary
// used for correlation (no table of pairs), sightings, and the append-only,
// hash-chained sharing log with its head row.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sharing_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('crime_type', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('reporter_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reporter_organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sharing_reports_tlp').on('sharing_reports').columns(['tlp', 'created_at']).execute();
  await db.schema.createIndex('sharing_reports_reporter').on('sharing_reports').columns(['reporter_organisation_id', 'created_at']).execute();

  await db.schema
    .createTable('sharing_report_recipients')
    .addColumn('report_id', 'text', (c) => c.notNull().references('sharing_reports.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('sharing_report_recipients_pk', ['report_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('sharing_report_recipients_organisation').on('sharing_report_recipients').columns(['organisation_id', 'report_id']).execute();

  // The value dictionary: one row per normalised value, with the number of
  // indicators linked to it; past the cap the value is too common to correlate.
  await db.schema
    .createTable('sharing_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('linked_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('too_common', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sharing_values_value_unique').on('sharing_values').column('value').unique().execute();

  await db.schema
    .createTable('sharing_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('sharing_reports.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('value_id', 'text', (c) => c.references('sharing_values.id'))
    .addColumn('tlp', 'text')
    .addColumn('effective_tlp', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sharing_indicators_value').on('sharing_indicators').column('value').execute();
  await db.schema.createIndex('sharing_indicators_value_id').on('sharing_indicators').column('value_id').execute();
  await db.schema.createIndex('sharing_indicators_report').on('sharing_indicators').column('report_id').execute();

  await db.schema
    .createTable('sharing_sightings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('sharing_indicators.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sharing_sightings_indicator').on('sharing_sightings').columns(['indicator_id', 'created_at']).execute();

  await db.schema
    .createTable('sharing_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text')
    .addColumn('indicator_id', 'text')
    .addColumn('reporter_organisation_id', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_organisation_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sharing_log_position_unique').on('sharing_log').column('position').unique().execute();
  await db.schema.createIndex('sharing_log_reporter').on('sharing_log').columns(['reporter_organisation_id', 'position']).execute();
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER sharing_log_no_${op.toLowerCase()} BEFORE ${op} ON sharing_log BEGIN SELECT RAISE(ABORT, 'sharing_log is append-only'); END`).execute(db);
    }
  } else {
    await sql.raw(`CREATE FUNCTION sharing_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'sharing_log is append-only'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER sharing_log_append_only BEFORE UPDATE OR DELETE ON sharing_log FOR EACH ROW EXECUTE FUNCTION sharing_log_append_only()`).execute(db);
  }

  // The head of the one sharing log: appends lock this row (PostgreSQL) and move it.
  await db.schema
    .createTable('sharing_log_heads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into sharing_log_heads (id, position, hash, updated_at) values ('sharing', 0, ${'0'.repeat(64)}, ${new Date(0).toISOString()})`.execute(db);
}
