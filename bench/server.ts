import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase, type DbHandle } from '../src/core/db/index.ts';
import type { Database } from '../src/core/db/schema.ts';
import { openSqlite } from '../src/core/db/sqlite.ts';
import { systemClock } from '../src/core/clock.ts';
import { createBlobStore } from '../src/core/storage.ts';
import { EventBus, type LiveEvent } from '../src/core/events.ts';
import { createPgTransport } from '../src/core/events-pg.ts';
import { buildApp } from '../src/app.ts';
import { startExerciseTicker } from '../src/modules/exercises/ticker.ts';
import { scoreboardsOf, type Board } from '../src/modules/scoring/scoreboard.ts';
import { getScoreboard, teamsWithCountries } from '../src/modules/scoring/standings.ts';
import { scoreboard as scoreboardSchema } from '../src/modules/scoring/schemas.ts';
import { replay } from '../src/modules/scoring/rules.ts';
import { advanceExercise } from '../src/modules/exercises/releases.ts';
import { loadUser } from '../src/core/auth/sessions.ts';
import { z } from 'zod';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

// The server under test, in a process of its own (forked by bench/challenge.ts
// with an IPC channel): the real app, built and run as src/main.ts does it
// (PostgreSQL live-event transport, exercise ticker), on the database the bench
// prepared, listening on a random port of 127.0.0.1. Environment: DATA_DIR,
// DATABASE_URL (PostgreSQL; else embedded SQLite), BENCH_EXERCISE_ID,
// BENCH_SQLITE_SYNC (full: as shipped, fsync at every group commit; normal: none), and the
// app's own variables (ANSWER_RATE_LIMIT…).
//
// Instrumentation, none of it in the product's code paths:
// - a `server-timing: app;dur=<ms>` header on every response (from the
//   request's arrival to its serialized payload), so the bench reads server time;
// - for every scoring item published on the event bus, the scoreboard version
//   it produced (read right after the app applied it, synchronously), so the
//   bench can tell when a given solve reached each stream;
// - memory and CPU figures on request over IPC (peak heap sampled every 250 ms);
// - on request (`anatomy`), with no load: the time of one exercise-ticker pass
//   and of each part of a participant's scoreboard read, called directly;
// - with BENCH_PROFILE_DIR, a CPU profile of a window the bench chooses
//   (`profile-start` / `profile-stop` messages: the answering window, the
//   scoreboard reads), written there as <name>.cpuprofile.

const send = (message: unknown) => process.send?.(message);
const exerciseId = process.env.BENCH_EXERCISE_ID ?? '';

// With BENCH_SQL_STATS=1, every statement's count and time (Kysely's query log), by SQL text.
export const sqlStats = new Map<string, { n: number; ms: number }>();
const logQuery = (event: LogEvent) => {
  const text = event.query.sql;
  const entry = sqlStats.get(text) ?? { n: 0, ms: 0 };
  entry.n += 1;
  entry.ms += event.queryDurationMillis;
  sqlStats.set(text, entry);
};

/** Transactions per SQLite group commit (src/core/db/sqlite.ts), when the bench opened the database itself. */
export let groupStats: { groups: number; members: number } | null = null;

function openBenchDatabase(dataDir: string, databaseUrl: string | undefined): DbHandle {
  const sync = process.env.BENCH_SQLITE_SYNC ?? 'full';
  const stats = process.env.BENCH_SQL_STATS === '1';
  if (!stats && databaseUrl) return openDatabase({ dataDir, databaseUrl });
  // The same as openDatabase (src/core/db/index.ts), with another sync setting for the
  // durability comparison, the group-commit counters and/or the query log.
  const log = stats ? logQuery : undefined;
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const opened = openSqlite(path.join(dataDir, 'cybercap.sqlite'), { synchronous: sync === 'normal' ? 'normal' : 'full' });
  groupStats = opened.stats;
  const db = new Kysely<Database>({ dialect: opened.dialect, ...(log ? { log } : {}) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
  const database = openBenchDatabase(config.dataDir, config.databaseUrl);
  const events = new EventBus();
  const ctx = { config, database, clock: systemClock, storage: createBlobStore(config.dataDir), events };

  // Scoreboard version of each solve (full credit item), keyed `${teamId}|${objectiveKey}`.
  let board: Board | null = null;
  const solveVersions: Array<[string, number]> = [];
  const publish = events.publish.bind(events);
  // Live events published, and (PostgreSQL) how long each `answer` event for the staff channel takes
  // to come back through LISTEN/NOTIFY: one sender connection carries every event in order.
  const published = { count: 0, notifyMs: [] as number[] };
  const sentAt: number[] = [];
  const staffChannel = `staff:${exerciseId}`;
  events.subscribe(staffChannel, (event) => {
    if (event.type === 'answer' && sentAt.length > 0) published.notifyMs.push(performance.now() - sentAt.shift()!);
  });
  events.publish = (event: LiveEvent) => {
    published.count += 1;
    if (event.channel === staffChannel && event.type === 'answer') sentAt.push(performance.now());
    if (event.type === 'scored' && board) {
      const item = event.data.item as { kind: string; teamId: string; objectiveKey?: string; permille?: number };
      if (item.kind === 'credit' && (item.permille ?? 0) >= 1000) solveVersions.push([`${item.teamId}|${item.objectiveKey}`, board.version]);
    }
    publish(event);
  };

  const app = await buildApp(ctx, { logger: false, webRoot: null });
  app.addHook('onRequest', async (request) => {
    (request as unknown as { benchStart: bigint }).benchStart = process.hrtime.bigint();
  });
  app.addHook('onSend', async (request, reply) => {
    const start = (request as unknown as { benchStart?: bigint }).benchStart;
    if (start !== undefined) void reply.header('server-timing', `app;dur=${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(3)}`);
  });
  if (config.databaseUrl) {
    await events.useTransport(createPgTransport({ connectionString: config.databaseUrl, onError: (error) => console.error('[server] live events transport:', error instanceof Error ? error.message : error) }));
  }
  app.addHook('onClose', async () => events.close());
  const stopTicker = startExerciseTicker(ctx, (error) => console.error('[server] exercise ticker:', error instanceof Error ? error.message : error));
  app.addHook('onClose', async () => stopTicker());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  // Keep a reference to the exercise's in-memory board (rebuilt if the app ever drops it).
  const refresh = async () => {
    if (exerciseId) board = await scoreboardsOf(ctx).get(exerciseId);
  };
  await refresh();
  const refresher = setInterval(() => void refresh().catch(() => {}), 1000);
  refresher.unref();

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    clearInterval(refresher);
    const timeout = setTimeout(() => process.exit(0), 5000);
    timeout.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };

  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak) as Array<keyof typeof peak>) peak[k] = Math.max(peak[k], m[k]);
  }, 250);
  sampler.unref();

  const profileDir = process.env.BENCH_PROFILE_DIR;
  let session: Session | null = null;
  let groupBase = { groups: 0, members: 0 };
  process.on('message', (message: { type: string; id?: number; name?: string }) => {
    if (message.type === 'sql-reset') {
      sqlStats.clear();
      if (groupStats) groupBase = { ...groupStats };
      published.count = 0;
      published.notifyMs.length = 0;
      send({ type: 'sql-reset', id: message.id });
    } else if (message.type === 'report') {
      const usage = process.resourceUsage();
      const sql = [...sqlStats].sort((a, b) => b[1].ms - a[1].ms).map(([text, e]) => ({ text, ...e }));
      const live = { count: published.count, notifyMs: published.notifyMs.splice(0) };
      const groups = groupStats ? { groups: groupStats.groups - groupBase.groups, members: groupStats.members - groupBase.members } : null;
      send({ type: 'report', id: message.id, sql, groups, live, version: board?.version ?? 0, solveVersions: solveVersions.splice(0), memory: process.memoryUsage(), peak, maxRssKb: usage.maxRSS, cpu: process.cpuUsage() });
    } else if (message.type === 'profile-start') {
      void (async () => {
        if (profileDir && !session) {
          session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        }
        send({ type: 'profile-started', id: message.id });
      })();
    } else if (message.type === 'profile-stop') {
      void (async () => {
        let file: string | null = null;
        if (profileDir && session) {
          const { profile } = await session.post('Profiler.stop');
          session.disconnect();
          session = null;
          file = path.join(profileDir, `${message.name ?? 'window'}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
        }
        send({ type: 'profile-stopped', id: message.id, file });
      })();
    } else if (message.type === 'anatomy') {
      void anatomy((message as unknown as { userId: string }).userId).then(
        (parts) => send({ type: 'anatomy', id: message.id, parts }),
        (error: unknown) => send({ type: 'anatomy', id: message.id, parts: [], error: String(error) }),
      );
    } else if (message.type === 'shutdown') void shutdown();
  });

  /** Median time of each part, measured `runs` times in a row. */
  async function anatomy(userId: string) {
    const runs = 5;
    const parts: Array<{ name: string; ms: number; note?: string }> = [];
    // A part that fails (the module changed shape) is reported as such; the others are still measured.
    const measure = async <T>(name: string, fn: () => T | Promise<T>, note?: (r: T) => string): Promise<T | undefined> => {
      const times: number[] = [];
      let result: T | undefined;
      try {
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          result = await fn();
          times.push(performance.now() - t);
        }
      } catch (error) {
        parts.push({ name, ms: NaN, note: `failed: ${error instanceof Error ? error.message : String(error)}` });
        return undefined;
      }
      times.sort((a, b) => a - b);
      parts.push({ name, ms: times[Math.floor(runs / 2)]!, ...(note ? { note: note(result as T) } : {}) });
      return result;
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      const m = process.memoryUsage();
      parts.push({ name: 'memory: live V8 heap after a full GC (idle, streams open)', ms: NaN, note: `${Math.round(m.heapUsed / 1048576)} MB heap used, ${Math.round(m.rss / 1048576)} MB resident` });
    }
    await measure('exercise ticker: one pass (advanceExercise, every team, one transaction)', () => advanceExercise(ctx, exerciseId));
    const user = await loadUser(database.db, userId);
    if (!user) throw new Error('no such user');
    const current = await scoreboardsOf(ctx).get(exerciseId);
    await measure('scoreboard: replay of the board items (uncached: after any change)', () => replay(current.definition, current.items, null), () => `${current.items.length} items`);
    await measure('scoreboard: teamsWithCountries (teams, members × countries)', () => teamsWithCountries(database.db, exerciseId), (r) => `${r.length} teams`);
    const data = await measure('scoreboard: getScoreboard (whole handler, board unchanged since the last read)', () => getScoreboard(ctx, user, exerciseId));
    if (!data) return parts;
    const encoded = await measure('scoreboard: response validation (zod encode of the response schema)', () => z.safeEncode(scoreboardSchema, data).data);
    await measure(
      'scoreboard: JSON.stringify',
      () => JSON.stringify(encoded),
      (json) => `${Math.round(json.length / 1024)} KiB, of which series ${Math.round(JSON.stringify(data.series).length / 1024)} KiB, ranking ${Math.round(JSON.stringify(data.ranking).length / 1024)} KiB`,
    );
    return parts;
  }
  // The bench went away: do not linger.
  process.on('disconnect', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  send({ type: 'listening', port, pid: process.pid, dialect: database.dialect });
}

main().catch((error: unknown) => {
  console.error('[server] could not start:', error);
  process.exit(1);
});
