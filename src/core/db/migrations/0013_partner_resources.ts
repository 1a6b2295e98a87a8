import type { Kysely } from 'kysely';

// What partnerships hold beyond the agreements themselves: the signed documents
// of an agreement, the reports of a secondment, and the tools and datasets a
// partner offers under an analysis agreement with the per-user access to them.
// Files live in the content-addressed blob store; rows only name them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner_agreement_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('partner_agreements.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_agreement_documents_agreement').on('partner_agreement_documents').columns(['agreement_id', 'uploaded_at']).execute();

  await db.schema
    .createTable('partner_secondment_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secondment_id', 'text', (c) => c.notNull().references('partner_secondments.id'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('attachment_name', 'text')
    .addColumn('attachment_media_type', 'text')
    .addColumn('attachment_size', 'integer')
    .addColumn('attachment_sha256', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_secondment_reports_secondment').on('partner_secondment_reports').columns(['secondment_id', 'period_start']).execute();

  await db.schema
    .createTable('partner_offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('partner_agreements.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('licence_terms', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_offers_organisation').on('partner_offers').columns(['organisation_id', 'status']).execute();
  await db.schema.createIndex('partner_offers_agreement').on('partner_offers').column('agreement_id').execute();

  await db.schema
    .createTable('partner_access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('partner_offers.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_access_requests_offer').on('partner_access_requests').columns(['offer_id', 'status']).execute();
  await db.schema.createIndex('partner_access_requests_user').on('partner_access_requests').columns(['user_id', 'requested_at']).execute();
}
