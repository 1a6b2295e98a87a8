import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepare, type Prepared, type PreparedTeam } from './prepare.ts';
import { benchObjectives, render } from './scenario.ts';
import { summarizeProfile } from './profile.ts';

// A Digital Security Challenge under load, measured: `npm run bench:challenge`
// (see bench/README.md). 1,000 teams of 4 on a 30-objective scenario submit a
// mix of correct, partial and wrong answers over keep-alive HTTP while 2,000
// participants' scoreboard streams are open; then the scoreboard is read. The
// server runs in a child process (bench/server.ts), the streams in another
// (bench/streams.ts); this process prepares the database and generates the
// load. Prints figures beside the targets; asserts nothing.

const benchDir = import.meta.dirname;

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '20' },
    teams: { type: 'string', default: '1000' },
    members: { type: 'string', default: '4' },
    streams: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '128' },
    rate: { type: 'string', default: '0' },
    'answer-limit': { type: 'string', default: '60/10' },
    'sqlite-sync': { type: 'string', default: 'full' },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'reads-during-load': { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
    'sql-stats': { type: 'boolean', default: false },
    'wait-quiet': { type: 'string', default: '0' },
    'follow-events': { type: 'boolean', default: false },
    // As `npm start` runs the server (package.json, "serve").
    'server-flags': { type: 'string', default: '--max-old-space-size=256' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench:challenge -- [options]
  --engine sqlite|postgres|both   default both (postgres is skipped when it does not answer)
  --duration <s>                  measured answering time per engine, default 20
  --teams <n> --members <n>       default 1000 × 4
  --streams <n>                   open scoreboard streams, default 2000 (0: none)
  --concurrency <n>               answers in flight, default 128 (closed loop: each sent when one returns)
  --rate <n/s>                    open loop instead: answers sent at this fixed rate whatever the server
                                  does, latency counted from when each was due (e.g. --rate 3000), over
                                  at most --concurrency + 32 connections
  --answer-limit <max>/<seconds>  per-team answer rate limit given to the server, default 60/10
  --sqlite-sync full|normal       SQLite synchronous setting, default full (as shipped: the WAL is
                                  fsynced at each group commit); normal: no fsync at commit (not durable)
  --reads-during-load <n/s>       scoreboard reads per second while answering, default 4
  --pg-url <url>                  PostgreSQL admin URL, default postgres://postgres@127.0.0.1:5432/postgres
  --profile                       CPU profiles of the server child while answering and while reading
                                  the scoreboard (bench/profiles/), with a summary
  --sql-stats                     count and time every SQL statement while answering (Kysely query log)
  --follow-events                 each stream's client reads the scoreboard again after each scoreboard
                                  event, as the participants' page does (heavy: the re-read storm)
  --server-flags "<flags>"        Node flags for the server child, default "--max-old-space-size=256" as
                                  \`npm start\` runs it ("" for none)
  --wait-quiet <s>                before each engine, wait up to <s> seconds for the machine to be under
                                  20 % busy (other work on a shared machine skews every figure), default 0`);
  process.exit(0);
}

const opt = {
  engines: args.engine === 'both' ? (['sqlite', 'postgres'] as const) : args.engine === 'sqlite' || args.engine === 'postgres' ? ([args.engine] as const) : null,
  duration: Number(args.duration),
  teams: Number(args.teams),
  members: Number(args.members),
  streams: Number(args.streams),
  concurrency: Number(args.concurrency),
  rate: Number(args.rate),
  limit: /^(\d+)\/(\d+)$/.exec(args['answer-limit'] ?? ''),
  sqliteSync: args['sqlite-sync'],
  pgUrl: args['pg-url']!,
  readsPerSecond: Number(args['reads-during-load']),
  profile: args.profile ?? false,
  sqlStats: args['sql-stats'] ?? false,
  waitQuiet: Number(args['wait-quiet']),
  followEvents: args['follow-events'] ?? false,
  serverFlags: (args['server-flags'] ?? '').split(/\s+/).filter(Boolean),
};
if (!opt.engines) throw new Error('--engine must be sqlite, postgres or both');
if (!opt.limit) throw new Error('--answer-limit must look like 60/10 (answers per team per window of seconds)');
if (opt.sqliteSync !== 'normal' && opt.sqliteSync !== 'full') throw new Error('--sqlite-sync must be full or normal');
for (const [k, v] of Object.entries({ duration: opt.duration, teams: opt.teams, members: opt.members, streams: opt.streams, concurrency: opt.concurrency, 'reads-during-load': opt.readsPerSecond, rate: opt.rate })) {
  if (!Number.isFinite(v) || v < 0 || (k !== 'streams' && k !== 'reads-during-load' && k !== 'rate' && v <= 0)) throw new Error(`--${k} must be a positive number`);
}
const loadLabel = opt.rate ? `open loop: ${opt.rate.toLocaleString('en')} answers/s offered` : `closed loop: ${opt.concurrency} in flight`;
const limitMax = Number(opt.limit[1]);
const limitWindow = Number(opt.limit[2]);

// ---------------------------------------------------------------------------
// Clean-up, even on failure or Ctrl-C: child processes, temporary folders, the PostgreSQL database.

const cleanups: Array<{ name: string; run: () => unknown }> = [];
function onCleanup(name: string, run: () => unknown) {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
    await run();
  };
}
async function cleanupAll() {
  while (cleanups.length > 0) {
    const { name, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.error(`clean-up of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
let interrupted = false;
// Requests and queries cut short by the clean-up fail: that is expected once interrupted.
process.on('unhandledRejection', (error) => {
  if (interrupted) return;
  console.error('unexpected failure:', error);
  interrupted = true;
  void cleanupAll().finally(() => process.exit(1));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------
// Small helpers.

const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');
const pct = (part: number, whole: number) => (whole > 0 ? `${fmt((100 * part) / whole)} %` : '–');

function quantiles(values: number[]): { p50: number; p95: number; p99: number; max: number; n: number } {
  if (values.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN, n: 0 };
  const s = Float64Array.from(values).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]!, n: s.length };
}

type Reply = { status: number; text: string; ms: number; serverMs: number | null; endedAt: number };

function request(agent: http.Agent, port: number, method: 'GET' | 'POST', urlPath: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve) => {
    const started = performance.now();
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const done = performance.now();
        const timing = /dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: done - started, serverMs: timing ? Number(timing[1]) : null, endedAt: performance.timeOrigin + done });
      });
      res.on('error', (error) => resolve({ status: 0, text: String(error), ms: performance.now() - started, serverMs: null, endedAt: wall() }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, text: String(error), ms: performance.now() - started, serverMs: null, endedAt: wall() }));
    req.end(body);
  });
}

// /proc readers: resident memory and CPU time of a process, busy time of the machine.
function procStatus(pid: number): { rssKb: number; hwmKb: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return { rssKb: NaN, hwmKb: NaN };
  }
}
/** The processes the server started (its live-events process). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}
const ticksPerSecond = 100;
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}
/** CPU seconds of every PostgreSQL server process on this machine (read-only look at /proc). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
function machineBusy(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

// IPC with the children: request/answer by id.
let askSeq = 0;
function ask<T>(child: ChildProcess, message: Record<string, unknown>, type: string, timeoutMs = 60_000): Promise<T> {
  const id = ++askSeq;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', on);
      reject(new Error(`no ${type} answer from child within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (m: { type: string; id?: number }) => {
      if (m.type === type && m.id === id) {
        clearTimeout(timer);
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.send({ ...message, id });
  });
}
function waitFor<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before ${type}`));
    child.once('exit', onExit);
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off('message', on);
      child.off('exit', onExit);
      resolve(m as T);
    };
    child.on('message', on);
  });
}
async function stopChild(child: ChildProcess, graceful: Record<string, unknown> | null, waitMs = 8000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    if (graceful && child.connected) child.send(graceful);
    else child.kill('SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), waitMs);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------
// The teams' play: which objective to answer next, and how.

type TeamState = {
  team: PreparedTeam;
  released: Set<string>;
  solved: Set<string>;
  partialDone: Set<string>;
  attempts: Map<string, number>;
  gone: Set<string>;
  busy: boolean;
  nextMember: number;
};
const objectiveById = new Map(benchObjectives.map((b) => [b.id, b]));
const releasedByInject: Record<string, string[]> = { o03: ['o28', 'o29'], o07: ['o30'] };

function teamState(team: PreparedTeam): TeamState {
  return { team, released: new Set(benchObjectives.filter((b) => !b.release).map((b) => b.id)), solved: new Set(), partialDone: new Set(), attempts: new Map(), gone: new Set(), busy: false, nextMember: 0 };
}
function available(s: TeamState): string[] {
  const out: string[] = [];
  for (const id of s.released) {
    if (s.solved.has(id) || s.gone.has(id)) continue;
    const b = objectiveById.get(id)!;
    if (b.maxAttempts && (s.attempts.get(id) ?? 0) >= b.maxAttempts) continue;
    if (b.requires && !b.requires.every((r) => s.solved.has(r))) continue;
    out.push(id);
  }
  return out;
}
const shares = { correct: 0.3, partial: 0.15 };
function chooseAnswer(s: TeamState, id: string): { answer: string; intent: 'correct' | 'partial' | 'wrong' } {
  const b = objectiveById.get(id)!;
  const r = Math.random();
  if (r < shares.correct) return { answer: render(b.correct, s.team.values), intent: 'correct' };
  if (r < shares.correct + shares.partial && b.partial && !s.partialDone.has(id)) return { answer: render(b.partial, s.team.values), intent: 'partial' };
  return { answer: render(b.wrong[Math.floor(Math.random() * b.wrong.length)]!, s.team.values), intent: 'wrong' };
}

type AnswerStats = {
  latencies: number[];
  serverMs: number[];
  status: Map<string, number>;
  perSecond: number[];
  solves: Array<{ key: string; ackAt: number }>;
  started: number;
  ended: number;
  /** Open loop: answers sent more than 1 ms after they were due (the load generator fell behind). */
  late: number;
};

/**
 * Answers for `seconds`. Closed loop (`rate` null): `concurrency` answers in flight, each sent when
 * the previous one returns — the throughput at saturation. Open loop (`rate`): answers are sent at
 * a fixed rate whatever the server does, and each latency counts from the moment its answer was
 * due (so a server that falls behind is not flattered by sending less: no coordinated omission).
 */
async function answerLoad(port: number, exerciseId: string, states: TeamState[], seconds: number, concurrency: number, agent: http.Agent, record: boolean, rate: number | null = null): Promise<AnswerStats> {
  const stats: AnswerStats = { latencies: [], serverMs: [], status: new Map(), perSecond: [], solves: [], started: performance.now(), ended: 0, late: 0 };
  const endAt = stats.started + seconds * 1000;
  let cursor = Math.floor(Math.random() * states.length);
  const count = (k: string) => stats.status.set(k, (stats.status.get(k) ?? 0) + 1);
  const pick = (): { s: TeamState; id: string } | null => {
    // Round robin over the teams, so that every team answers at the same pace (total rate / teams).
    for (let tries = 0; tries < states.length; tries++) {
      cursor = (cursor + 1) % states.length;
      const s = states[cursor]!;
      if (s.busy) continue;
      const open = available(s);
      if (open.length === 0) continue;
      return { s, id: open[Math.floor(Math.random() * open.length)]! };
    }
    return null;
  };
  const one = async ({ s, id }: { s: TeamState; id: string }, dueAt: number | null) => {
    s.busy = true;
    const member = s.team.members[s.nextMember++ % s.team.members.length]!;
    const { answer, intent } = chooseAnswer(s, id);
    const reply = await request(agent, port, 'POST', `/api/exercises/${exerciseId}/objectives/${id}/answers`, { cookie: member.cookie, 'x-csrf-token': member.csrf }, JSON.stringify({ answer }));
    s.busy = false;
    s.attempts.set(id, (s.attempts.get(id) ?? 0) + 1);
    if (record) {
      stats.latencies.push(dueAt === null ? reply.ms : performance.now() - dueAt);
      if (reply.serverMs !== null) stats.serverMs.push(reply.serverMs);
      const second = Math.floor((performance.now() - stats.started) / 1000);
      stats.perSecond[second] = (stats.perSecond[second] ?? 0) + 1;
    }
    if (reply.status === 200) {
      const body = JSON.parse(reply.text) as { outcome: string; solved: boolean };
      if (record) count(body.outcome);
      if (body.outcome === 'partial') s.partialDone.add(id);
      if (body.solved) {
        s.solved.add(id);
        for (const r of releasedByInject[id] ?? []) s.released.add(r);
        if (record) stats.solves.push({ key: `${s.team.id}|${id}`, ackAt: reply.endedAt });
      } else if (intent === 'correct' && record) count('correct-not-solved');
    } else {
      let reason = '';
      try {
        reason = (JSON.parse(reply.text) as { error?: { details?: { reason?: string } } }).error?.details?.reason ?? '';
      } catch {
        // not JSON
      }
      if (record) count(reply.status === 429 ? 'refused' : `${reply.status}${reason ? ` ${reason}` : ''}`);
      if (reply.status === 409 && reason === 'solved') s.solved.add(id);
      else if (reply.status === 409 || reply.status === 404) s.gone.add(id);
      if (reply.status === 0 || reply.status >= 500) {
        if (record && (stats.status.get('error-sample') ?? 0) === 0) console.error(`  answer failed: ${reply.status} ${reply.text.slice(0, 300)}`);
        if (record) stats.status.set('error-sample', 1);
      }
    }
  };
  if (rate === null) {
    const worker = async () => {
      while (performance.now() < endAt && !interrupted) {
        const next = pick();
        if (!next) {
          await sleep(2);
          continue;
        }
        await one(next, null);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } else {
    // Every millisecond, send what has come due; an answer whose team is busy waits for it (its latency runs).
    const interval = 1000 / rate;
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    while (!interrupted) {
      const now = performance.now();
      if (now >= endAt) break;
      while (stats.started + sent * interval <= now) {
        const next = pick();
        if (!next) break;
        const dueAt = stats.started + sent * interval;
        if (now - dueAt > 1) stats.late += 1;
        sent += 1;
        const p = one(next, dueAt).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await sleep(1);
    }
    await Promise.all(inFlight);
  }
  stats.ended = performance.now();
  stats.status.delete('error-sample');
  return stats;
}

type ReadStats = { clientMs: number[]; serverMs: number[]; bytes: number; count: number; seconds: number; failures: number };

/** Scoreboard reads by participants: `concurrency` loops, each waiting `pauseMs` between reads. */
async function readLoad(port: number, exerciseId: string, states: TeamState[], seconds: number, concurrency: number, pauseMs: number, agent: http.Agent): Promise<ReadStats> {
  const stats: ReadStats = { clientMs: [], serverMs: [], bytes: 0, count: 0, seconds: 0, failures: 0 };
  const started = performance.now();
  const endAt = started + seconds * 1000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < endAt && !interrupted) {
      const s = states[n++ % states.length]!;
      const member = s.team.members[0]!;
      const reply = await request(agent, port, 'GET', `/api/exercises/${exerciseId}/scoreboard`, { cookie: member.cookie });
      if (reply.status !== 200) {
        stats.failures += 1;
        if (stats.failures === 1) console.error(`  scoreboard read failed: ${reply.status} ${reply.text.slice(0, 200)}`);
      } else {
        stats.count += 1;
        stats.bytes += reply.text.length;
        stats.clientMs.push(reply.ms);
        if (reply.serverMs !== null) stats.serverMs.push(reply.serverMs);
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

// ---------------------------------------------------------------------------
// One engine, end to end.

type SqlStat = { text: string; n: number; ms: number };

type EngineResult = {
  engine: 'sqlite' | 'postgres';
  label: string;
  durability: string[];
  prepSteps: Array<[string, number]>;
  streamsOpen: number;
  streamsOpenMs: number;
  answers: AnswerStats;
  readsDuringLoad: ReadStats;
  readsQuiet: ReadStats;
  readsConcurrent: ReadStats;
  delivery: { all: ReturnType<typeof quantiles>; first: ReturnType<typeof quantiles>; undelivered: number; unmatched: number; drainMs: number; backlogAtEnd: number; events: number; mb: number; followReads?: { done: number; failed: number; mb: number; q: ReturnType<typeof quantiles>; seconds: number } | null };
  memory: { peakRssMb: number; relayPeakRssMb: number; maxSampledTotalMb: number; maxSampledRssMb: number; atListenMb: number; streamsOpenMb: number; beforeMb: number; answersMb: number; readsMb: number; peakHeapMb: number; peakExternalMb: number };
  anatomy: Array<{ name: string; ms: number | null; note?: string }>;
  busyBefore: number;
  pgActivity: Array<{ k: string; avg: number }>;
  live: { perSecond: number; notify: ReturnType<typeof quantiles> };
  cpu: { server: number; relay: number; streams: number; bench: number; postgres: number; machine: number; seconds: number };
  profiles: string[];
  sql: SqlStat[];
  /** SQLite group commit while answering: commits, and transactions they carried. */
  groups: { groups: number; members: number } | null;
};

async function createPgDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `cybercap_bench_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function pgDurability(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query<{ name: string; setting: string }>(`select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'commit_delay', 'server_version') order by name`)).rows;
    const s = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    return [
      `PostgreSQL ${s.server_version} with its defaults: fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, wal_sync_method=${s.wal_sync_method}, full_page_writes=${s.full_page_writes}, commit_delay=${s.commit_delay}.`,
      s.fsync === 'on' && s.synchronous_commit === 'on'
        ? 'Every commit waits for its WAL record to be flushed to disk (fdatasync) before the answer is acknowledged: an acknowledged answer survives a power loss.'
        : 'WARNING: commits are not flushed before they are acknowledged on this server: a power loss can lose acknowledged answers.',
    ];
  } finally {
    await c.end();
  }
}

function sqliteDurability(sync: string): string[] {
  return sync === 'full'
    ? [
        'Embedded SQLite as shipped (src/core/db/sqlite.ts): WAL journal, synchronous=FULL, group commit. The transactions that arrive together share one',
        'SQLite transaction (each in a savepoint) and one commit, whose fsync of the WAL precedes every answer of the group: an acknowledged answer survives a power loss.',
      ]
    : [
        'Embedded SQLite, WAL journal, synchronous=NORMAL (bench override), group commit. A commit is written to the WAL (the OS page cache) but not fsynced;',
        'the WAL is fsynced only at checkpoints (about every 1,000 pages). A crash of the process loses nothing, but a power loss or an OS crash can roll back',
        'the transactions committed since the last checkpoint: answers already acknowledged (and solves already shown on the scoreboard) may disappear;',
        'the database stays consistent. So "every accepted submission durable before acknowledged" does NOT hold with this override.',
      ];
}

async function runEngine(engine: 'sqlite' | 'postgres'): Promise<EngineResult | null> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cybercap-bench-'));
  const removeDir = onCleanup(`temporary folder ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  let dropDb: (() => Promise<void>) | null = null;
  let databaseUrl: string | undefined;
  const children: ChildProcess[] = [];
  // Registered after the database's clean-up, so that on Ctrl-C the children stop before it is dropped.
  let stopChildren = async () => {};
  try {
    if (engine === 'postgres') {
      const created = await createPgDatabase(opt.pgUrl);
      if (!created) {
        console.log(`\nPostgreSQL does not answer at ${opt.pgUrl.replace(/\/\/[^@]*@/, '//')}: skipped.`);
        return null;
      }
      databaseUrl = created.url;
      dropDb = onCleanup(`PostgreSQL database ${new URL(created.url).pathname.slice(1)}`, created.drop);
    }
    stopChildren = onCleanup(`child processes of the ${engine} run`, async () => {
      await Promise.all(children.map((c) => stopChild(c, null, 3000)));
    });
    const label = engine === 'sqlite' ? `embedded SQLite (WAL, synchronous=${opt.sqliteSync.toUpperCase()}, group commit)` : 'PostgreSQL';
    console.log(`\n== ${label}: preparing ${int(opt.teams)} teams × ${opt.members}…`);
    const prepared: Prepared = await prepare({ dataDir, databaseUrl, teams: opt.teams, members: opt.members, log: (s) => console.log(s) });
    console.log(`   ${prepared.steps.map(([n, ms]) => `${n} ${fmt(ms / 1000, 1)} s`).join(', ')}`);
    const durability = engine === 'postgres' ? await pgDurability(databaseUrl!) : sqliteDurability(opt.sqliteSync);

    // How busy the machine is before the run (other work on it skews every figure).
    const busyOverASecond = async () => {
      const m0 = machineBusy();
      await sleep(1000);
      const m1 = machineBusy();
      return (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total);
    };
    let busyBefore = await busyOverASecond();
    const waitUntil = performance.now() + opt.waitQuiet * 1000;
    while (busyBefore > 0.2 && performance.now() < waitUntil && !interrupted) busyBefore = await busyOverASecond();

    // The server.
    const profileDir = opt.profile ? path.join(benchDir, 'profiles', `${engine}-${new Date().toISOString().replace(/[:.]/g, '-')}`) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const server = fork(path.join(benchDir, 'server.ts'), [], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl ?? '',
        BENCH_EXERCISE_ID: prepared.exerciseId,
        BENCH_SQLITE_SYNC: opt.sqliteSync,
        ANSWER_RATE_LIMIT: String(limitMax),
        ANSWER_RATE_WINDOW_SECONDS: String(limitWindow),
        BENCH_PROFILE_DIR: profileDir ?? '',
        BENCH_SQL_STATS: opt.sqlStats ? '1' : '0',
      },
      // --expose-gc only lets the bench measure the live heap (a full GC) once the load is over.
      execArgv: ['--expose-gc', ...opt.serverFlags],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(server);
    const { port, pid } = await waitFor<{ port: number; pid: number }>(server, 'listening', 60_000);
    // Open loop too: at most this many connections (answers beyond wait for one, their latency running); a
    // burst of new connections would overflow the server's listen backlog (SYN retried after 1, 3, 7 s).
    const sockets = opt.concurrency + 32;
    const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
    onCleanup('HTTP agent', () => agent.destroy());
    let maxRssKb = 0;
    let phaseRssKb = 0;
    // The server's live-events process (src/modules/scoring/stream-relay.ts), once streams are open.
    let relayPid: number | null = null;
    let maxTotalKb = 0;
    const sampler = setInterval(() => {
      const { rssKb } = procStatus(pid);
      const total = rssKb + (relayPid ? procStatus(relayPid).rssKb || 0 : 0);
      if (total > maxTotalKb) maxTotalKb = total;
      if (rssKb > maxRssKb) maxRssKb = rssKb;
      if (rssKb > phaseRssKb) phaseRssKb = rssKb;
    }, 200);
    onCleanup('memory sampler', () => clearInterval(sampler));

    const rssAtListenMb = procStatus(pid).rssKb / 1024;
    const states = prepared.teams.map(teamState);
    // The board is built on first use: read it once before measuring.
    await readLoad(port, prepared.exerciseId, states, 0.5, 1, 0, agent);

    // The streams.
    let streamsChild: ChildProcess | null = null;
    let opened = { ready: 0, errors: 0, ms: 0 };
    if (opt.streams > 0) {
      streamsChild = fork(path.join(benchDir, 'streams.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
      children.push(streamsChild);
      await waitFor(streamsChild, 'started', 30_000);
      const cookies = Array.from({ length: opt.streams }, (_, i) => {
        const team = prepared.teams[i % prepared.teams.length]!;
        return team.members[Math.floor(i / prepared.teams.length) % team.members.length]!.cookie;
      });
      const { version: baseline } = await ask<{ version: number }>(server, { type: 'report' }, 'report');
      streamsChild.send({ type: 'open', url: `http://127.0.0.1:${port}`, exerciseId: prepared.exerciseId, cookies, baseline, follow: opt.followEvents });
      opened = await waitFor<{ ready: number; errors: number; ms: number }>(streamsChild, 'opened', 120_000);
      console.log(`   ${int(opened.ready)} scoreboard streams open in ${fmt(opened.ms / 1000)} s${opened.errors ? ` (${opened.errors} failed)` : ''}`);
    }

    relayPid = childrenOf(pid)[0] ?? null;
    const rssStreamsOpenMb = procStatus(pid).rssKb / 1024;
    // Warm-up (not measured), then the measured answering window with a few scoreboard reads meanwhile.
    const warm = Math.min(3, Math.max(1, opt.duration * 0.1));
    await answerLoad(port, prepared.exerciseId, states, warm, opt.concurrency, agent, false);
    // Forget the warm-up's solves on the server side, and the warm-up's re-reads.
    await ask(server, { type: 'report' }, 'report');
    if (streamsChild) await ask(streamsChild, { type: 'progress', resetReads: true }, 'progress');
    const followFrom = performance.now();
    console.log(`   answering for ${opt.duration} s (${loadLabel})…`);
    const rssBeforeAnswersMb = procStatus(pid).rssKb / 1024;
    phaseRssKb = 0;
    await ask(server, { type: 'profile-start' }, 'profile-started');
    await ask(server, { type: 'sql-reset' }, 'sql-reset');
    const cpu0 = { server: cpuSeconds(pid), relay: relayPid ? cpuSeconds(relayPid) : 0, streams: streamsChild ? cpuSeconds(streamsChild.pid!) : 0, bench: process.cpuUsage(), postgres: engine === 'postgres' ? postgresCpuSeconds() : 0, machine: machineBusy(), at: performance.now() };
    // PostgreSQL: what the app's connections are doing, sampled every 100 ms (wait events, locks).
    const pgWaits = new Map<string, number>();
    let pgSamples = 0;
    let pgSampling = engine === 'postgres';
    const pgSampler = engine === 'postgres'
      ? (async () => {
          const c = new pg.Client({ connectionString: databaseUrl });
          await c.connect();
          const closeSampler = onCleanup('PostgreSQL sampler', () => c.end());
          try {
            while (pgSampling && !interrupted) {
              const rows = (await c.query<{ k: string; n: number }>(`select coalesce(a.wait_event_type || ':' || a.wait_event, 'on CPU') || ' (' || a.state || ': ' || left(regexp_replace(a.query, '\\s+', ' ', 'g'), 60) || ')' || coalesce(' ← blocked by a session (' || b.state || ') whose last statement was: ' || left(regexp_replace(b.query, '\\s+', ' ', 'g'), 60), '') as k, count(*)::int as n from pg_stat_activity a left join pg_stat_activity b on b.pid = (pg_blocking_pids(a.pid))[1] where a.datname = current_database() and a.pid <> pg_backend_pid() and a.state <> 'idle' group by 1`)).rows;
              pgSamples += 1;
              for (const r of rows) pgWaits.set(r.k, (pgWaits.get(r.k) ?? 0) + r.n);
              await sleep(100);
            }
          } finally {
            await closeSampler();
          }
        })().catch((error: unknown) => {
          // Ended by Ctrl-C (the clean-up closed its connection) or PostgreSQL went away: no samples.
          if (!interrupted) console.error(`  PostgreSQL sampler stopped: ${error instanceof Error ? error.message : String(error)}`);
        })
      : Promise.resolve();
    const readsPause = opt.readsPerSecond > 0 ? 1000 / opt.readsPerSecond : 0;
    const [answers, readsDuringLoad] = await Promise.all([
      answerLoad(port, prepared.exerciseId, states, opt.duration, opt.concurrency, agent, true, opt.rate || null),
      opt.readsPerSecond > 0 ? readLoad(port, prepared.exerciseId, states, opt.duration, 1, readsPause, agent) : Promise.resolve({ clientMs: [], serverMs: [], bytes: 0, count: 0, seconds: 0, failures: 0 }),
    ]);
    const seconds = (performance.now() - cpu0.at) / 1000;
    pgSampling = false;
    await pgSampler;
    const machine1 = machineBusy();
    const cpu = {
      server: (cpuSeconds(pid) - cpu0.server) / seconds,
      relay: relayPid ? (cpuSeconds(relayPid) - cpu0.relay) / seconds : 0,
      streams: streamsChild ? (cpuSeconds(streamsChild.pid!) - cpu0.streams) / seconds : 0,
      bench: (() => {
        const u = process.cpuUsage(cpu0.bench);
        return (u.user + u.system) / 1e6 / seconds;
      })(),
      postgres: engine === 'postgres' ? (postgresCpuSeconds() - cpu0.postgres) / seconds : 0,
      machine: (machine1.busy - cpu0.machine.busy) / Math.max(1, machine1.total - cpu0.machine.total),
      seconds,
    };
    const rssAnswersMb = phaseRssKb / 1024;
    const answersProfile = (await ask<{ file: string | null }>(server, { type: 'profile-stop', name: 'answers' }, 'profile-stopped')).file;
    const serverReport = await ask<{ version: number; solveVersions: Array<[string, number]>; sql: SqlStat[]; groups: { groups: number; members: number } | null; live: { count: number; notifyMs: number[] } }>(server, { type: 'report' }, 'report');

    // Delivery of each measured solve to every stream.
    let delivery: EngineResult['delivery'] = { all: quantiles([]), first: quantiles([]), undelivered: 0, unmatched: 0, drainMs: 0, backlogAtEnd: 0, events: 0, mb: 0, followReads: null };
    if (streamsChild) {
      const drainStart = performance.now();
      let progress = await ask<{ minLast: number }>(streamsChild, { type: 'progress' }, 'progress');
      const backlogAtEnd = serverReport.version - progress.minLast;
      while (progress.minLast < serverReport.version && performance.now() - drainStart < 30_000 && !interrupted) {
        await sleep(200);
        progress = await ask<{ minLast: number }>(streamsChild, { type: 'progress' }, 'progress');
      }
      const drainMs = performance.now() - drainStart;
      const report = await ask<{ streams: number; firstAt: number[]; lastAt: number[]; count: number[]; events: number; bytes: number; reads: { done: number; failed: number; bytes: number; ms: number[] } }>(streamsChild, { type: 'report' }, 'report', 120_000);
      const versions = new Map(serverReport.solveVersions);
      const all: number[] = [];
      const first: number[] = [];
      let undelivered = 0;
      let unmatched = 0;
      for (const solve of answers.solves) {
        const v = versions.get(solve.key);
        if (v === undefined) {
          unmatched += 1;
          continue;
        }
        if ((report.count[v] ?? 0) < report.streams) {
          undelivered += 1;
          continue;
        }
        all.push(report.lastAt[v]! - solve.ackAt);
        first.push(report.firstAt[v]! - solve.ackAt);
      }
      delivery = { all: quantiles(all), first: quantiles(first), undelivered, unmatched, drainMs, backlogAtEnd, events: report.events, mb: report.bytes / 1e6, followReads: opt.followEvents ? { done: report.reads.done, failed: report.reads.failed, mb: report.reads.bytes / 1e6, q: quantiles(report.reads.ms), seconds: (performance.now() - followFrom) / 1000 } : null };
    }

    // Scoreboard reads with no answers coming in: one at a time (server time), then 16 at a time (throughput).
    const readSeconds = Math.max(3, Math.min(10, opt.duration / 4));
    phaseRssKb = 0;
    await ask(server, { type: 'profile-start' }, 'profile-started');
    const readsQuiet = await readLoad(port, prepared.exerciseId, states, readSeconds, 1, 0, agent);
    const readsProfile = (await ask<{ file: string | null }>(server, { type: 'profile-stop', name: 'scoreboard-reads' }, 'profile-stopped')).file;
    const readsConcurrent = await readLoad(port, prepared.exerciseId, states, readSeconds, 16, 0, agent);

    const rssReadsMb = phaseRssKb / 1024;
    const anatomy = await ask<{ parts: Array<{ name: string; ms: number | null; note?: string }>; error?: string }>(server, { type: 'anatomy', userId: prepared.teams[0]!.members[0]!.userId }, 'anatomy', 120_000);
    if (anatomy.error) console.error(`  anatomy failed: ${anatomy.error}`);
    clearInterval(sampler);
    const status = procStatus(pid);
    const relayStatus = relayPid ? procStatus(relayPid) : null;
    const last = await ask<{ peak: { heapUsed: number; external: number; arrayBuffers: number } }>(server, { type: 'report' }, 'report');
    const memory = { peakRssMb: status.hwmKb / 1024, maxSampledRssMb: Math.max(maxRssKb, status.rssKb) / 1024, atListenMb: rssAtListenMb, streamsOpenMb: rssStreamsOpenMb, beforeMb: rssBeforeAnswersMb, answersMb: rssAnswersMb, readsMb: rssReadsMb, peakHeapMb: last.peak.heapUsed / 1048576, peakExternalMb: last.peak.external / 1048576, relayPeakRssMb: relayStatus ? relayStatus.hwmKb / 1024 : 0, maxSampledTotalMb: Math.max(maxTotalKb, status.rssKb + (relayStatus?.rssKb ?? 0)) / 1024 };

    if (streamsChild) await stopChild(streamsChild, { type: 'close' });
    await stopChild(server, { type: 'shutdown' }, 15_000);
    const profiles = [answersProfile, readsProfile].filter((f): f is string => f !== null);
    return {
      engine,
      label,
      durability,
      prepSteps: prepared.steps,
      streamsOpen: opened.ready,
      streamsOpenMs: opened.ms,
      answers,
      readsDuringLoad,
      readsQuiet,
      readsConcurrent,
      delivery,
      memory,
      cpu,
      profiles,
      sql: serverReport.sql,
      groups: serverReport.groups,
      live: { perSecond: serverReport.live.count / seconds, notify: quantiles(serverReport.live.notifyMs) },
      anatomy: anatomy.parts,
      busyBefore,
      pgActivity: pgSamples > 0 ? [...pgWaits].sort((a, b) => b[1] - a[1]).map(([k, n]) => ({ k, avg: n / pgSamples })) : [],
    };
  } finally {
    await stopChildren();
    if (dropDb) await dropDb();
    await removeDir();
  }
}

// ---------------------------------------------------------------------------
// Printing.

const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

function printResult(r: EngineResult) {
  const a = r.answers;
  const secs = (a.ended - a.started) / 1000;
  const total = a.latencies.length;
  const accepted = (a.status.get('correct') ?? 0) + (a.status.get('partial') ?? 0) + (a.status.get('wrong') ?? 0);
  const refused = a.status.get('refused') ?? 0;
  const q = quantiles(a.latencies);
  const qs = quantiles(a.serverMs);
  const rate = total / secs;
  const durable = r.engine === 'postgres' ? r.durability.some((l) => l.startsWith('Every commit waits')) : opt.sqliteSync === 'full';
  const perSecond = Array.from({ length: Math.ceil(secs) }, (_, i) => a.perSecond[i] ?? 0);
  const other = [...a.status.entries()].filter(([k]) => !['correct', 'partial', 'wrong', 'refused'].includes(k));

  console.log(`\n== ${r.label}: ${int(opt.teams)} teams × ${opt.members}, 30 objectives, ${int(r.streamsOpen)} open streams, ${opt.duration} s, ${loadLabel}`);
  console.log(`   Durability: ${r.durability.join('\n               ')}`);
  console.log('');
  console.log(`   answers                 ${int(rate)} /s sustained (${int(total)} in ${fmt(secs)} s${opt.rate ? `, ${int(opt.rate)} /s offered, ${int(a.late)} sent late by the load generator` : ''}); ${opt.rate ? 'latency from when due' : 'client latency'} p50 ${fmt(q.p50)} ms, p95 ${fmt(q.p95)} ms, p99 ${fmt(q.p99)} ms, max ${fmt(q.max)} ms`);
  console.log(`                           server time p50 ${fmt(qs.p50)} ms, p99 ${fmt(qs.p99)} ms; per second: min ${int(Math.min(...perSecond.slice(0, -1)))}, max ${int(Math.max(...perSecond))} [${perSecond.join(' ')}]`);
  console.log(`      target               ≥ 3,000 /s at p99 ≤ 50 ms, every accepted answer durable before acknowledged → ${mark(rate >= 3000 && q.p99 <= 50 && durable)}${rate >= 3000 ? '' : ' (rate)'}${q.p99 <= 50 ? '' : ' (p99)'}${durable ? '' : ' (durability)'}`);
  console.log(`      accepted / refused   ${pct(accepted, total)} accepted (correct ${pct(a.status.get('correct') ?? 0, total)}, partial ${pct(a.status.get('partial') ?? 0, total)}, wrong ${pct(a.status.get('wrong') ?? 0, total)}), refused by the rate limit ${pct(refused, total)}${other.length ? `; other: ${other.map(([k, v]) => `${k} ${int(v)}`).join(', ')}` : ''}`);
  console.log(`                           rate limit ${limitMax} per ${limitWindow} s per team → ceiling ${int((opt.teams * limitMax) / limitWindow)} /s for ${int(opt.teams)} teams; offered ≈ ${fmt(rate / opt.teams, 2)} /s per team (shipped default 10 per 10 s → ceiling ${int(opt.teams)} /s)`);
  const qr = quantiles(r.readsQuiet.serverMs);
  const qrc = quantiles(r.readsQuiet.clientMs);
  const qd = quantiles(r.readsDuringLoad.serverMs);
  const kb = r.readsQuiet.count ? r.readsQuiet.bytes / r.readsQuiet.count / 1024 : NaN;
  console.log(`   scoreboard (1 at a time, no answers)  ${fmt(r.readsQuiet.count / r.readsQuiet.seconds)} reads/s; server time p50 ${fmt(qr.p50)} ms, p99 ${fmt(qr.p99)} ms; client p50 ${fmt(qrc.p50)} ms, p99 ${fmt(qrc.p99)} ms; ${fmt(kb)} KiB each`);
  console.log(`   scoreboard (16 at a time)             ${fmt(r.readsConcurrent.count / r.readsConcurrent.seconds)} reads/s; server time p50 ${fmt(quantiles(r.readsConcurrent.serverMs).p50)} ms, client p99 ${fmt(quantiles(r.readsConcurrent.clientMs).p99)} ms`);
  console.log(`   scoreboard (while answering, ${opt.readsPerSecond}/s)    server time p50 ${fmt(qd.p50)} ms, p99 ${fmt(qd.p99)} ms (${int(r.readsDuringLoad.count)} reads)`);
  console.log(`      target               ≤ 5 ms server time at ${int(opt.teams)} teams → ${mark(qr.p50 <= 5)} (server time = request arrival to serialized response, Server-Timing header of bench/server.ts)`);
  const d = r.delivery;
  if (r.streamsOpen > 0) {
    console.log(`   solve → all ${int(r.streamsOpen)} streams  p50 ${fmt(d.all.p50)} ms, p95 ${fmt(d.all.p95)} ms, p99 ${fmt(d.all.p99)} ms, max ${fmt(d.all.max)} ms (${int(d.all.n)} solves); → first stream p50 ${fmt(d.first.p50)} ms, p99 ${fmt(d.first.p99)} ms`);
    console.log(`                           ${int(d.undelivered)} solves not on every stream after a ${fmt(d.drainMs / 1000)} s drain${d.unmatched ? `, ${d.unmatched} unmatched` : ''}; backlog when answering stopped: ${int(d.backlogAtEnd)} versions; ${int(d.events)} events, ${fmt(d.mb)} MB received`);
    if (d.followReads) {
      const f = d.followReads;
      console.log(`   re-reads after events    ${int(f.done / f.seconds)} scoreboard reads/s served to the stream clients (${int(f.done)} in ${fmt(f.seconds)} s, ${int(f.failed)} failed, ${fmt(f.mb / f.seconds)} MB/s); client latency p50 ${fmt(f.q.p50)} ms, p99 ${fmt(f.q.p99)} ms`);
    }
    const p99 = d.undelivered > d.all.n * 0.01 ? Infinity : d.all.p99;
    console.log(`      target               p99 ≤ 1 s → ${mark(p99 <= 1000)}`);
  }
  const m = r.memory;
  const peakTotal = m.peakRssMb + m.relayPeakRssMb;
  console.log(`   server memory           peak resident ${int(peakTotal)} MB (VmHWM: app ${int(m.peakRssMb)} MB + live-events process ${int(m.relayPeakRssMb)} MB), max sampled VmRSS ${int(m.maxSampledRssMb)} MB (app), ${int(m.maxSampledTotalMb)} MB (both); peak V8 heap used ${int(m.peakHeapMb)} MB, external ${int(m.peakExternalMb)} MB`);
  console.log(`                           resident when listening ${int(r.memory.atListenMb)} MB, with the streams open ${int(r.memory.streamsOpenMb)} MB, after the warm-up ${int(r.memory.beforeMb)} MB, max while answering ${int(r.memory.answersMb)} MB, max while reading the scoreboard ${int(r.memory.readsMb)} MB`);
  console.log(`      target               ≤ 512 MB → ${mark(peakTotal <= 512)}`);
  const cores = os.cpus().length;
  const others = r.cpu.machine * cores - r.cpu.server - r.cpu.relay - r.cpu.streams - r.cpu.bench - r.cpu.postgres;
  console.log(`   CPU while answering     server ${fmt(r.cpu.server * 100, 0)} % of a core + its live-events process ${fmt(r.cpu.relay * 100, 0)} %, streams child ${fmt(r.cpu.streams * 100, 0)} %, load generator ${fmt(r.cpu.bench * 100, 0)} %${r.engine === 'postgres' ? `, PostgreSQL ${fmt(r.cpu.postgres * 100, 0)} %` : ''}, other processes ${fmt(Math.max(0, others) * 100, 0)} %; machine ${fmt(r.cpu.machine * 100, 0)} % busy of ${cores} cores (${fmt(r.busyBefore * 100, 0)} % busy just before the run)`);
  console.log(`   live events             ${int(r.live.perSecond)} /s published on the event bus (${fmt(r.live.perSecond / rate, 1)} per answer)${r.engine === 'postgres' ? `; through PostgreSQL NOTIFY and back (one sender connection): p50 ${fmt(r.live.notify.p50)} ms, p99 ${fmt(r.live.notify.p99)} ms, max ${fmt(r.live.notify.max)} ms` : ' (delivered in-process)'}`);
  if (r.pgActivity.length > 0) {
    console.log(`   PostgreSQL sessions of the app while answering (average number busy, sampled every 100 ms; the pool has 10):`);
    const byClass = new Map<string, number>();
    for (const { k, avg } of r.pgActivity) {
      const cls = k.startsWith('Client:ClientRead') ? 'waiting for the app (Client:ClientRead)' : k.startsWith('on CPU') ? 'on CPU' : k.split(' ')[0]!.split(':')[0] === 'Lock' ? 'Lock (blocked by another transaction)' : k.split(' ')[0]!;
      byClass.set(cls, (byClass.get(cls) ?? 0) + avg);
    }
    console.log(`      in all ${fmt([...byClass.values()].reduce((a, b) => a + b, 0), 2)} busy: ${[...byClass].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${fmt(n, 2)}`).join(', ')}`);
    for (const { k, avg } of r.pgActivity.slice(0, 10)) console.log(`      ${fmt(avg, 2).padStart(6)}  ${k}`);
    for (const { k, avg } of r.pgActivity.slice(10).filter((a) => a.k.startsWith('Lock')).slice(0, 4)) console.log(`      ${fmt(avg, 2).padStart(6)}  ${k}`);
  }
  if (r.anatomy.length > 0) {
    console.log('   anatomy (no load, in the server, median of 5):');
    for (const p of r.anatomy) console.log(`      ${(p.ms === null || Number.isNaN(p.ms) ? '' : `${fmt(p.ms, 1)} ms`).padStart(11)}  ${p.name}${p.note ? ` — ${p.note}` : ''}`);
  }
  if (r.groups && r.groups.groups > 0) {
    console.log(`   group commit            ${int(r.groups.groups)} commits (fsyncs) while answering, ${fmt(r.groups.members / r.groups.groups, 1)} transactions each on average (${int(r.groups.members)} in all)`);
  }
  if (opt.sqlStats && r.sql.length > 0) {
    const totalMs = r.sql.reduce((t, e) => t + e.ms, 0);
    const totalN = r.sql.reduce((t, e) => t + e.n, 0);
    console.log(`   SQL while answering     ${int(totalN)} statements (${fmt(totalN / Math.max(1, total), 1)} per answer), ${fmt(totalMs / 1000, 2)} s in the database driver (${pct(totalMs / 1000, r.cpu.seconds)} of the window); top by time:`);
    for (const e of r.sql.slice(0, 15)) console.log(`      ${fmt(e.ms / 1000, 2).padStart(6)} s ${int(e.n).padStart(8)} × ${fmt((1000 * e.ms) / e.n, 0).padStart(6)} µs  ${e.text.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
  for (const file of r.profiles) {
    console.log(`   CPU profile of the server (${path.basename(file, '.cpuprofile')}): ${path.relative(process.cwd(), file)}`);
    for (const line of summarizeProfile(file)) console.log(`      ${line}`);
  }
}

async function main() {
  const cpus = os.cpus();
  console.log(`Cybercap challenge benchmark — ${new Date().toISOString()}`);
  console.log(`Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 1024 ** 3, 0)} GB RAM, ${os.type()} ${os.release()}; Node ${process.version}`);
  if (opt.serverFlags.length > 0) console.log(`Server child started with: ${opt.serverFlags.join(' ')}`);
  console.log(`Load: ${int(opt.teams)} teams × ${opt.members}, 30 objectives (${benchObjectives.filter((b) => /\{\{/.test(b.correct)).length} templated per team), ${int(opt.streams)} scoreboard streams, answers ~${shares.correct * 100} % correct, partial credit on the sets now and then, the rest wrong`);
  const results: EngineResult[] = [];
  try {
    for (const engine of opt.engines!) {
      if (interrupted) break;
      const r = await runEngine(engine);
      if (r) {
        results.push(r);
        printResult(r);
      }
    }
  } finally {
    await cleanupAll();
  }
  if (results.length > 1) {
    console.log('\n== Summary');
    console.log(`   ${'engine'.padEnd(42)} ${'answers/s'.padStart(10)} ${'p99 ms'.padStart(8)} ${'board ms'.padStart(9)} ${'stream p99 ms'.padStart(14)} ${'peak MB'.padStart(8)}`);
    for (const r of results) {
      const secs = (r.answers.ended - r.answers.started) / 1000;
      console.log(
        `   ${r.label.padEnd(42)} ${int(r.answers.latencies.length / secs).padStart(10)} ${fmt(quantiles(r.answers.latencies).p99).padStart(8)} ${fmt(quantiles(r.readsQuiet.serverMs).p50).padStart(9)} ${(r.delivery.undelivered > r.delivery.all.n * 0.01 ? `>${fmt(r.delivery.drainMs, 0)}` : fmt(r.delivery.all.p99, 0)).padStart(14)} ${int(r.memory.peakRssMb + r.memory.relayPeakRssMb).padStart(8)}`,
      );
    }
    console.log(`   ${'target'.padEnd(42)} ${'≥ 3,000'.padStart(10)} ${'≤ 50'.padStart(8)} ${'≤ 5'.padStart(9)} ${'≤ 1,000'.padStart(14)} ${'≤ 512'.padStart(8)}`);
  }
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await cleanupAll();
  process.exit(1);
});

