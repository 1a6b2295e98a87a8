import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Public-private partnerships: applications from the public "Become a partner"
// form and their append-only history, agreements with partner organisations
// (with the data-sharing settings the information-sharing step relies on), and
// secondments of experts, and the secret that signs the form's fill-time tokens.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('partner_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_name', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_applications_status').on('partner_applications').columns(['status', 'received_at']).execute();

  await db.schema
    .createTable('partner_application_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('partner_applications.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text')
    .addColumn('author_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('author_email', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  // The history of an application (its notes and moves) is append-only.
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER partner_application_events_no_${op.toLowerCase()} BEFORE ${op} ON partner_application_events BEGIN SELECT RAISE(ABORT, 'partner_application_events is append-only'); END`).execute(db);
    }
  } else {
    await sql.raw(`CREATE FUNCTION partner_application_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'partner_application_events is append-only'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER partner_application_events_append_only BEFORE UPDATE OR DELETE ON partner_application_events FOR EACH ROW EXECUTE FUNCTION partner_application_events_append_only()`).execute(db);
  }
  await db.schema.createIndex('partner_application_events_application').on('partner_application_events').columns(['application_id', 'occurred_at']).execute();

  await db.schema
    .createTable('partner_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('data_categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('max_tlp', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_agreements_reference_unique').on('partner_agreements').column('reference').unique().execute();
  await db.schema.createIndex('partner_agreements_organisation').on('partner_agreements').columns(['organisation_id', 'kind', 'status']).execute();
  await db.schema.createIndex('partner_agreements_ends_on').on('partner_agreements').column('ends_on').execute();

  // Scope of a data-sharing agreement: police organisations and/or INTERPOL
  // regions whose units may receive the partner's data (one row each).
  await db.schema
    .createTable('partner_agreement_scopes')
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('partner_agreements.id'))
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_agreement_scopes_pk', ['agreement_id', 'scope_type', 'scope_value'])
    .execute();
  await db.schema.createIndex('partner_agreement_scopes_value').on('partner_agreement_scopes').columns(['scope_type', 'scope_value']).execute();

  // An expert sent by a partner organisation to work with a police unit for a while.
  await db.schema
    .createTable('partner_secondments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('agreement_id', 'text', (c) => c.references('partner_agreements.id'))
    .addColumn('host_organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('expert_name', 'text', (c) => c.notNull())
    .addColumn('expert_email', 'text')
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('objectives', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_secondments_organisation').on('partner_secondments').columns(['organisation_id', 'starts_on']).execute();
}
