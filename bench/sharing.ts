import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/core/config.ts';
import { migrateToLatest, openDatabase } from '../src/core/db/index.ts';
import { iso, systemClock } from '../src/core/clock.ts';
import { newId } from '../src/core/ids.ts';
import { createBlobStore } from '../src/core/storage.ts';
import { EventBus } from '../src/core/events.ts';
import { createSession } from '../src/core/auth/sessions.ts';
import type { AppContext } from '../src/core/http/types.ts';
import { buildApp } from '../src/app.ts';
import { bundleFileSource, importStixBundle } from '../src/modules/sharing/stix-import.ts';
import { spoolStream } from '../src/modules/sharing/stix-routes.ts';
import { tlp2Ids, taxiiCollectionId } from '../src/modules/sharing/stix.ts';

// `npm run bench:sharing`: generates a STIX 2.1 bundle of N indicators (streamed
// to a temporary file), imports it with correlation on into a fresh database of
// each engine (a child process per engine, so that its peak memory is its own),
// and prints indicators/s, peak RSS, storage used, and the latency of a search
// by value and of a TAXII page at that size. It asserts nothing; it removes its
// temporary folder and PostgreSQL database at the end (also on failure).

const usage = `npm run bench:sharing -- [options]
  --engine sqlite|postgres|both   (both)
  --indicators <n>                indicators in the bundle (1000000)
  --reports <n>                   STIX reports they are spread over (1000)
  --searches <n>                  searches by value measured (2000)
  --pages <n>                     TAXII pages measured (200)
  --heap <MB>                     bound the V8 heap of each thread of the importing process (--max-old-space-size), to tell retained memory from garbage not yet collected
  --pg-url <url>                  (BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --keep                          keep the PostgreSQL database (its name is printed), to look at query plans
  --held <n>                      objects the reader holds to store a report as soon as it is read (20000; 0: every report at the end, as before)`;

const { values: opts } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    indicators: { type: 'string', default: '1000000' },
    reports: { type: 'string', default: '1000' },
    searches: { type: 'string', default: '2000' },
    pages: { type: 'string', default: '200' },
    heap: { type: 'string' },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    worker: { type: 'string' },
    keep: { type: 'boolean', default: false },
    held: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

// ---- The bundle: a deterministic, realistic mix ----

/** A 32-bit mix of an integer (deterministic "random"). */
function mix(n: number): number {
  let h = (n ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
const hex = (n: number, algo: 'md5' | 'sha1' | 'sha256') => createHash(algo).update(`bench-${n}`).digest('hex');

/** Value number k: [pattern path, value, our type]. Types in proportions seen in CTI feeds (IPs, domains, URLs, hashes first). */
export function valueOf(k: number): { path: string; value: string; type: string } {
  const h = mix(k);
  const kind = h % 100;
  if (kind < 28) return { path: 'ipv4-addr:value', value: `${11 + (h % 180)}.${(h >>> 8) & 255}.${(k >>> 8) & 255}.${k & 255}`, type: 'ipv4' };
  if (kind < 48) return { path: 'domain-name:value', value: `x${k.toString(36)}.evil-${h % 97}.test`, type: 'domain' };
  if (kind < 60) return { path: 'url:value', value: `http://c${(h % 5000).toString(36)}.bad-${h % 31}.test/p/${k.toString(36)}`, type: 'url' };
  if (kind < 72) return { path: "file:hashes.'SHA-256'", value: hex(k, 'sha256'), type: 'sha256' };
  if (kind < 80) return { path: 'file:hashes.MD5', value: hex(k, 'md5'), type: 'md5' };
  if (kind < 85) return { path: "file:hashes.'SHA-1'", value: hex(k, 'sha1'), type: 'sha1' };
  if (kind < 93) return { path: 'email-addr:value', value: `u${k.toString(36)}@mail${h % 1000}.test`, type: 'email' };
  if (kind < 97) return { path: 'ipv6-addr:value', value: `2001:db8:${(h & 0xffff).toString(16)}::${(k & 0xffff).toString(16)}:${((k >>> 16) & 0xffff).toString(16)}`, type: 'ipv6' };
  return { path: 'phone-number:value', value: `+3361${String(k % 10_000_000).padStart(7, '0')}`, type: 'phone' };
}

/** The value of the i-th indicator: mostly unique, 10 % from a pool of 5,000 shared values (correlations), a few over the cap or excluded. */
export function valueNumber(i: number): number {
  const h = mix(i + 0x51ed);
  if (h % 1000 === 0) return -1; // one very common value: past the correlation cap
  if (h % 997 === 1) return -2; // an excluded (benign) value
  if (h % 10 === 0) return 1_000_000_000 + (h % 5000);
  return i;
}
function indicatorValue(i: number) {
  const n = valueNumber(i);
  if (n === -1) return { path: 'domain-name:value', value: 'very-common.bad.test', type: 'domain' };
  if (n === -2) return { path: 'ipv4-addr:value', value: '8.8.8.8', type: 'ipv4' };
  return valueOf(n);
}

const crime = ['ransomware', 'phishing', 'business_email_compromise', 'cryptojacking', 'romance_scam'];

async function generate(file: string, indicators: number, reports: number) {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const identity = `identity--${crypto.randomUUID()}`;
  await write(`{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`);
  await write(JSON.stringify({ type: 'identity', spec_version: '2.1', id: identity, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'Bench CERT', identity_class: 'organization' }));
  const per = Math.ceil(indicators / reports);
  let refs: string[] = [];
  let buffer = '';
  for (let i = 0; i < indicators; i++) {
    const r = Math.floor(i / per);
    const amberReport = r % 3 === 2;
    const v = indicatorValue(i);
    const id = `indicator--${crypto.randomUUID()}`;
    refs.push(id);
    // A few indicators marked stricter than their GREEN report.
    const marking = amberReport || mix(i) % 20 === 0 ? tlp2Ids.amber : tlp2Ids.green;
    buffer += `,${JSON.stringify({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      created_by_ref: identity,
      name: v.value,
      indicator_types: ['malicious-activity'],
      pattern: `[${v.path} = '${v.value}']`,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2026-01-01T00:00:00.000Z',
      object_marking_refs: [marking],
    })}`;
    if (refs.length === per || i === indicators - 1) {
      buffer += `,${JSON.stringify({
        type: 'report',
        spec_version: '2.1',
        id: `report--${crypto.randomUUID()}`,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        created_by_ref: identity,
        name: `Campaign ${r + 1}`,
        description: 'Generated by the sharing benchmark',
        published: '2026-01-01T00:00:00.000Z',
        labels: [crime[r % crime.length]],
        confidence: 60,
        object_refs: refs,
        object_marking_refs: [amberReport ? tlp2Ids.amber : tlp2Ids.green],
      })}`;
      refs = [];
    }
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(`${buffer}]}`);
  out.end();
  await once(out, 'finish');
}

// ---- One engine, in a child process ----

type WorkerInput = { engine: 'sqlite' | 'postgres'; file: string; dir: string; databaseUrl?: string; indicators: number; searches: number; pages: number; held?: number };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const rss = () => process.resourceUsage().maxRSS * 1024;
/**
 * CPU seconds used so far by the processes named `postgres` on this machine (Linux, a server on this host:
 * the import's backend, the WAL writer, the checkpointer), or null when not measurable. Unlike the wall
 * time, it does not depend on what else runs on the machine.
 */
function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    found = true;
  }
  return found ? ticks / 100 : null; // USER_HZ
}
/** fetch, tried again once when a kept-alive connection was closed by the server during the long import. */
async function get(url: string, init: RequestInit) {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function worker(input: WorkerInput) {
  const dataDir = path.join(input.dir, input.engine);
  const database = openDatabase({ dataDir, databaseUrl: input.databaseUrl });
  await migrateToLatest(database);
  const db = database.db;
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false', STIX_IMPORT_MAX_MB: '65536' });
  config.databaseUrl = input.databaseUrl;
  const ctx: AppContext = { config, database, clock: systemClock, storage: createBlobStore(dataDir), events: new EventBus() };
  const now = iso(new Date());
  const org = (name: string, country: string) => ({ id: newId(), name, kind: 'police_unit' as const, country_code: country, unit_type: 'national_cybercrime_unit', unit_established_on: null, sector: null, status: 'active' as const, created_at: now, updated_at: now });
  const user = (organisationId: string, n: string) => ({ id: newId(), organisation_id: organisationId, email: `${n}@bench.cybercap.test`, display_name: n, password_hash: 'bench-no-password', locale: 'en' as const, status: 'active' as const, totp_secret: null, totp_pending_secret: null, totp_enabled: 0, totp_last_step: null, password_changed_at: now, last_sign_in_at: null, created_at: now, updated_at: now });
  const importerOrg = org('Cybercrime Unit (FR)', 'FR');
  const otherOrg = org('Cybercrime Unit (KE)', 'KE');
  const importer = user(importerOrg.id, 'importer');
  const analyst = user(otherOrg.id, 'analyst');
  await db.insertInto('organisations').values([importerOrg, otherOrg]).execute();
  await db.insertInto('users').values([importer, analyst]).execute();
  await db.insertInto('user_roles').values([{ user_id: importer.id, role: 'expert' }, { user_id: analyst.id, role: 'expert' }]).execute();
  const session = await db.transaction().execute((tx) => createSession(tx, systemClock, { idleMinutes: 600, maxHours: 24 }, { userId: importer.id, stage: 'active', ip: '127.0.0.1', userAgent: 'cybercap-bench' }));
  const app = await buildApp(ctx, { logger: false, webRoot: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const headers = { cookie: `cybercap_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  const tokenRes = await fetch(`${base}/api/me/tokens`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'taxii', scopes: ['read'], expiresInDays: 1 }) });
  const token = ((await tokenRes.json()) as { token: string }).token;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  // The import, as the API route does it: the body spooled to a file, then read as a stream.
  const phases: Array<[string, number, number, number | null]> = [];
  const local = input.engine === 'postgres' && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(input.databaseUrl!).hostname);
  const serverCpu = () => (local ? postgresCpuSeconds() : null);
  // PostgreSQL: the WAL the import writes (every page it changes, whole after each checkpoint).
  const walLsn = async () => (database.dialect === 'postgres' ? (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db)).rows[0]!.lsn : null);
  const wal0 = await walLsn();
  const cpu0 = process.cpuUsage();
  const server0 = serverCpu();
  let lastServer = server0;
  const t0 = performance.now();
  let last = t0;
  // Each phase's time, the server's CPU in it (PostgreSQL on this host), and the live heap after a full collection at its end (what the import retains).
  const trace = (phase: string) => {
    const t = performance.now();
    const server = serverCpu();
    global.gc?.();
    phases.push([phase, t - last, process.memoryUsage().heapUsed, server !== null && lastServer !== null ? server - lastServer : null]);
    lastServer = server;
    last = performance.now();
  };
  const spooled = await spoolStream(createReadStream(input.file), path.join(dataDir, 'tmp'), config.stixImportMaxBytes);
  trace('spool the upload to a file');
  const audit = { actor: { userId: importer.id, organisationId: importerOrg.id, roles: ['expert' as const], email: importer.email, displayName: importer.display_name, locale: 'en' as const, totpEnabled: false }, ip: '127.0.0.1', requestId: 'bench' };
  const result = await importStixBundle({ db, dialect: database.dialect, clock: systemClock }, bundleFileSource(spooled), { recipientOrganisationIds: [], crimeType: 'ransomware' }, audit, { trace, ...(input.held !== undefined ? { held: input.held } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const server1 = serverCpu();
  const walBytes = wal0 === null ? null : Number((await sql<{ bytes: string }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${wal0}::pg_lsn)::bigint as bytes`.execute(db)).rows[0]!.bytes);
  const serverCpuSeconds = server0 !== null && server1 !== null ? server1 - server0 : null;
  rmSync(spooled, { force: true });
  const peakRss = rss();

  let storage: number;
  if (database.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    const file = path.join(dataDir, 'cybercap.sqlite');
    storage = statSync(file).size;
  } else {
    storage = Number((await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(db)).rows[0]!.size);
  }
  const counts = {
    indicators: Number((await db.selectFrom('sharing_indicators').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    values: Number((await db.selectFrom('sharing_values').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    notifications: Number((await db.selectFrom('sharing_notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  };

  // Search by value, over HTTP as the web page does (exact, normalised, through the TLP rule).
  const search: number[] = [];
  let hits = 0;
  for (let s = 0; s < input.searches; s++) {
    const v = indicatorValue(mix(s * 7919) % input.indicators);
    const t = performance.now();
    const res = await get(`${base}/api/sharing/indicators?type=${v.type}&value=${encodeURIComponent(v.value)}&pageSize=25`, { headers });
    const body = (await res.json()) as { total: number };
    search.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`search: ${res.status} ${JSON.stringify(body)}`);
    hits += body.total;
  }

  // TAXII pages of 100 objects, walked with the next cursor from the start of the collection.
  const taxii: number[] = [];
  let url = `${base}/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=100`;
  for (let p = 0; p < input.pages; p++) {
    const t = performance.now();
    const res = await get(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' } });
    const body = (await res.json()) as { more: boolean; next?: string };
    taxii.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`taxii: ${res.status} ${JSON.stringify(body)}`);
    if (!body.more) break;
    url = `${base}/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=100&next=${body.next}`;
  }
  await app.close();
  await database.close();
  return {
    engine: input.engine,
    imported: result.indicators,
    reports: result.reports.length,
    seconds,
    cpuSeconds,
    serverCpuSeconds,
    walBytes,
    load: os.loadavg()[0]!,
    perSecond: result.indicators / seconds,
    rssBefore,
    peakRss,
    storage,
    counts,
    phases,
    search: { n: search.length, p50: quantile(search, 0.5), p99: quantile(search, 0.99), hits },
    taxii: { n: taxii.length, p50: quantile(taxii, 0.5), p99: quantile(taxii, 0.99) },
  };
}

// ---- The parent: generate, run each engine, print ----

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  if (opts.help) {
    console.log(usage);
    return;
  }
  if (opts.worker) {
    const out = await worker(JSON.parse(opts.worker) as WorkerInput);
    process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
    return;
  }
  const indicators = Number(opts.indicators);
  const reports = Number(opts.reports);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cybercap-bench-sharing-'));
  const engines = opts.engine === 'both' ? (['sqlite', 'postgres'] as const) : [opts.engine as 'sqlite' | 'postgres'];
  let pgDb: string | null = null;
  const pgUrl = opts['pg-url']!;
  const dropPg = async () => {
    if (pgDb) {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${pgDb} with (force)`);
      await c.end();
      pgDb = null;
    }
  };
  const cleanup = async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropPg();
  };
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    console.log(`Cybercap sharing benchmark — ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), ${mb(os.totalmem())} RAM, Node ${process.version}`);
    const file = path.join(dir, 'bundle.json');
    let t = performance.now();
    await generate(file, indicators, reports);
    console.log(`Bundle: ${indicators.toLocaleString('en')} indicators in ${reports} reports, ${mb(statSync(file).size)}, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const engine of engines) {
      let databaseUrl: string | undefined;
      if (engine === 'postgres') {
        const c = new pg.Client({ connectionString: pgUrl });
        try {
          await c.connect();
        } catch (e) {
          console.log(`\nPostgreSQL: skipped (${(e as Error).message})`);
          continue;
        }
        pgDb = `cybercap_bench_sharing_${newId().replace(/-/g, '').slice(-12)}`;
        await c.query(`create database ${pgDb}`);
        await c.end();
        const u = new URL(pgUrl);
        u.pathname = `/${pgDb}`;
        databaseUrl = u.toString();
      }
      t = performance.now();
      const input: WorkerInput = { engine, file, dir, databaseUrl, indicators, searches: Number(opts.searches), pages: Number(opts.pages), ...(opts.held !== undefined ? { held: Number(opts.held) } : {}) };
      const flags = ['--expose-gc', ...(opts.heap ? [`--max-old-space-size=${Number(opts.heap)}`] : [])];
      const child = spawn(process.execPath, [...flags, import.meta.filename, '--worker', JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) throw new Error(`${engine}: the worker failed (exit ${code})\n${out}`);
      const r = JSON.parse(line.slice(7)) as Awaited<ReturnType<typeof worker>>;
      console.log(`\n${engine === 'sqlite' ? 'Embedded SQLite' : 'PostgreSQL'}`);
      console.log(`  import            ${r.imported.toLocaleString('en')} indicators, ${r.reports} reports in ${r.seconds.toFixed(1)} s = ${Math.round(r.perSecond).toLocaleString('en')} indicators/s (target ≥ 20,000, correlation on)`);
      console.log(`                    CPU time of the importing process ${r.cpuSeconds.toFixed(1)} s (${Math.round(r.imported / r.cpuSeconds).toLocaleString('en')} indicators per CPU-second); machine load average ${r.load.toFixed(1)} on ${os.cpus().length} CPU`);
      if (r.serverCpuSeconds !== null) console.log(`                    CPU time of the PostgreSQL server (its processes on this machine) ${r.serverCpuSeconds.toFixed(1)} s`);
      if (r.walBytes !== null) console.log(`                    WAL written ${mb(r.walBytes)} (${Math.round(r.walBytes / r.imported).toLocaleString('en')} bytes per indicator)`);
      for (const [phase, d, heap, server] of r.phases) console.log(`      ${phase.padEnd(46)} ${(d / 1000).toFixed(1).padStart(6)} s   live heap ${mb(heap).padStart(7)}${server === null ? '' : `   server CPU ${server.toFixed(1).padStart(5)} s`}`);
      console.log(`  peak memory       ${mb(r.peakRss)} RSS high-water (${mb(r.rssBefore)} before the import)${opts.heap ? `, V8 heap bounded to ${opts.heap} MB` : ''}`);
      console.log(`  storage           ${mb(r.storage)} (${engine === 'sqlite' ? 'database file' : 'pg_database_size'}); ${r.counts.indicators.toLocaleString('en')} indicators, ${r.counts.values.toLocaleString('en')} values, ${r.counts.notifications} notifications`);
      console.log(`  search by value   p50 ${ms(r.search.p50)}, p99 ${ms(r.search.p99)} over ${r.search.n} searches (${r.search.hits} hits; target ≤ 10 ms)`);
      console.log(`  TAXII page (100)  p50 ${ms(r.taxii.p50)}, p99 ${ms(r.taxii.p99)} over ${r.taxii.n} pages`);
      if (engine === 'postgres') {
        if (opts.keep) {
          console.log(`  kept              ${databaseUrl}`);
          pgDb = null;
        } else await dropPg();
      }
    }
  } finally {
    await cleanup();
  }
}

await main();
