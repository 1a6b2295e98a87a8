import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';
import { prepared } from './prepared.ts';

describe('prepared statements', () => {
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = new Kysely<Database>({ dialect: openSqlite(':memory:').dialect });
    await sql`create table scenario_files (scenario_id text, path text, sha256 text, size integer, media_type text)`.execute(db);
    await db
      .insertInto('scenario_files')
      .values([
        { scenario_id: 's1', path: 'a.txt', sha256: 'x', size: 1, media_type: 'text/plain' },
        { scenario_id: 's1', path: 'b.txt', sha256: 'y', size: 2, media_type: 'text/plain' },
        { scenario_id: 's2', path: 'a.txt', sha256: 'z', size: 3, media_type: 'text/plain' },
      ])
      .execute();
  });
  afterAll(async () => db.destroy());

  it('runs the statement built once with each call’s arguments, wherever they are used', async () => {
    const files = prepared((q: Kysely<Database>, scenarioId: string, minSize: number) =>
      q.selectFrom('scenario_files').select(['path', 'sha256']).where('scenario_id', '=', scenarioId).where('size', '>=', minSize).where('path', '!=', 'never').orderBy('path'),
    );
    expect(await files(db, 'sqlite', 's1', 0)).toEqual([{ path: 'a.txt', sha256: 'x' }, { path: 'b.txt', sha256: 'y' }]);
    expect(await files(db, 'sqlite', 's1', 2)).toEqual([{ path: 'b.txt', sha256: 'y' }]);
    expect(await files(db, 'sqlite', 's2', 0)).toEqual([{ path: 'a.txt', sha256: 'z' }]);
    const raw = prepared((_q: Kysely<Database>, a: string, b: string) => sql<{ n: number }>`select count(*) as n from scenario_files where path in (${a}, ${b})`);
    expect((await raw(db, 'sqlite', 'a.txt', 'b.txt'))[0]!.n).toBe(3);
    expect((await raw(db, 'sqlite', 'b.txt', 'c.txt'))[0]!.n).toBe(1);
  });

  it('refuses a query in which an argument did not become a parameter', async () => {
    const broken = prepared((q: Kysely<Database>, scenarioId: string, _unused: string) => q.selectFrom('scenario_files').select('path').where('scenario_id', '=', scenarioId));
    await expect(broken(db, 'sqlite', 's1', 'x')).rejects.toThrow(/did not come out as parameters/);
  });
});
