import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupLostError, openSqlite, type SqliteOptions } from './sqlite.ts';

type Schema = { items: { id: number; label: string }; parents: { id: number }; children: { id: number; parent_id: number } };

describe('embedded SQLite with group commit', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Schema>;
  let stats: { groups: number; members: number };

  const open = async (options: SqliteOptions = {}) => {
    const opened = openSqlite(file, options);
    stats = opened.stats;
    db = new Kysely<Schema>({ dialect: opened.dialect });
    await sql`create table if not exists items (id integer primary key, label text not null)`.execute(db);
    await sql`create table if not exists parents (id integer primary key)`.execute(db);
    await sql`create table if not exists children (id integer primary key, parent_id integer not null references parents (id) deferrable initially deferred)`.execute(db);
  };
  /** What another connection (another process, or the disk after a crash of this one) sees. */
  const committedLabels = () => {
    const other = new DatabaseSync(file);
    try {
      return (other.prepare('select label from items order by id').all() as Array<{ label: string }>).map((r) => r.label);
    } finally {
      other.close();
    }
  };
  const insert = (id: number, label: string) => db.transaction().execute(async (tx) => {
    await tx.insertInto('items').values({ id, label }).execute();
    return label;
  });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cybercap-sqlite-'));
    file = path.join(dir, 'test.sqlite');
    await open();
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fsyncs every commit (synchronous=FULL) unless told NORMAL', async () => {
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(rows[0]!.synchronous).toBe(2);
    await db.destroy();
    await open({ synchronous: 'normal' });
    const normal = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(normal.rows[0]!.synchronous).toBe(1);
  });

  it('runs a write outside a transaction in a group too, and a read alone in none', async () => {
    const before = { ...stats };
    await db.insertInto('items').values({ id: 10, label: 'plain' }).execute();
    expect(stats.groups - before.groups).toBe(1);
    expect(committedLabels()).toEqual(['plain']);
    await db.selectFrom('items').selectAll().execute();
    expect(stats.groups - before.groups).toBe(1);
  });

  it('commits the transactions that arrive together once, in arrival order, and answers each after that commit', async () => {
    const before = { ...stats };
    const seen: string[][] = [];
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insert(i + 1, `t${i + 1}`).then((label) => {
          // Acknowledged: another connection already sees it.
          seen.push(committedLabels());
          return label;
        }),
      ),
    );
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => `t${i + 1}`));
    expect(stats.groups - before.groups).toBe(1);
    expect(stats.members - before.members).toBe(20);
    for (const labels of seen) expect(labels).toHaveLength(20);
    // Each transaction saw the ones before it (they share one SQLite transaction, in order).
    const counts = await Promise.all(Array.from({ length: 5 }, () => db.transaction().execute(async (tx) => {
      const n = (await tx.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      await tx.insertInto('items').values({ id: 100 + Number(n), label: `after ${n}` }).execute();
      return Number(n);
    })));
    expect(counts).toEqual([20, 21, 22, 23, 24]);
  });

  it('rolls back a failed transaction alone: the others of its group commit', async () => {
    const results = await Promise.allSettled([
      insert(1, 'a'),
      db.transaction().execute(async (tx) => {
        await tx.insertInto('items').values({ id: 2, label: 'b' }).execute();
        throw new Error('refused');
      }),
      insert(1, 'duplicate'),
      insert(3, 'c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused');
    expect(String((results[2] as PromiseRejectedResult).reason.message)).toMatch(/UNIQUE/);
    expect(committedLabels()).toEqual(['a', 'c']);
  });

  it('fails every transaction of a group whose commit fails, and keeps nothing of it', async () => {
    await insert(1, 'before');
    const results = await Promise.allSettled([
      insert(2, 'in the group'),
      // A deferred foreign key is checked at the commit of the group.
      db.transaction().execute(async (tx) => {
        await tx.insertInto('children').values({ id: 1, parent_id: 42 }).execute();
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(GroupLostError);
    expect(committedLabels()).toEqual(['before']);
    // The next transactions work again.
    await insert(3, 'after');
    expect(committedLabels()).toEqual(['before', 'after']);
  });

  it('answers a plain query that ran in a group after the group committed', async () => {
    let plainDone = false;
    const tx = insert(1, 'a');
    const plain = db.insertInto('items').values({ id: 2, label: 'plain' }).execute().then(() => {
      plainDone = true;
      return committedLabels();
    });
    await tx;
    expect(await plain).toEqual(['a', 'plain']);
    expect(plainDone).toBe(true);
  });
});
