import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { isMemberCountry } from '../reference/countries.ts';

export const organisationKinds = ['police_unit', 'partner'] as const;
export const unitTypes = ['national_cybercrime_unit', 'regional_unit', 'digital_forensics_lab', 'financial_crime_unit', 'national_central_bureau', 'other'] as const;
export const partnerSectors = ['cybersecurity', 'it', 'banking', 'academia', 'public_sector'] as const;

const countryCode = z
  .string()
  .trim()
  .length(2)
  .transform((c) => c.toUpperCase())
  .refine(isMemberCountry, 'not an INTERPOL member country code');

const name = z.string().trim().min(2).max(160);
const today = () => new Date().toISOString().slice(0, 10);
const pastDate = z.iso.date().refine((d) => d <= today(), 'cannot be in the future');

// A police unit has a unit type and its creation date; a partner has a sector.
export const organisationCreate = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('police_unit'),
    name,
    countryCode,
    unitType: z.enum(unitTypes),
    unitEstablishedOn: pastDate.nullable().default(null),
  }),
  z.strictObject({ kind: z.literal('partner'), name, countryCode, sector: z.enum(partnerSectors) }),
]);
export type OrganisationCreate = z.infer<typeof organisationCreate>;

export const organisationUpdate = z
  .strictObject({
    name: name.optional(),
    countryCode: countryCode.optional(),
    unitType: z.enum(unitTypes).optional(),
    unitEstablishedOn: pastDate.nullable().optional(),
    sector: z.enum(partnerSectors).optional(),
    status: z.enum(['active', 'archived']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type OrganisationUpdate = z.infer<typeof organisationUpdate>;

export const organisationQuery = pageQuery.extend({
  search: z.string().trim().max(160).optional(),
  kind: z.enum(organisationKinds).optional(),
  countryCode: z.string().trim().length(2).toUpperCase().optional(),
  status: z.enum(['active', 'archived']).optional(),
  sort: z.enum(['name', '-name', 'createdAt', '-createdAt', 'countryCode', '-countryCode']).default('name'),
});
export type OrganisationQuery = z.infer<typeof organisationQuery>;

export const organisation = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(organisationKinds),
  countryCode: z.string(),
  region: z.string().nullable(),
  unitType: z.enum(unitTypes).nullable(),
  unitEstablishedOn: z.string().nullable(),
  sector: z.enum(partnerSectors).nullable(),
  status: z.enum(['active', 'archived']),
  memberCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organisation = z.infer<typeof organisation>;
export const organisationPage = paged(organisation);
