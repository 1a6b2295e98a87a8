import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { migrateToLatest, openDatabase, type DbHandle } from '../src/core/db/index.ts';
import type { Database } from '../src/core/db/schema.ts';
import { iso, systemClock } from '../src/core/clock.ts';
import { newId, newSecret } from '../src/core/ids.ts';
import { createBlobStore } from '../src/core/storage.ts';
import { EventBus } from '../src/core/events.ts';
import { createSession } from '../src/core/auth/sessions.ts';
import type { AuthenticatedUser } from '../src/core/auth/context.ts';
import type { AppContext } from '../src/core/http/types.ts';
import { openFolderPackage } from '../src/modules/scenarios/package-source.ts';
import { importScenario } from '../src/modules/scenarios/service.ts';
import { resolveVariables } from '../src/modules/scenarios/templates.ts';
import { evaluate, prepareCheck } from '../src/modules/scenarios/answers.ts';
import type { AnswerCheck, ScenarioDefinition } from '../src/modules/scenarios/definition.ts';
import { controlExercise, createExercise } from '../src/modules/exercises/service.ts';
import { advanceExercise } from '../src/modules/exercises/releases.ts';
import { benchObjectives, render, writePackage } from './scenario.ts';

// Builds the event in the database directly (bulk inserts in a few
// transactions), with the product's own functions where they are cheap:
// scenario import, exercise creation and start (which releases the evidence
// and objectives of every team), sessions. Then the server child opens the
// same database.

export type Member = { userId: string; cookie: string; csrf: string };
export type PreparedTeam = { id: string; values: Record<string, string>; members: Member[] };
export type Prepared = { exerciseId: string; teams: PreparedTeam[]; steps: Array<[string, number]> };

const countries = ['FR', 'SG', 'BR', 'KE', 'NG', 'IN', 'ID', 'MX', 'MA', 'EG', 'JO', 'PH', 'TH', 'VN', 'CO', 'PE', 'GH', 'SN', 'CI', 'ZA', 'AR', 'CL', 'TN', 'LB', 'MY', 'LK', 'NP', 'KH', 'RW', 'UG'];

async function chunked<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function inviteCodes(n: number): string[] {
  const seen = new Set<string>();
  while (seen.size < n) seen.add(Array.from({ length: 8 }, (_, i) => (i === 4 ? '-' : '') + alphabet[randomInt(alphabet.length)]).join(''));
  return [...seen];
}

export async function prepare(opts: { dataDir: string; databaseUrl?: string; teams: number; members: number; log: (s: string) => void }): Promise<Prepared> {
  const steps: Array<[string, number]> = [];
  let t0 = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps.push([name, now - t0]);
    t0 = now;
  };
  const database: DbHandle = openDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  try {
    await migrateToLatest(database);
    const db = database.db as Kysely<Database>;
    const config = loadConfig({ DATA_DIR: opts.dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
    config.databaseUrl = opts.databaseUrl;
    const ctx: AppContext = { config, database, clock: systemClock, storage: createBlobStore(opts.dataDir), events: new EventBus() };
    step('migrate');

    // Organisations (a few dozen countries) and users: one administrator, teams × members participants.
    const now = iso(new Date());
    const orgs = countries.map((c, i) => ({ id: newId(), name: `Cybercrime Unit ${i + 1} (${c})`, kind: 'police_unit' as const, country_code: c, unit_type: 'national_cybercrime_unit', unit_established_on: null, sector: null, status: 'active' as const, created_at: now, updated_at: now }));
    const user = (orgId: string, n: string) => ({
      id: newId(),
      organisation_id: orgId,
      email: `${n}@bench.cybercap.test`,
      display_name: `Investigator ${n}`,
      // Never used: sessions are created directly, without the Argon2 cost of signing in.
      password_hash: 'bench-no-password',
      locale: 'en' as const,
      status: 'active' as const,
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled: 0,
      totp_last_step: null,
      password_changed_at: now,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    });
    const admin = user(orgs[0]!.id, 'admin');
    const participants = Array.from({ length: opts.teams * opts.members }, (_, i) => user(orgs[i % orgs.length]!.id, `p${String(i).padStart(5, '0')}`));
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('organisations').values(orgs).execute();
      await chunked([admin, ...participants], 500, (part) => tx.insertInto('users').values(part).execute());
      await chunked([{ user_id: admin.id, role: 'administrator' }, ...participants.map((p) => ({ user_id: p.id, role: 'participant' }))], 1000, (part) => tx.insertInto('user_roles').values(part).execute());
    });
    step(`users (${participants.length + 1})`);

    // The scenario, imported as a package folder, as the CLI does.
    const packageDir = path.join(opts.dataDir, 'package');
    mkdirSync(packageDir, { recursive: true });
    writePackage(packageDir, '1.0.0');
    const source = await openFolderPackage(packageDir);
    const actor: AuthenticatedUser = { userId: admin.id, organisationId: admin.organisation_id, roles: ['administrator'], email: admin.email, displayName: admin.display_name, locale: 'en', totpEnabled: false };
    const meta = { ip: null, requestId: 'bench' };
    const { scenario } = await importScenario(ctx, source, config.scenarioLimits, actor, meta);
    await source.close();
    const definition = JSON.parse((await db.selectFrom('scenarios').select('definition').where('id', '=', scenario.id).executeTakeFirstOrThrow()).definition) as ScenarioDefinition;
    step('scenario import');

    const exercise = await createExercise(ctx, actor, { scenarioId: scenario.id, title: 'Benchmark challenge', mode: 'competition', scheduledStart: null, durationMinutes: 240, freezeMinutes: 30, teamSizeLimit: opts.members }, meta);
    const seed = (await db.selectFrom('exercises').select('seed').where('id', '=', exercise.id).executeTakeFirstOrThrow()).seed;

    // Teams with their own values (as createTeam draws them), members, sessions.
    const codes = inviteCodes(opts.teams);
    const teams = Array.from({ length: opts.teams }, (_, i) => {
      const teamSeed = newSecret(16);
      const values = resolveVariables(definition.variables, `${seed}:${teamSeed}`);
      return { id: newId(), exercise_id: exercise.id, name: `Team ${String(i + 1).padStart(4, '0')}`, captain_user_id: participants[i * opts.members]!.id, invite_code: codes[i]!, seed: teamSeed, variables: JSON.stringify(values), extra_seconds: 0, created_at: now, values };
    });
    const prepared: PreparedTeam[] = [];
    await db.transaction().execute(async (tx) => {
      await chunked(
        teams.map(({ values: _values, ...row }) => row),
        300,
        (part) => tx.insertInto('teams').values(part).execute(),
      );
      await chunked(
        participants.map((p, i) => ({ exercise_id: exercise.id, team_id: teams[Math.floor(i / opts.members)]!.id, user_id: p.id, joined_at: now })),
        1000,
        (part) => tx.insertInto('team_members').values(part).execute(),
      );
      const policy = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
      for (const [t, team] of teams.entries()) {
        const members: Member[] = [];
        for (let m = 0; m < opts.members; m++) {
          const p = participants[t * opts.members + m]!;
          const session = await createSession(tx, systemClock, policy, { userId: p.id, stage: 'active', ip: '127.0.0.1', userAgent: 'cybercap-bench' });
          members.push({ userId: p.id, cookie: `cybercap_session=${session.token}`, csrf: session.csrfToken });
        }
        prepared.push({ id: team.id, values: team.values, members });
      }
    });
    step(`teams (${teams.length}), members and sessions (${participants.length})`);

    // Start: every team is given the objectives and evidence released at the start.
    await controlExercise(ctx, actor, exercise.id, { action: 'start' }, meta);
    await advanceExercise(ctx, exercise.id);
    step('start (releases for every team)');

    // The load generator's answers must grade as intended: check them on a sample of teams.
    for (const team of prepared.slice(0, 25)) {
      for (const b of benchObjectives) {
        const check = prepareCheck(b.answer as AnswerCheck, team.values);
        const correct = evaluate(check, render(b.correct, team.values));
        if (correct.outcome !== 'correct') throw new Error(`bench scenario: the correct answer of ${b.id} grades ${correct.outcome} (${render(b.correct, team.values)})`);
        if (b.partial && evaluate(check, render(b.partial, team.values)).outcome !== 'partial') throw new Error(`bench scenario: the partial answer of ${b.id} does not grade partial`);
        for (const w of b.wrong) if (evaluate(check, render(w, team.values)).outcome === 'correct') throw new Error(`bench scenario: a wrong answer of ${b.id} grades correct`);
      }
    }
    step('answer key checked');
    return { exerciseId: exercise.id, teams: prepared, steps };
  } finally {
    await database.close();
  }
}
