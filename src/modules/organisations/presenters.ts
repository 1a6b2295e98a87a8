import type { Selectable } from 'kysely';
import type { OrganisationTable } from '../../core/db/schema.ts';
import { countryByCode } from '../reference/countries.ts';
import type { Organisation, partnerSectors, unitTypes } from './schemas.ts';

export function presentOrganisation(row: Selectable<OrganisationTable> & { member_count?: number | string | bigint | null }): Organisation {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    countryCode: row.country_code,
    region: countryByCode(row.country_code)?.region ?? null,
    unitType: row.unit_type as (typeof unitTypes)[number] | null,
    unitEstablishedOn: row.unit_established_on,
    sector: row.sector as (typeof partnerSectors)[number] | null,
    status: row.status,
    memberCount: Number(row.member_count ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
