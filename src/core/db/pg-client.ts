import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './index.ts';
import type { Database } from './schema.ts';

// PostgreSQL only: what Kysely does not offer, `COPY … FROM STDIN` (several times
// cheaper for the server than the same rows as parameters), needs the raw `pg`
// client of the connection that runs the transaction. Kysely keeps its clients
// to itself, so the caller holds one connection of the pool for the whole work
// and gets both a Kysely bound to that connection alone and its raw client.

const pools = new WeakMap<Db, pg.Pool>();

/** Called once by openDatabase: the pool behind `db`, for withPgClient. */
export function registerPgPool(db: Db, pool: pg.Pool) {
  pools.set(db, pool);
}

/**
 * Runs `fn` on one connection of the pool of `db`, held until it returns: `conn` is a Kysely on that
 * connection only (its transactions included), `client` the same connection's raw client. The
 * connection then goes back to the pool, or is closed if Kysely found it unusable (a failed rollback).
 */
export async function withPgClient<T>(db: Db, fn: (conn: Db, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withPgClient: not a PostgreSQL database opened by openDatabase');
  const client = await pool.connect();
  let discard = false;
  // Kysely "acquires" and "releases" a connection around each query and transaction: here always this one, kept.
  const held = {
    query: client.query.bind(client) as pg.PoolClient['query'],
    processID: (client as pg.PoolClient & { processID?: number }).processID,
    release: (destroy?: boolean) => {
      discard ||= Boolean(destroy);
    },
  };
  const conn = new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => held, end: async () => {}, options: pool.options } }) });
  try {
    return await fn(conn, client);
  } finally {
    await conn.destroy();
    client.release(discard);
  }
}

/** One field in COPY's text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') throw new TypeError(`copyField: ${typeof value} is not a text or a number`);
  return value.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c]!);
}
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Rows of `flat` (`columns.length` values per row, one after the other) as COPY text, in pieces of about `pieceChars`. */
export function* copyLines(flat: readonly unknown[], width: number, pieceChars = 64 * 1024): Generator<string> {
  let piece = '';
  for (let at = 0; at < flat.length; at += width) {
    let line = copyField(flat[at]);
    for (let c = 1; c < width; c++) line += `\t${copyField(flat[at + c])}`;
    piece += `${line}\n`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/**
 * Writes rows into `table` with `COPY … FROM STDIN` on `client` (in its transaction, if any): `rows`, flat
 * (`columns.length` values per row, one after the other), or already in COPY's text format (UTF-8, from
 * copyLines). `table` and `columns` are trusted SQL names.
 */
export async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly unknown[] | Uint8Array): Promise<void> {
  if (rows.length === 0) return;
  const copy: Writable = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  await pipeline(rows instanceof Uint8Array ? [rows] : copyLines(rows, columns.length), copy);
}
