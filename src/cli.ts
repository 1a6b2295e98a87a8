import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './core/config.ts';
import { migrateToLatest, openDatabase, type DbHandle } from './core/db/index.ts';
import { systemClock, iso } from './core/clock.ts';
import { newId, newSecret } from './core/ids.ts';
import { hashPassword } from './core/auth/passwords.ts';
import { revokeUserSessions } from './core/auth/sessions.ts';
import { recordAudit } from './modules/audit/service.ts';
import { issuePasswordReset } from './modules/accounts/password-reset.ts';
import { email, newPassword } from './modules/accounts/schemas.ts';
import { isMemberCountry } from './modules/reference/countries.ts';
import { AppError } from './core/errors.ts';
import { createBlobStore } from './core/storage.ts';
import { EventBus } from './core/events.ts';
import { openFolderPackage, openZipPackage, PackageError, type PackageSource } from './modules/scenarios/package-source.ts';
import { validatePackage } from './modules/scenarios/validate.ts';
import { importScenario } from './modules/scenarios/service.ts';
import { formatReport, verifyExercise, type RehashCache } from './modules/evidence/verify.ts';

const usage = `Cybercap command line

  npm run cli -- create-admin --email <e-mail> --name <full name> --organisation <name> [--country <ISO code>] [--password <password>]
      Creates an administrator (and the organisation, a police unit, if it does not exist).
      Without --password, prints a one-time link to choose one.
  npm run cli -- reset-password --email <e-mail> [--password <password>]
      Sets a new password (ending the user's sessions), or prints a one-time reset link.
  npm run cli -- validate-scenario <folder or .zip>
      Checks a scenario package and lists every problem with its place; imports nothing.
  npm run cli -- import-scenario <folder or .zip>
      Validates and imports a scenario package (nothing is imported when anything is wrong).
  npm run cli -- migrate
      Applies database migrations.
  npm run cli -- verify-evidence [--exercise <id>]
      Verifies the chain of custody and re-hashes every stored evidence file of one
      exercise (or of all). Exits 0 when everything is intact, 1 when anything is wrong.

The database is the one the server uses: DATA_DIR (default ./data) or DATABASE_URL.`;

class CliError extends Error {}

function parse<T extends z.ZodType>(schema: T, values: unknown): z.infer<T> {
  const result = schema.safeParse(values);
  if (!result.success) {
    throw new CliError(result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return result.data;
}

const createAdminArgs = z.strictObject({
  email,
  name: z.string().trim().min(2).max(120),
  organisation: z.string().trim().min(2).max(160),
  country: z.string().trim().toUpperCase().refine(isMemberCountry, 'not an INTERPOL member country code').default('FR'),
  password: newPassword.optional(),
});
const resetArgs = z.strictObject({ email, password: newPassword.optional() });
const verifyArgs = z.strictObject({ exercise: z.uuid('an exercise id (a UUID)').optional() });

function linkFor(url: string) {
  return url.startsWith('/') ? `http://localhost:${process.env.PORT ?? 3000}${url}` : url;
}

async function createAdmin(handle: DbHandle, args: z.infer<typeof createAdminArgs>) {
  const { db } = handle;
  const config = loadConfig();
  const hash = await hashPassword(args.password ?? newSecret());
  const now = iso(systemClock.now());
  const result = await db.transaction().execute(async (tx) => {
    if (await tx.selectFrom('users').select('id').where('email', '=', args.email).executeTakeFirst()) {
      throw new CliError(`--email: an account with ${args.email} already exists (use reset-password)`);
    }
    let org = await tx.selectFrom('organisations').select('id').where('name', '=', args.organisation).executeTakeFirst();
    if (!org) {
      org = { id: newId() };
      await tx
        .insertInto('organisations')
        .values({ id: org.id, name: args.organisation, kind: 'police_unit', country_code: args.country, unit_type: 'other', unit_established_on: null, sector: null, status: 'active', created_at: now, updated_at: now })
        .execute();
    }
    const id = newId();
    await tx
      .insertInto('users')
      .values({ id, organisation_id: org.id, email: args.email, display_name: args.name, password_hash: hash, locale: 'en', status: 'active', totp_secret: null, totp_pending_secret: null, totp_enabled: 0, totp_last_step: null, password_changed_at: now, last_sign_in_at: null, created_at: now, updated_at: now })
      .execute();
    await tx.insertInto('user_roles').values({ user_id: id, role: 'administrator' }).execute();
    await recordAudit(tx, systemClock, { action: 'user.created', outcome: 'success', actor: null, target: { type: 'user', id }, details: { via: 'cli', email: args.email, roles: ['administrator'] } });
    return args.password ? null : issuePasswordReset(tx, systemClock, config, id, id);
  });
  console.log(`Administrator ${args.email} created in "${args.organisation}".`);
  if (result) console.log(`Choose the password with this one-time link (valid until ${result.expiresAt}):\n  ${linkFor(result.url)}`);
}

async function resetPassword(handle: DbHandle, args: z.infer<typeof resetArgs>) {
  const { db } = handle;
  const config = loadConfig();
  const user = await db.selectFrom('users').select(['id', 'organisation_id']).where('email', '=', args.email).executeTakeFirst();
  if (!user) throw new CliError(`--email: no account with ${args.email}`);
  const hash = args.password ? await hashPassword(args.password) : null;
  const link = await db.transaction().execute(async (tx) => {
    const audit = { actor: null, target: { type: 'user', id: user.id }, details: { via: 'cli' } };
    if (hash) {
      const now = iso(systemClock.now());
      await tx.updateTable('users').set({ password_hash: hash, password_changed_at: now, updated_at: now }).where('id', '=', user.id).execute();
      await revokeUserSessions(tx, systemClock, user.id);
      await recordAudit(tx, systemClock, { action: 'auth.password_reset_used', outcome: 'success', ...audit });
      return null;
    }
    const reset = await issuePasswordReset(tx, systemClock, config, user.id, user.id);
    await recordAudit(tx, systemClock, { action: 'auth.password_reset_issued', outcome: 'success', ...audit });
    return reset;
  });
  if (link) console.log(`One-time reset link for ${args.email} (valid until ${link.expiresAt}):\n  ${linkFor(link.url)}`);
  else console.log(`Password of ${args.email} changed; their sessions have ended.`);
}

async function scenarioCommand(command: string, packagePath: string, config: ReturnType<typeof loadConfig>): Promise<number> {
  const limits = config.scenarioLimits;
  let source: PackageSource;
  try {
    source = (await stat(packagePath)).isDirectory() ? await openFolderPackage(packagePath, limits) : await openZipPackage(packagePath, limits);
  } catch (error) {
    if (error instanceof PackageError) throw new CliError(error.message);
    throw new CliError(`${packagePath}: cannot be read (${(error as Error).message})`);
  }
  try {
    const validation = await validatePackage(source);
    for (const w of validation.warnings) console.log(`warning  ${w.path}: ${w.message}`);
    if (!validation.ok) {
      for (const p of validation.problems) console.error(`problem  ${p.path}: ${p.message}`);
      console.error(`${validation.problems.length} problem(s): nothing imported.`);
      return 2;
    }
    const d = validation.definition;
    if (command === 'validate-scenario') {
      console.log(`Valid: ${d.id} ${d.version} (${d.objectives.length} objectives, ${d.evidence.length} evidence items).`);
      return 0;
    }
    const handle = openDatabase(config);
    try {
      await migrateToLatest(handle);
      const ctx = { config, database: handle, clock: systemClock, storage: createBlobStore(config.dataDir), events: new EventBus() };
      const { scenario } = await importScenario(ctx, source, limits, null, { ip: null, requestId: 'cli' });
      console.log(`Imported ${scenario.slug} ${scenario.version} (${scenario.objectiveCount} objectives, ${scenario.fileCount} files).`);
      return 0;
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.message);
      throw error;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof PackageError) throw new CliError(error.message);
    throw error;
  } finally {
    await source.close();
  }
}

async function verifyEvidence(handle: DbHandle, config: ReturnType<typeof loadConfig>, values: Record<string, unknown>): Promise<number> {
  const extra = Object.keys(values).filter((k) => k !== 'exercise');
  if (extra.length > 0) throw new CliError(`verify-evidence: takes only --exercise (not --${extra[0]})`);
  const args = parse(verifyArgs, values);
  const { db } = handle;
  if (args.exercise && !(await db.selectFrom('exercises').select('id').where('id', '=', args.exercise).executeTakeFirst())) {
    throw new CliError(`--exercise: no exercise ${args.exercise}`);
  }
  const ids = args.exercise ? [args.exercise] : (await db.selectFrom('exercises').select('id').orderBy('created_at').orderBy('id').execute()).map((r) => r.id);
  if (ids.length === 0) {
    console.log('No exercises: nothing to verify.');
    return 0;
  }
  const ctx = { config, database: handle, clock: systemClock, storage: createBlobStore(config.dataDir), events: new EventBus() };
  // A file shared by several exercises is re-hashed once per run.
  const cache: RehashCache = new Map();
  let broken = 0;
  for (const id of ids) {
    const report = await verifyExercise(ctx, id, cache);
    for (const line of formatReport(report)) console.log(line);
    if (!report.intact) broken += 1;
  }
  if (broken === 0) console.log(`Evidence intact: ${ids.length} exercise(s) verified.`);
  else console.error(`Evidence NOT intact: ${broken} of ${ids.length} exercise(s) with problems.`);
  return broken === 0 ? 0 : 1;
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  const commands = ['create-admin', 'reset-password', 'validate-scenario', 'import-scenario', 'migrate', 'verify-evidence'];
  if (!commands.includes(command)) {
    console.error(`Unknown command "${command}". Commands: ${commands.join(', ')}.\n\n${usage}`);
    return 2;
  }
  let handle: DbHandle | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, name: { type: 'string' }, organisation: { type: 'string' }, country: { type: 'string' }, password: { type: 'string' }, exercise: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    const takesPath = command === 'validate-scenario' || command === 'import-scenario';
    if (positionals.length > (takesPath ? 1 : 0)) throw new CliError(`Unexpected argument "${positionals[takesPath ? 1 : 0]}"`);
    const config = loadConfig();
    if (takesPath) {
      if (!positionals[0]) throw new CliError(`${command}: give the path of a scenario folder or .zip`);
      if (Object.keys(values).length > 0) throw new CliError(`${command}: takes only a path`);
      return await scenarioCommand(command, positionals[0], config);
    }
    handle = openDatabase(config);
    await migrateToLatest(handle);
    if (command === 'verify-evidence') return await verifyEvidence(handle, config, values);
    if (command === 'create-admin') await createAdmin(handle, parse(createAdminArgs, values));
    else if (command === 'reset-password') await resetPassword(handle, parse(resetArgs, values));
    else console.log('Database is up to date.');
    return 0;
  } catch (error) {
    const known = error instanceof CliError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(known ? (error as Error).message : `Failed: ${error instanceof Error ? error.message : String(error)}`);
    return known ? 2 : 1;
  } finally {
    await handle?.close();
  }
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
