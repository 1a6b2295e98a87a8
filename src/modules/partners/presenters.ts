import type { Selectable } from 'kysely';
import type { PartnerAgreementTable, PartnerApplicationEventTable, PartnerApplicationTable } from '../../core/db/schema.ts';
import { countryByCode, type Region } from '../reference/countries.ts';
import type { partnerSectors } from '../organisations/schemas.ts';
import {
  applicationTransitions,
  type Agreement,
  type AgreementStatus,
  type Application,
  type ApplicationStatus,
  type PartnershipKind,
  type Tlp,
  type dataCategories,
} from './schemas.ts';

const parseList = <T>(text: string): T[] => JSON.parse(text) as T[];

export function presentApplicationSummary(row: Selectable<PartnerApplicationTable>) {
  return {
    id: row.id,
    organisationName: row.organisation_name,
    sector: row.sector as (typeof partnerSectors)[number],
    countryCode: row.country_code,
    region: countryByCode(row.country_code)?.region ?? null,
    contactName: row.contact_name,
    email: row.email,
    phone: row.phone,
    kinds: parseList<PartnershipKind>(row.kinds),
    status: row.status,
    organisationId: row.organisation_id,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
  };
}

export function presentApplication(row: Selectable<PartnerApplicationTable>, events: Selectable<PartnerApplicationEventTable>[]): Application {
  return {
    ...presentApplicationSummary(row),
    message: row.message,
    nextStatuses: [...applicationTransitions[row.status]],
    history: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStatus: e.from_status as ApplicationStatus | null,
      toStatus: e.to_status as ApplicationStatus | null,
      note: e.note,
      authorUserId: e.author_user_id,
      authorEmail: e.author_email,
      occurredAt: e.occurred_at,
    })),
  };
}

/** Today's date (UTC) as the agreements' dates are written. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The status in force on a day: an agreement in force (active or suspended)
 * whose end date has passed is expired, whatever its stored status says.
 */
export function effectiveStatus(row: Pick<Selectable<PartnerAgreementTable>, 'status' | 'ends_on'>, today: string): AgreementStatus {
  if ((row.status === 'active' || row.status === 'suspended') && row.ends_on !== null && row.ends_on < today) return 'expired';
  return row.status;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000);
}

export type AgreementRow = Selectable<PartnerAgreementTable> & { organisation_name: string };
export type ScopeRows = Array<{ agreement_id: string; scope_type: 'organisation' | 'region'; scope_value: string }>;

export function presentAgreement(row: AgreementRow, scopes: ScopeRows, today: string): Agreement {
  const status = effectiveStatus(row, today);
  const mine = scopes.filter((s) => s.agreement_id === row.id);
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    kind: row.kind,
    title: row.title,
    reference: row.reference,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status,
    storedStatus: row.status,
    daysLeft: row.ends_on === null || status === 'expired' ? null : daysBetween(today, row.ends_on),
    dataCategories: parseList<(typeof dataCategories)[number]>(row.data_categories),
    maxTlp: row.max_tlp as Tlp | null,
    scopeOrganisationIds: mine.filter((s) => s.scope_type === 'organisation').map((s) => s.scope_value).sort(),
    scopeRegions: mine.filter((s) => s.scope_type === 'region').map((s) => s.scope_value as Region).sort(),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
