import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../core/config.ts';
import { migrateToLatest, openDatabase, type DbHandle } from '../core/db/index.ts';
import { iso, type Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { hashPassword } from '../core/auth/passwords.ts';
import { buildApp } from '../app.ts';
import { createBlobStore } from '../core/storage.ts';
import { EventBus } from '../core/events.ts';
import { createPgTransport } from '../core/events-pg.ts';
import type { App, AppContext } from '../core/http/types.ts';
import type { Role } from '../modules/accounts/roles.ts';

// Integration tests run the real app over real HTTP on a real database:
// SQLite in a temporary folder by default, or, when DATABASE_URL is set, a
// PostgreSQL database of their own (random name) dropped afterwards.

export type TestClock = Clock & { advance: (seconds: number) => void; set: (d: Date) => void };
export function testClock(start = new Date()): TestClock {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (s) => (now += s * 1000), set: (d) => (now = d.getTime()) };
}

export async function freshDatabase(): Promise<{ database: DbHandle; dataDir: string; databaseUrl?: string; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cybercap-test-'));
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = openDatabase({ dataDir });
    return { database, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `cybercap_test_${newId().replace(/-/g, '').slice(-16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openDatabase({ dataDir, databaseUrl: url.toString() });
  return {
    database,
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestEnv = {
  app: App;
  ctx: AppContext;
  clock: TestClock;
  baseUrl: string;
  close: () => Promise<void>;
  /** Where the app's data lives, for another app on the same data (see TestAppOptions.shareWith). */
  data: { dataDir: string; databaseUrl?: string };
};

export type TestAppOptions = {
  /**
   * Start another app — as another server process would be — on the same
   * PostgreSQL database, stored files and test clock as this one (PostgreSQL
   * only: SQLite serves one process). Close it before the one it shares with.
   */
  shareWith?: TestEnv;
  /** Carry live events between apps over PostgreSQL LISTEN/NOTIFY, as src/main.ts does (ignored on SQLite). */
  pgEvents?: boolean;
};

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestEnv> {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let clock: TestClock;
  if (options.shareWith) {
    const { dataDir, databaseUrl } = options.shareWith.data;
    if (!databaseUrl) throw new Error('startTestApp: shareWith needs PostgreSQL (DATABASE_URL)');
    // The database and files belong to the first app, which drops them.
    fresh = { database: openDatabase({ dataDir, databaseUrl }), dataDir, databaseUrl, drop: async () => {} };
    clock = options.shareWith.clock;
  } else {
    fresh = await freshDatabase();
    clock = testClock();
  }
  const config: Config = loadConfig({ NODE_ENV: 'test', DATA_DIR: fresh.dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false', ...env });
  config.databaseUrl = fresh.databaseUrl;
  await migrateToLatest(fresh.database);
  const events = new EventBus();
  if (options.pgEvents && fresh.databaseUrl) await events.useTransport(createPgTransport({ connectionString: fresh.databaseUrl }));
  const ctx: AppContext = { config, database: fresh.database, clock, storage: createBlobStore(fresh.dataDir), events };
  const app = await buildApp(ctx, { logger: false, webRoot: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    ctx,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
    data: { dataDir: fresh.dataDir, ...(fresh.databaseUrl ? { databaseUrl: fresh.databaseUrl } : {}) },
    close: async () => {
      await app.close();
      await events.close();
      await fresh.database.close();
      await fresh.drop();
    },
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeOrganisation(env: TestEnv, over: Partial<{ name: string; kind: 'police_unit' | 'partner'; countryCode: string }> = {}) {
  const now = iso(env.clock.now());
  const kind = over.kind ?? 'police_unit';
  const row = {
    id: newId(),
    name: over.name ?? `Unit ${unique()}`,
    kind,
    country_code: over.countryCode ?? 'FR',
    unit_type: kind === 'police_unit' ? 'national_cybercrime_unit' : null,
    unit_established_on: null,
    sector: kind === 'partner' ? 'banking' : null,
    status: 'active' as const,
    created_at: now,
    updated_at: now,
  };
  await env.ctx.database.db.insertInto('organisations').values(row).execute();
  return row;
}

export const testPassword = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

export async function makeUser(env: TestEnv, over: Partial<{ email: string; roles: Role[]; organisationId: string; status: 'active' | 'disabled'; displayName: string }> = {}) {
  cachedHash ??= hashPassword(testPassword);
  const organisationId = over.organisationId ?? (await makeOrganisation(env)).id;
  const now = iso(env.clock.now());
  const row = {
    id: newId(),
    organisation_id: organisationId,
    email: over.email ?? `user-${unique()}@example.org`,
    display_name: over.displayName ?? `User ${unique()}`,
    password_hash: await cachedHash,
    locale: 'en' as const,
    status: over.status ?? ('active' as const),
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled: 0,
    totp_last_step: null,
    password_changed_at: now,
    last_sign_in_at: null,
    created_at: now,
    updated_at: now,
  };
  await env.ctx.database.db.insertInto('users').values(row).execute();
  const roles = over.roles ?? ['participant'];
  await env.ctx.database.db.insertInto('user_roles').values(roles.map((role) => ({ user_id: row.id, role }))).execute();
  return { ...row, roles, password: testPassword };
}

export type Reply<T = any> = { status: number; body: T; headers: Headers };

/** A browser-like client: keeps the session cookie and sends the CSRF token on changes. */
export class TestClient {
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;
  sendCsrf = true;
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json';
    if (typeof body === 'string') h['content-type'] ??= 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && this.sendCsrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const res = await fetch(this.baseUrl + url, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie?.startsWith('cybercap_session=')) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'cybercap_session=' ? undefined : value;
    }
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (parsed && typeof parsed === 'object' && 'session' in parsed && parsed.session?.csrfToken) this.csrf = parsed.session.csrfToken;
    else if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrf = parsed.csrfToken;
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  patch = <T = any>(url: string, body?: unknown) => this.request<T>('PATCH', url, body);
  put = <T = any>(url: string, body?: unknown) => this.request<T>('PUT', url, body);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);

  async signIn(email: string, password = testPassword) {
    const res = await this.post('/api/auth/sign-in', { email, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
}

/** A signed-in client for a fresh user with these roles. */
export async function signedIn(env: TestEnv, over: Parameters<typeof makeUser>[1] = {}) {
  const user = await makeUser(env, over);
  const client = new TestClient(env.baseUrl);
  await client.signIn(user.email);
  return { user, client };
}
