/**
 * Labels for organisation data in the user's language: countries (from the
 * shared reference list of INTERPOL member countries), regions, kinds, unit
 * types and sectors.
 */
import { useCallback, useMemo } from 'react';
import type { ComboboxItem, ComboboxParsedItem, OptionsFilter } from '@mantine/core';
import { countries, countryByCode, regions, type Region } from '@modules/reference/countries.ts';
import type { organisationKinds, partnerSectors, unitTypes } from '@modules/organisations/schemas.ts';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';

export type Kind = (typeof organisationKinds)[number];
export type UnitType = (typeof unitTypes)[number];
export type Sector = (typeof partnerSectors)[number];

export const kindLabel: Record<Kind, MessageId> = {
  police_unit: 'organisations.kind.police_unit',
  partner: 'organisations.kind.partner',
};

export const unitTypeLabel: Record<UnitType, MessageId> = {
  national_cybercrime_unit: 'organisations.unitType.national_cybercrime_unit',
  regional_unit: 'organisations.unitType.regional_unit',
  digital_forensics_lab: 'organisations.unitType.digital_forensics_lab',
  financial_crime_unit: 'organisations.unitType.financial_crime_unit',
  national_central_bureau: 'organisations.unitType.national_central_bureau',
  other: 'organisations.unitType.other',
};

export const sectorLabel: Record<Sector, MessageId> = {
  cybersecurity: 'organisations.sector.cybersecurity',
  it: 'organisations.sector.it',
  banking: 'organisations.sector.banking',
  academia: 'organisations.sector.academia',
  public_sector: 'organisations.sector.public_sector',
};

export const regionLabel: Record<Region, MessageId> = {
  africa: 'organisations.region.africa',
  americas: 'organisations.region.americas',
  asia_south_pacific: 'organisations.region.asia_south_pacific',
  europe: 'organisations.region.europe',
  middle_east_north_africa: 'organisations.region.middle_east_north_africa',
};

export const isRegion = (value: string | null | undefined): value is Region => (regions as readonly string[]).includes(value ?? '');

/** The name of a member country in the interface language (the code when unknown). */
export function useCountryName(): (code: string | null | undefined) => string {
  const { locale } = useLocale();
  return useCallback((code) => (code ? (countryByCode(code)?.names[locale] ?? code) : ''), [locale]);
}

/** Member countries as select options, in alphabetical order of the interface language. */
export function useCountryOptions(): ComboboxItem[] {
  const { locale } = useLocale();
  return useMemo(() => {
    const collator = new Intl.Collator(locale, { sensitivity: 'base' });
    return countries.map((c) => ({ value: c.code, label: c.names[locale] })).sort((a, b) => collator.compare(a.label, b.label));
  }, [locale]);
}

/** Lower case, without accents or Arabic diacritics, so "cote" finds "Côte d’Ivoire". */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '')
    .replace(/[’']/g, "'")
    .toLowerCase();

/** Country search: by name (ignoring accents) or by ISO code ("FR"). */
export const countryFilter: OptionsFilter = ({ options, search }) => {
  const q = fold(search.trim());
  if (!q) return options;
  return (options as ComboboxParsedItem[]).filter((o) => 'value' in o && (fold(o.label).includes(q) || String(o.value).toLowerCase() === q));
};
