import type { AuthenticatedUser } from '../../core/auth/context.ts';
import type { Db } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { hashPassword } from '../../core/auth/passwords.ts';
import path from 'node:path';
import type { Role } from '../accounts/roles.ts';
import type { AppContext } from '../../core/http/types.ts';
import { loadUser } from '../../core/auth/sessions.ts';
import { openFolderPackage } from '../scenarios/package-source.ts';
import { importScenario } from '../scenarios/service.ts';
import { addStaff, createExercise } from '../exercises/service.ts';
import { assignMember, createTeam } from '../exercises/teams.ts';
import { seedDemoPartnerships } from '../partners/demo.ts';

export const demoPassword = 'Cybercap-demo-2026';

type DemoOrg = { key: string; name: string; kind: 'police_unit' | 'partner'; country: string; unitType?: string; established?: string; sector?: string };
const organisations: DemoOrg[] = [
  { key: 'office', name: 'Cybercap Programme Office', kind: 'police_unit', country: 'FR', unitType: 'other', established: '2014-09-30' },
  { key: 'sg', name: 'Cybercrime Command (Singapore)', kind: 'police_unit', country: 'SG', unitType: 'national_cybercrime_unit', established: '2019-03-01' },
  { key: 'br', name: 'Cyber Crime Unit, Federal Police (Brazil)', kind: 'police_unit', country: 'BR', unitType: 'national_cybercrime_unit', established: '2011-05-16' },
  { key: 'ke', name: 'Cybercrime Unit, Directorate of Criminal Investigations (Kenya)', kind: 'police_unit', country: 'KE', unitType: 'national_cybercrime_unit', established: '2021-07-12' },
  { key: 'sentinel', name: 'Sentinel Threat Labs', kind: 'partner', country: 'SG', sector: 'cybersecurity' },
  { key: 'meridian', name: 'Meridian Bank', kind: 'partner', country: 'GB', sector: 'banking' },
];

export const demoAccounts: Array<{ email: string; name: string; org: string; roles: Role[]; locale: 'en' | 'fr' | 'es' | 'ar' }> = [
  { email: 'admin@demo.cybercap.org', name: 'Amira Haddad', org: 'office', roles: ['administrator'], locale: 'en' },
  { email: 'trainer@demo.cybercap.org', name: 'Julien Moreau', org: 'office', roles: ['trainer'], locale: 'fr' },
  { email: 'expert@demo.cybercap.org', name: 'Priya Raman', org: 'sentinel', roles: ['expert'], locale: 'en' },
  { email: 'investigator.sg@demo.cybercap.org', name: 'Daniel Tan', org: 'sg', roles: ['participant'], locale: 'en' },
  { email: 'investigator.br@demo.cybercap.org', name: 'Lucía Fernández', org: 'br', roles: ['participant'], locale: 'es' },
  { email: 'analyst@demo.cybercap.org', name: 'Omar Khalil', org: 'meridian', roles: ['partner_analyst'], locale: 'ar' },
  { email: 'head.ke@demo.cybercap.org', name: 'Grace Wanjiru', org: 'ke', roles: ['working_group_member'], locale: 'en' },
];

/** Loads the demo organisations and accounts once; a second run changes nothing. */
export async function seedDemoData(db: Db, clock: Clock): Promise<boolean> {
  const existing = await db.selectFrom('users').select('id').where('email', '=', demoAccounts[0]!.email).executeTakeFirst();
  if (existing) return false;
  const hash = await hashPassword(demoPassword);
  const now = iso(clock.now());
  await db.transaction().execute(async (tx) => {
    const orgIds = new Map<string, string>();
    for (const o of organisations) {
      const found = await tx.selectFrom('organisations').select('id').where('name', '=', o.name).executeTakeFirst();
      const id = found?.id ?? newId();
      orgIds.set(o.key, id);
      if (found) continue;
      await tx
        .insertInto('organisations')
        .values({ id, name: o.name, kind: o.kind, country_code: o.country, unit_type: o.unitType ?? null, unit_established_on: o.established ?? null, sector: o.sector ?? null, status: 'active', created_at: now, updated_at: now })
        .execute();
    }
    for (const a of demoAccounts) {
      const id = newId();
      await tx
        .insertInto('users')
        .values({
          id,
          organisation_id: orgIds.get(a.org)!,
          email: a.email,
          display_name: a.name,
          password_hash: hash,
          locale: a.locale,
          status: 'active',
          totp_secret: null,
          totp_pending_secret: null,
          totp_enabled: 0,
          totp_last_step: null,
          password_changed_at: now,
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      await tx.insertInto('user_roles').values(a.roles.map((role) => ({ user_id: id, role }))).onConflict((oc) => oc.doNothing()).execute();
    }
  });
  await seedDemoPartnerships(db, clock);
  return true;
}

const scenariosDir = path.resolve(import.meta.dirname, '../../../scenarios');
const demoMeta = { ip: null, requestId: 'demo-data' };

/** The demo trainer, as the actor of what the demo data creates; null when missing. */
async function demoTrainer(ctx: AppContext): Promise<AuthenticatedUser | null> {
  const trainer = await ctx.database.db.selectFrom('users').select('id').where('email', '=', 'trainer@demo.cybercap.org').executeTakeFirst();
  const user = trainer && (await loadUser(ctx.database.db, trainer.id));
  if (!user) return null;
  const { status: _status, ...actor } = user;
  return actor;
}

/**
 * Imports the package `scenarios/<slug>` as the demo trainer. Returns the new
 * scenario's id, or null when a version of it is already there (or no trainer).
 */
async function importDemoPackage(ctx: AppContext, slug: string): Promise<{ scenarioId: string; actor: AuthenticatedUser } | null> {
  if (await ctx.database.db.selectFrom('scenarios').select('id').where('slug', '=', slug).executeTakeFirst()) return null;
  const actor = await demoTrainer(ctx);
  if (!actor) return null;
  const source = await openFolderPackage(path.join(scenariosDir, slug), ctx.config.scenarioLimits);
  try {
    const imported = await importScenario(ctx, source, ctx.config.scenarioLimits, { userId: actor.userId, email: actor.email, organisationId: actor.organisationId }, demoMeta);
    return { scenarioId: imported.scenario.id, actor };
  } finally {
    await source.close();
  }
}

/** Assigns a demo account to a team, when the account exists. */
async function assignDemoMember(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string, email: string) {
  const member = await ctx.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (member) await assignMember(ctx, actor, exerciseId, teamId, member.id, demoMeta);
}

/**
 * The demo scenario, and an exercise on it with two mixed teams, ready for the
 * demo trainer to start; and the scenario library of scenarios/. Skipped when
 * the scenario is already there.
 */
export async function seedDemoExercise(ctx: AppContext): Promise<boolean> {
  await seedGlassVault(ctx);
  await seedMirrorInvoice(ctx);
  await seedColdWard(ctx);
  await seedStillFrame(ctx);
  const imported = await importDemoPackage(ctx, 'demo-extortion');
  if (!imported) return false;
  const { scenarioId, actor } = imported;
  const exercise = await createExercise(ctx, actor, { scenarioId, title: 'Operation Silent Ledger — demo run', mode: 'competition', scheduledStart: null, freezeMinutes: 15, teamSizeLimit: 6 }, demoMeta);
  const expert = await ctx.database.db.selectFrom('users').select('id').where('email', '=', 'expert@demo.cybercap.org').executeTakeFirst();
  if (expert) await addStaff(ctx, actor, exercise.id, { userId: expert.id, role: 'expert' }, demoMeta);
  const teams: Array<[string, string]> = [
    ['Team Alpha', 'investigator.sg@demo.cybercap.org'],
    ['Team Bravo', 'investigator.br@demo.cybercap.org'],
  ];
  for (const [name, email] of teams) {
    const team = await createTeam(ctx, actor, exercise.id, name, demoMeta);
    await assignDemoMember(ctx, actor, exercise.id, team.id, email);
  }
  return true;
}

/**
 * Operation Glass Vault (scenarios/bitcoin-blackmail, generated by
 * scripts/scenarios/), with a training exercise and one team for the demo
 * investigator from Singapore, ready for the demo trainer to start. Skipped
 * when the scenario is already there.
 */
export async function seedGlassVault(ctx: AppContext): Promise<boolean> {
  const imported = await importDemoPackage(ctx, 'bitcoin-blackmail');
  if (!imported) return false;
  const { scenarioId, actor } = imported;
  const exercise = await createExercise(ctx, actor, { scenarioId, title: 'Operation Glass Vault — training run', mode: 'training', scheduledStart: null, freezeMinutes: null, teamSizeLimit: 6 }, demoMeta);
  const team = await createTeam(ctx, actor, exercise.id, 'Team Glass', demoMeta);
  await assignDemoMember(ctx, actor, exercise.id, team.id, 'investigator.sg@demo.cybercap.org');
  return true;
}

/** Operation Mirror Invoice (scenarios/business-email-compromise): the scenario only, for a trainer to run. */
export const seedMirrorInvoice = async (ctx: AppContext): Promise<boolean> => (await importDemoPackage(ctx, 'business-email-compromise')) !== null;

/** Operation Cold Ward (scenarios/hospital-ransomware): the scenario only, for a trainer to run. */
export const seedColdWard = async (ctx: AppContext): Promise<boolean> => (await importDemoPackage(ctx, 'hospital-ransomware')) !== null;

/** Operation Still Frame (scenarios/bank-webcam-attack): the scenario only, for a trainer to run. */
export const seedStillFrame = async (ctx: AppContext): Promise<boolean> => (await importDemoPackage(ctx, 'bank-webcam-attack')) !== null;
