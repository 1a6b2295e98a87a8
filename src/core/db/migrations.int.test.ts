import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, startTestApp, type TestEnv } from '../../test/harness.ts';
import { migrateToLatest, type DbHandle } from './index.ts';

const expectedTables = ['api_tokens', 'audit_log', 'login_throttle', 'organisations', 'password_resets', 'role_policies', 'sessions', 'user_roles', 'users'];

async function tablesOf(handle: DbHandle): Promise<string[]> {
  const query =
    handle.dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`
      : sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`;
  return (await query.execute(handle.db)).rows.map((r) => r.name);
}

async function appliedMigrations(handle: DbHandle): Promise<string[]> {
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db)).rows.map((r) => r.name);
}

describe('migrations', () => {
  let empty: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    empty = await freshDatabase();
  });
  afterAll(async () => {
    await empty?.database.close();
    await empty?.drop();
  });

  it('bring an empty database to the latest schema, then do nothing the second time', async () => {
    expect(await tablesOf(empty.database)).toEqual([]);
    const applied = await migrateToLatest(empty.database);
    expect(applied[0]).toBe('0001_foundation');
    expect(applied).toEqual([...applied].sort());
    expect(await appliedMigrations(empty.database)).toEqual(applied);
    const tables = await tablesOf(empty.database);
    for (const table of [...expectedTables, 'kysely_migration', 'kysely_migration_lock']) expect(tables).toContain(table);

    expect(await migrateToLatest(empty.database)).toEqual([]);
    expect(await appliedMigrations(empty.database)).toEqual(applied);
    expect(await tablesOf(empty.database)).toEqual(tables);
  });
});

describe('the migrated test database', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestApp();
  });
  afterAll(async () => env?.close());

  it('has every table, on the engine under test', async () => {
    expect(env.ctx.database.dialect).toBe(process.env.DATABASE_URL ? 'postgres' : 'sqlite');
    const tables = await tablesOf(env.ctx.database);
    for (const table of expectedTables) expect(tables).toContain(table);
    expect(await migrateToLatest(env.ctx.database)).toEqual([]);
  });

  it('enforces unique e-mail addresses, organisation names and token hashes in the database', async () => {
    const { db } = env.ctx.database;
    const now = new Date().toISOString();
    const org = { id: 'org-1', name: 'Same Name', kind: 'partner' as const, country_code: 'FR', unit_type: null, unit_established_on: null, sector: 'it', status: 'active' as const, created_at: now, updated_at: now };
    await db.insertInto('organisations').values(org).execute();
    await expect(db.insertInto('organisations').values({ ...org, id: 'org-2' }).execute()).rejects.toThrow();
    const user = {
      id: 'user-1', organisation_id: 'org-1', email: 'same@example.org', display_name: 'Same', password_hash: 'x', locale: 'en' as const, status: 'active' as const,
      totp_secret: null, totp_pending_secret: null, totp_enabled: 0, totp_last_step: null, password_changed_at: now, last_sign_in_at: null, created_at: now, updated_at: now,
    };
    await db.insertInto('users').values(user).execute();
    await expect(db.insertInto('users').values({ ...user, id: 'user-2' }).execute()).rejects.toThrow();
    // A user must belong to an existing organisation.
    await expect(db.insertInto('users').values({ ...user, id: 'user-3', email: 'other@example.org', organisation_id: 'missing' }).execute()).rejects.toThrow();
  });
});
