import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { countries, countryByCode } from '../reference/countries.ts';
import { sharingAgreementsInForce, type SharingAgreement } from '../partners/agreements.ts';
import { tlpLevels, type Tlp } from './schemas.ts';

// THE rule of information sharing: who may see a report, and an indicator.
// It is computed for each request from the agreements in force at that moment
// (never cached, so a suspended or lapsed agreement stops the sharing it
// allowed at once), compiled into one SQL condition, and used by every read
// path: lists and their totals, single reads, search by value, correlations,
// sightings and the sharing log. See docs/sharing.md for the table.

export const tlpRank = (t: Tlp) => tlpLevels.indexOf(t);
export const stricter = (a: Tlp, b: Tlp | null | undefined): Tlp => (b && tlpRank(b) > tlpRank(a) ? b : a);
const upTo = (max: Tlp) => tlpLevels.slice(0, tlpRank(max) + 1);

/** What a grant under an agreement lets the viewer see at TLP:AMBER. */
type AmberGrant =
  /** A police viewer: AMBER reports of this partner, in these categories. */
  | { kind: 'from_partner'; partnerOrganisationId: string; agreementId: string; categories: string[] }
  /** A partner viewer: AMBER reports of police organisations in scope, in these categories. */
  | { kind: 'from_police'; agreementId: string; organisationIds: string[]; countryCodes: string[]; categories: string[] };

export type Viewer = {
  actor: Actor;
  /** Administrators see everything (recorded in the sharing log for RED and AMBER+STRICT). */
  all: boolean;
  organisationId: string;
  organisationKind: 'police_unit' | 'partner' | null;
  /** Member of the community that receives TLP:GREEN. */
  community: boolean;
  /** The TLPs at which being a named recipient lets the viewer see. */
  recipientTlps: Tlp[];
  amber: AmberGrant[];
};

const countriesOf = (regionsInScope: readonly string[]) => countries.filter((c) => regionsInScope.includes(c.region)).map((c) => c.code);

/** The viewer's rights now, read from the organisations and agreements in force. */
export async function sharingViewer(db: Db | Tx, actor: Actor, at: Date): Promise<Viewer> {
  const all = reachOf(actor, 'sharing.read') === 'all';
  const org = await db.selectFrom('organisations').select(['id', 'kind', 'status', 'country_code']).where('id', '=', actor.organisationId).executeTakeFirst();
  const base: Viewer = { actor, all, organisationId: actor.organisationId, organisationKind: org?.kind ?? null, community: false, recipientTlps: [], amber: [] };
  if (!org || org.status !== 'active' || reachOf(actor, 'sharing.read') === null) return base;
  if (org.kind === 'police_unit') {
    const region = countryByCode(org.country_code)?.region ?? null;
    // Partners with a data-sharing agreement that names this unit or its region; each is then read in force.
    const partners = await db
      .selectFrom('partner_agreement_scopes')
      .innerJoin('partner_agreements', 'partner_agreements.id', 'partner_agreement_scopes.agreement_id')
      .select('partner_agreements.organisation_id')
      .distinct()
      .where('partner_agreements.kind', '=', 'data_sharing')
      .where('partner_agreements.status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb.and([eb('partner_agreement_scopes.scope_type', '=', 'organisation'), eb('partner_agreement_scopes.scope_value', '=', org.id)]),
          ...(region ? [eb.and([eb('partner_agreement_scopes.scope_type', '=', 'region'), eb('partner_agreement_scopes.scope_value', '=', region)])] : []),
        ]),
      )
      .execute();
    const amber: AmberGrant[] = [];
    for (const p of partners) {
      for (const a of await sharingAgreementsInForce(db, p.organisation_id, at)) {
        const inScope = a.scopeOrganisationIds.includes(org.id) || (region !== null && (a.scopeRegions as string[]).includes(region));
        if (inScope && tlpRank(a.maxTlp) >= tlpRank('amber')) amber.push({ kind: 'from_partner', partnerOrganisationId: p.organisation_id, agreementId: a.id, categories: a.dataCategories });
      }
    }
    return { ...base, community: true, recipientTlps: ['amber', 'amber_strict', 'red'], amber };
  }
  const agreements: SharingAgreement[] = await sharingAgreementsInForce(db, org.id, at);
  const max = agreements.reduce<Tlp | null>((m, a) => (m === null || tlpRank(a.maxTlp) > tlpRank(m) ? a.maxTlp : m), null);
  if (max === null) return base;
  return {
    ...base,
    community: tlpRank(max) >= tlpRank('green'),
    recipientTlps: upTo(max).filter((t) => tlpRank(t) >= tlpRank('amber')),
    amber: agreements
      .filter((a) => tlpRank(a.maxTlp) >= tlpRank('amber'))
      .map((a) => ({ kind: 'from_police', agreementId: a.id, organisationIds: a.scopeOrganisationIds, countryCodes: countriesOf(a.scopeRegions), categories: a.dataCategories })),
  };
}

/** What any member of an organisation sees (not an administrator's reach): used to tell its analysts of correlations. */
export function organisationViewer(db: Db | Tx, organisationId: string, at: Date): Promise<Viewer> {
  return sharingViewer(db, { userId: '', organisationId, roles: ['partner_analyst'] }, at);
}

/**
 * The one condition, over a query that has `sharing_reports` and the reporter's
 * organisation as `reporter_org` in scope; `tlpColumn` is the report's TLP for
 * reports, the indicator's effective TLP (the stricter of both) for indicators.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function visibleCondition(eb: ExpressionBuilder<any, any>, viewer: Viewer, tlpColumn: 'sharing_reports.tlp' | 'sharing_indicators.effective_tlp'): Expression<SqlBool> {
  if (viewer.all) return eb.lit(true);
  if (viewer.organisationKind === null) return eb.lit(false);
  const tlp = eb.ref(tlpColumn);
  const or: Expression<SqlBool>[] = [eb('sharing_reports.reporter_organisation_id', '=', viewer.organisationId), eb(tlp, '=', 'clear')];
  if (viewer.community) or.push(eb(tlp, '=', 'green'));
  if (viewer.recipientTlps.length > 0) {
    or.push(
      eb.and([
        eb(tlp, 'in', viewer.recipientTlps),
        eb.exists(
          eb
            .selectFrom('sharing_report_recipients')
            .select('sharing_report_recipients.report_id')
            .whereRef('sharing_report_recipients.report_id', '=', 'sharing_reports.id')
            .where('sharing_report_recipients.organisation_id', '=', viewer.organisationId),
        ),
      ]),
    );
  }
  for (const g of viewer.amber) {
    if (g.categories.length === 0) continue;
    const common = [eb(tlp, '=', 'amber'), eb('sharing_reports.crime_type', 'in', g.categories)];
    if (g.kind === 'from_partner') {
      or.push(eb.and([...common, eb('sharing_reports.reporter_organisation_id', '=', g.partnerOrganisationId)]));
    } else {
      const where: Expression<SqlBool>[] = [];
      if (g.organisationIds.length > 0) where.push(eb('sharing_reports.reporter_organisation_id', 'in', g.organisationIds));
      if (g.countryCodes.length > 0) where.push(eb('reporter_org.country_code', 'in', g.countryCodes));
      if (where.length === 0) continue;
      or.push(eb.and([...common, eb('reporter_org.kind', '=', 'police_unit'), eb.or(where)]));
    }
  }
  return eb.or(or);
}

export function reportsVisibleTo(db: Db | Tx, viewer: Viewer) {
  return db
    .selectFrom('sharing_reports')
    .innerJoin('organisations as reporter_org', 'reporter_org.id', 'sharing_reports.reporter_organisation_id')
    .where((eb) => visibleCondition(eb, viewer, 'sharing_reports.tlp'));
}

export function indicatorsVisibleTo(db: Db | Tx, viewer: Viewer) {
  return db
    .selectFrom('sharing_indicators')
    .innerJoin('sharing_reports', 'sharing_reports.id', 'sharing_indicators.report_id')
    .innerJoin('organisations as reporter_org', 'reporter_org.id', 'sharing_reports.reporter_organisation_id')
    .where((eb) => visibleCondition(eb, viewer, 'sharing_indicators.effective_tlp'));
}

/** The reports an actor may see at a moment: the central rule as a query. */
export async function visibleReports(db: Db | Tx, actor: Actor, at: Date) {
  return reportsVisibleTo(db, await sharingViewer(db, actor, at));
}

/** The indicators an actor may see at a moment (the same rule, with the stricter TLP). */
export async function visibleIndicators(db: Db | Tx, actor: Actor, at: Date) {
  return indicatorsVisibleTo(db, await sharingViewer(db, actor, at));
}
