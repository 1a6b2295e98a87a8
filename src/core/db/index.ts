import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { openSqlite } from './sqlite.ts';
import { registerPgPool } from './pg-client.ts';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_scenarios.ts';
import * as m0003 from './migrations/0003_exercises.ts';
import * as m0004 from './migrations/0004_scoring.ts';
import * as m0005 from './migrations/0005_evidence.ts';
import * as m0006 from './migrations/0006_previous_sign_in.ts';
import * as m0007 from './migrations/0007_partners.ts';
import * as m0008 from './migrations/0008_sharing.ts';
import * as m0009 from './migrations/0009_hot_path_indexes.ts';
import * as m0010 from './migrations/0010_case_files.ts';
import * as m0011 from './migrations/0011_legal_requests.ts';
import * as m0012 from './migrations/0012_advice.ts';
import * as m0013 from './migrations/0013_partner_resources.ts';
import * as m0014 from './migrations/0014_sharing_streams.ts';
import * as m0015 from './migrations/0015_solve_count_index.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbHandle = { db: Db; dialect: Dialect; close: () => Promise<void> };

// Migrations are listed here in order; each receives the dialect so that the
// rare engine-specific statement (triggers) can differ while tables stay shared.
type VersionedMigration = { up: (db: Kysely<unknown>, dialect: Dialect) => Promise<void> };
const migrations: Record<string, VersionedMigration> = {
  '0001_foundation': m0001,
  '0002_scenarios': m0002,
  '0003_exercises': m0003,
  '0004_scoring': m0004,
  '0005_evidence': m0005,
  '0006_previous_sign_in': m0006,
  '0007_partners': m0007,
  '0008_sharing': m0008,
  '0009_hot_path_indexes': m0009,
  '0010_case_files': m0010,
  '0011_legal_requests': m0011,
  '0012_advice': m0012,
  '0013_partner_resources': m0013,
  '0014_sharing_streams': m0014,
  '0015_solve_count_index': m0015,
};

// int8 (bigint, count(*)) arrives as a string from pg; sizes and counts here stay
// far below 2^53, so they are read as numbers on both engines alike.
pg.types.setTypeParser(20, (value) => Number(value));

export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; sqliteFile?: string }): DbHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection can die under the pool (server restart, failover,
    // pg_terminate_backend). Without a listener, node-postgres re-emits that as
    // an unhandled 'error' event, which ends the process; the pool has already
    // dropped the connection and opens a new one on the next query.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    registerPgPool(db, pool);
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? path.join(opts.dataDir, 'cybercap.sqlite');
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const { dialect } = openSqlite(file);
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

export async function migrateToLatest(handle: DbHandle): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(migrations).map(([name, mig]): [string, Migration] => [
          name,
          { up: (db) => mig.up(db, handle.dialect) },
        ]),
      ),
  };
  const migrator = new Migrator({ db: handle.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
