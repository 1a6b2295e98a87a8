import { sql, type Kysely } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Dialect } from '../index.ts';

// Information sharing, second step: the STIX id of the indicators stored before
// this step (UUIDv5 of their id, as exported until now; newer indicators are
// `indicator--<their id>`, stored as null), so that TAXII object-by-id,
// manifest and versions find any object by its id; an index for TAXII pages;
// and the correlation notifications of each analyst.
const stixNamespace = '6f0e3c52-8f7d-5a86-9b1c-3e2d4a5b6c7d';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('sharing_indicators').addColumn('stix_id', 'text').execute();
  // Existing indicators get the id their exports already carried (UUIDv5 of "indicator:<id>").
  for (;;) {
    const rows = (await sql<{ id: string }>`select id from sharing_indicators where stix_id is null limit 1000`.execute(db)).rows;
    if (rows.length === 0) break;
    for (const r of rows) await sql`update sharing_indicators set stix_id = ${`indicator--${uuidv5(`indicator:${r.id}`, stixNamespace)}`} where id = ${r.id}`.execute(db);
  }
  await db.schema.createIndex('sharing_indicators_stix_id').on('sharing_indicators').column('stix_id').where(sql.ref('stix_id'), 'is not', null).execute();
  await db.schema.createIndex('sharing_indicators_created').on('sharing_indicators').columns(['created_at', 'id']).execute();

  // One row per analyst and pair of reports sharing a value (the report that
  // brought the value, the one that had it); read through the TLP rule again
  // at every listing, so a notification never outlives the right to see both.
  await db.schema
    .createTable('sharing_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('report_id', 'text', (c) => c.notNull().references('sharing_reports.id'))
    .addColumn('related_report_id', 'text', (c) => c.notNull().references('sharing_reports.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('sharing_notifications_pair').on('sharing_notifications').columns(['user_id', 'report_id', 'related_report_id']).unique().execute();
  await db.schema.createIndex('sharing_notifications_user').on('sharing_notifications').columns(['user_id', 'created_at']).execute();
}
