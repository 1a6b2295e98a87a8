import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase } from '../../test/harness.ts';
import { copyLines, copyRows, withPgClient } from './pg-client.ts';

// COPY on the raw client of a connection held for a Kysely transaction
// (PostgreSQL only: the SQLite pass has nothing to test here).
const pgOnly = process.env.DATABASE_URL ? describe : describe.skip;

const hostile = ['tab\there', 'line\nbreak', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\.', '\\', 'trailing\\', '\\t', 'é ü ß 中文 🦊', 'שלום עולם مرحبا', '\u202eevil\u202c', '', ' ', "quote ' and \" both"];

pgOnly('COPY on a held connection (PostgreSQL)', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase();
    await sql`create table copy_probe (n integer not null, t text, u text)`.execute(fresh.database.db);
  });
  afterAll(async () => {
    await fresh?.database.close();
    await fresh?.drop();
  });

  it('round-trips hostile texts and nulls exactly, flat or already encoded, inside the transaction', async () => {
    const { db } = fresh.database;
    const flat = hostile.flatMap((v, i) => [i, v, i % 3 === 0 ? null : `${v}|${i}`]);
    const encoded = new TextEncoder().encode([...copyLines(flat.map((v, k) => (k % 3 === 0 ? (v as number) + 1000 : v)), 3)].join(''));
    await withPgClient(db, (conn, client) =>
      conn.transaction().execute(async (tx) => {
        await copyRows(client, 'copy_probe', ['n', 't', 'u'], flat);
        await copyRows(client, 'copy_probe', ['n', 't', 'u'], encoded);
        // The rows are in the transaction of the Kysely on the same connection.
        expect(Number((await sql<{ n: number }>`select count(*) as n from copy_probe`.execute(tx)).rows[0]!.n)).toBe(2 * hostile.length);
      }),
    );
    const rows = (await sql<{ n: number; t: string; u: string | null }>`select n, t, u from copy_probe order by n`.execute(db)).rows;
    const expected = hostile.map((v, i) => ({ n: i, t: v, u: i % 3 === 0 ? null : `${v}|${i}` }));
    expect(rows).toEqual([...expected, ...expected.map((r) => ({ ...r, n: r.n + 1000 }))]);
  });

  it('a failing COPY rolls the transaction back and leaves the connection usable', async () => {
    const { db } = fresh.database;
    const before = Number((await sql<{ n: number }>`select count(*) as n from copy_probe`.execute(db)).rows[0]!.n);
    const failure = await withPgClient(db, (conn, client) =>
      conn.transaction().execute(async () => {
        await copyRows(client, 'copy_probe', ['n', 't', 'u'], [1, 'kept?', null]);
        await copyRows(client, 'copy_probe', ['n', 't', 'u'], ['not a number', 'x', null]);
      }),
    ).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/invalid input syntax for type integer/);
    expect(Number((await sql<{ n: number }>`select count(*) as n from copy_probe`.execute(db)).rows[0]!.n)).toBe(before);
    // The pool's connections (the one used above included) still answer.
    const answers = await Promise.all(Array.from({ length: 12 }, () => sql<{ one: number }>`select 1 as one`.execute(db)));
    expect(answers.every((a) => a.rows[0]!.one === 1)).toBe(true);
  });
});

(process.env.DATABASE_URL ? describe.skip : describe)('withPgClient on SQLite', () => {
  it('refuses a database that is not PostgreSQL', async () => {
    const fresh = await freshDatabase();
    await expect(withPgClient(fresh.database.db, async () => 1)).rejects.toThrow(/not a PostgreSQL database/);
    await fresh.database.close();
    await fresh.drop();
  });
});
