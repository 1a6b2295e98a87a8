import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type SqliteStatement,
} from 'kysely';

// The embedded database: node:sqlite (built into Node 24, no native build) behind
// Kysely, on one connection, durable and with group commit.
//
// Durability: WAL journal with synchronous=FULL, so that the WAL is fsynced at every commit
// (of a group, below) and a transaction that returned survives a power loss.
//
// Group commit: an fsync per transaction would cost ~5x the throughput, so the
// transactions that run together share one. The first transaction opens a real
// SQLite transaction (the group); it and every transaction that follows before the
// group is committed run inside it, each in a savepoint, so one that fails rolls back
// alone. The group commits at the next turn of the event loop (the requests that
// arrived together have run by then), with one fsync. Nobody hears of a transaction
// before its group committed: Kysely's `transaction().execute()` (and a plain query
// that ran inside a group) resolves only after that commit, and rejects if the commit
// fails, so an answer acknowledged to a team is on disk. Transactions stay serialised
// on the one connection, in arrival order, as before.

type SqlValue = null | number | bigint | string | Uint8Array;

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  return JSON.stringify(value);
}

/** A better-sqlite3-shaped statement over node:sqlite (statement.reader, spread parameters, booleans). */
class Statement implements SqliteStatement {
  readonly reader: boolean;
  private readonly stmt: StatementSync;
  constructor(stmt: StatementSync) {
    this.stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(...parameters.map(toSqlValue));
  }
  run(parameters: ReadonlyArray<unknown>) {
    const r = this.stmt.run(...parameters.map(toSqlValue));
    return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.stmt.iterate(...parameters.map(toSqlValue));
  }
}

/** A FIFO lock: the one connection serves one transaction (or plain query) at a time, in arrival order. */
class Lock {
  private held = false;
  private readonly queue: Array<() => void> = [];
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }
}

/** Transactions sharing one SQLite transaction and its commit. */
type Group = { done: Promise<void>; resolve: () => void; reject: (error: unknown) => void; members: number };

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Waited on by the members; a group nobody waits on must not be an unhandled rejection.
  done.catch(() => {});
  return { done, resolve, reject, members: 0 };
}

export class GroupLostError extends Error {
  constructor(cause: unknown) {
    super('The database rolled back a group of transactions', { cause });
    this.name = 'GroupLostError';
  }
}

const member = 'cybercap_member';
/** Statements that write nothing to keep (a plain write outside a transaction opens a group). */
const readOnly = /^\s*(select|pragma|explain)\b/i;
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What one use of the connection (a transaction, or plain queries) did. */
class Connection implements DatabaseConnection {
  private readonly driver: GroupCommitDriver;
  /** The group this use ran in, if any: it is answered after the group commits. */
  group: Group | null = null;
  /** Whether what this use did must be on disk before it is answered (false: its transaction rolled back). */
  committed = true;
  inTransaction = false;
  constructor(driver: GroupCommitDriver) {
    this.driver = driver;
  }
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.run(this, () => {
      const stmt = this.driver.prepare(compiledQuery.sql);
      if (stmt.reader) return { rows: stmt.all(compiledQuery.parameters) as R[] };
      const { changes, lastInsertRowid } = stmt.run(compiledQuery.parameters);
      return { insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined, numAffectedRows: changes != null ? BigInt(changes) : undefined, rows: [] };
    }, compiledQuery.sql);
  }
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    const rows = this.driver.run(this, () => this.driver.prepare(compiledQuery.sql).iterate(compiledQuery.parameters));
    for (const row of rows) yield { rows: [row as R] };
  }
}

export type SqliteOptions = {
  /** FULL (default): the WAL is fsynced at every commit (of a group). NORMAL: a power loss can take back the last commits (the benchmark's comparison). */
  synchronous?: 'full' | 'normal';
};

class GroupCommitDriver implements Driver {
  readonly raw: DatabaseSync;
  private readonly lock = new Lock();
  private readonly connection: Connection;
  private readonly cache = new Map<string, Statement>();
  private group: Group | null = null;
  private flushQueued = false;
  // Each transaction's savepoint and its release, prepared once: parsing them at every
  // transaction (exec) cost ~3 % of the answer path.
  private readonly memberStatements: { savepoint: StatementSync; release: StatementSync; rollbackTo: StatementSync };
  /** Groups committed and transactions in them, since the start (for the benchmark). */
  readonly stats = { groups: 0, members: 0 };

  constructor(raw: DatabaseSync) {
    this.raw = raw;
    this.connection = new Connection(this);
    this.memberStatements = { savepoint: raw.prepare(`savepoint ${member}`), release: raw.prepare(`release ${member}`), rollbackTo: raw.prepare(`rollback to ${member}`) };
  }

  prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = new Statement(this.raw.prepare(sql));
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    const c = this.connection;
    c.group = null;
    c.committed = true;
    c.inTransaction = false;
    return c;
  }

  /**
   * Runs a statement of `c`. A plain query (outside a transaction) joins the open group; a plain
   * write opens one if none is open (it commits with the others). A failure that ended the group
   * fails it.
   */
  run<T>(c: Connection, work: () => T, sql?: string): T {
    if (!c.inTransaction) {
      if (!this.group && sql !== undefined && !readOnly.test(sql)) this.open();
      if (this.group) c.group = this.group;
    }
    try {
      return work();
    } catch (error) {
      if (this.group && !this.raw.isTransaction) this.lose(error);
      throw error;
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as Connection;
    if (!this.group) this.open();
    const group = this.group!;
    c.group = group;
    c.committed = false;
    this.run(c, () => this.memberStatements.savepoint.run());
    c.inTransaction = true;
    group.members += 1;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as Connection;
    this.run(c, () => this.memberStatements.release.run());
    c.inTransaction = false;
    c.committed = true;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as Connection;
    c.inTransaction = false;
    c.committed = false;
    // SQLite may have rolled the whole group back already (a full disk, an I/O error): then the others fail too.
    if (!this.raw.isTransaction) {
      if (this.group) this.lose(new Error('the transaction was rolled back by SQLite'));
      return;
    }
    this.run(c, () => this.memberStatements.rollbackTo.run());
    this.run(c, () => this.memberStatements.release.run());
  }

  // Savepoints of controlled transactions, nested in the transaction's own.
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as Connection;
    const { group, committed } = c;
    c.group = null;
    this.lock.release();
    if (!group) return;
    // Answered once the group is on disk; a use whose transaction rolled back keeps its own error.
    if (committed) await group.done;
    else await group.done.catch(() => {});
  }

  private open(): void {
    // IMMEDIATE: the group writes as a rule; taking the write lock first spares a member the
    // failure of upgrading a read snapshot that another process (the CLI) wrote past meanwhile.
    this.raw.exec('begin immediate');
    this.group = newGroup();
    if (this.flushQueued) return;
    this.flushQueued = true;
    // At the next turn of the event loop: the requests read meanwhile join the group first.
    setImmediate(() => {
      void this.lock.acquire().then(() => {
        this.flushQueued = false;
        try {
          this.flush();
        } finally {
          this.lock.release();
        }
      });
    });
  }

  /** Commits the open group (the caller holds the lock): one fsync of the WAL, then its members are answered. */
  private flush(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    try {
      this.raw.exec('commit');
    } catch (error) {
      if (this.raw.isTransaction) this.raw.exec('rollback');
      group.reject(new GroupLostError(error));
      return;
    }
    this.stats.groups += 1;
    this.stats.members += group.members;
    group.resolve();
  }

  /** The group was rolled back by SQLite: every transaction in it fails. */
  private lose(cause: unknown): void {
    const group = this.group!;
    this.group = null;
    if (this.raw.isTransaction) this.raw.exec('rollback');
    group.reject(new GroupLostError(cause));
  }

  async destroy(): Promise<void> {
    await this.lock.acquire();
    try {
      this.flush();
    } finally {
      this.raw.close();
    }
  }
}

/** Kysely's SQLite dialect with this driver; one connection serialised by the driver's own lock. */
class GroupCommitDialect implements Dialect {
  private readonly driver: GroupCommitDriver;
  constructor(driver: GroupCommitDriver) {
    this.driver = driver;
  }
  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    // The driver serialises the uses of its connection itself (and must release it before a
    // group commits): Kysely's own mutex for single-connection dialects would hold it until then.
    return new (class extends SqliteAdapter {
      override get supportsMultipleConnections() {
        return true;
      }
    })();
  }
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new SqliteIntrospector(db);
  }
}

export function openSqlite(file: string, options: SqliteOptions = {}): { dialect: Dialect; raw: DatabaseSync; stats: { groups: number; members: number } } {
  const raw = new DatabaseSync(file);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  const driver = new GroupCommitDriver(raw);
  return { dialect: new GroupCommitDialect(driver), raw, stats: driver.stats };
}
