/**
 * Generates src/modules/reference/countries.json: the 196 INTERPOL member
 * countries with their ISO 3166-1 alpha-2 / alpha-3 codes, the regional
 * working group they belong to, and their names in Arabic, English, French and
 * Spanish.
 *
 * Names come from Intl.DisplayNames (type 'region', i.e. CLDR data shipped with
 * Node's ICU), except for the entries in NAME_OVERRIDES. Because the CLDR data
 * changes between Node versions, the generated JSON is committed and this
 * script is only re-run on purpose; review the diff when you do.
 *
 * Run: node_modules/.bin/node scripts/generate-countries.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const LANGUAGES = ['ar', 'en', 'fr', 'es'] as const;
type Language = (typeof LANGUAGES)[number];

const REGIONS = ['africa', 'americas', 'asia_south_pacific', 'europe', 'middle_east_north_africa'] as const;
type Region = (typeof REGIONS)[number];

const EXPECTED_COUNT = 196;

/**
 * INTERPOL membership = the 193 UN member states minus North Korea (KP) and
 * Tuvalu (TV), plus Vatican City State (VA), State of Palestine (PS), Aruba
 * (AW), Curaçao (CW) and Sint Maarten (SX). Micronesia (FM, 2021) and Palau
 * (PW, 2023) are members.
 */
const EXCLUDED = ['KP', 'TV'] as const;

const MEMBERS_BY_REGION: Record<Region, readonly string[]> = {
  // Middle East and North Africa (17)
  middle_east_north_africa: [
    'AE', 'BH', 'DZ', 'EG', 'IQ', 'JO', 'KW', 'LB', 'LY', 'MA', 'OM', 'PS', 'QA', 'SA', 'SY', 'TN', 'YE',
  ],
  // Rest of Africa, incl. Mauritania and Sudan (49)
  africa: [
    'AO', 'BF', 'BI', 'BJ', 'BW', 'CD', 'CF', 'CG', 'CI', 'CM', 'CV', 'DJ', 'ER', 'ET', 'GA', 'GH', 'GM',
    'GN', 'GQ', 'GW', 'KE', 'KM', 'LR', 'LS', 'MG', 'ML', 'MR', 'MU', 'MW', 'MZ', 'NA', 'NE', 'NG', 'RW',
    'SC', 'SD', 'SL', 'SN', 'SO', 'SS', 'ST', 'SZ', 'TD', 'TG', 'TZ', 'UG', 'ZA', 'ZM', 'ZW',
  ],
  // Europe, incl. Israel, Türkiye, Cyprus, the Caucasus, Russia, Central Asia (55)
  europe: [
    'AD', 'AL', 'AM', 'AT', 'AZ', 'BA', 'BE', 'BG', 'BY', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI',
    'FR', 'GB', 'GE', 'GR', 'HR', 'HU', 'IE', 'IL', 'IS', 'IT', 'KG', 'KZ', 'LI', 'LT', 'LU', 'LV', 'MC',
    'MD', 'ME', 'MK', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'RS', 'RU', 'SE', 'SI', 'SK', 'SM', 'TJ', 'TM',
    'TR', 'UA', 'UZ', 'VA',
  ],
  // Iran, Afghanistan, South / East / South-East Asia and Oceania (37)
  asia_south_pacific: [
    'AF', 'AU', 'BD', 'BN', 'BT', 'CN', 'FJ', 'FM', 'ID', 'IN', 'IR', 'JP', 'KH', 'KI', 'KR', 'LA', 'LK',
    'MH', 'MM', 'MN', 'MV', 'MY', 'NP', 'NR', 'NZ', 'PG', 'PH', 'PK', 'PW', 'SB', 'SG', 'TH', 'TL', 'TO',
    'VN', 'VU', 'WS',
  ],
  // North, Central and South America and the Caribbean, incl. AW, CW, SX (38)
  americas: [
    'AG', 'AR', 'AW', 'BB', 'BO', 'BR', 'BS', 'BZ', 'CA', 'CL', 'CO', 'CR', 'CU', 'CW', 'DM', 'DO', 'EC',
    'GD', 'GT', 'GY', 'HN', 'HT', 'JM', 'KN', 'LC', 'MX', 'NI', 'PA', 'PE', 'PY', 'SR', 'SV', 'SX', 'TT',
    'US', 'UY', 'VC', 'VE',
  ],
};

/** ISO 3166-1 alpha-2 → alpha-3, for the member countries only. */
const ALPHA3: Record<string, string> = {
  AD: 'AND', AE: 'ARE', AF: 'AFG', AG: 'ATG', AL: 'ALB', AM: 'ARM', AO: 'AGO', AR: 'ARG', AT: 'AUT',
  AU: 'AUS', AW: 'ABW', AZ: 'AZE', BA: 'BIH', BB: 'BRB', BD: 'BGD', BE: 'BEL', BF: 'BFA', BG: 'BGR',
  BH: 'BHR', BI: 'BDI', BJ: 'BEN', BN: 'BRN', BO: 'BOL', BR: 'BRA', BS: 'BHS', BT: 'BTN', BW: 'BWA',
  BY: 'BLR', BZ: 'BLZ', CA: 'CAN', CD: 'COD', CF: 'CAF', CG: 'COG', CH: 'CHE', CI: 'CIV', CL: 'CHL',
  CM: 'CMR', CN: 'CHN', CO: 'COL', CR: 'CRI', CU: 'CUB', CV: 'CPV', CW: 'CUW', CY: 'CYP', CZ: 'CZE',
  DE: 'DEU', DJ: 'DJI', DK: 'DNK', DM: 'DMA', DO: 'DOM', DZ: 'DZA', EC: 'ECU', EE: 'EST', EG: 'EGY',
  ER: 'ERI', ES: 'ESP', ET: 'ETH', FI: 'FIN', FJ: 'FJI', FM: 'FSM', FR: 'FRA', GA: 'GAB', GB: 'GBR',
  GD: 'GRD', GE: 'GEO', GH: 'GHA', GM: 'GMB', GN: 'GIN', GQ: 'GNQ', GR: 'GRC', GT: 'GTM', GW: 'GNB',
  GY: 'GUY', HN: 'HND', HR: 'HRV', HT: 'HTI', HU: 'HUN', ID: 'IDN', IE: 'IRL', IL: 'ISR', IN: 'IND',
  IQ: 'IRQ', IR: 'IRN', IS: 'ISL', IT: 'ITA', JM: 'JAM', JO: 'JOR', JP: 'JPN', KE: 'KEN', KG: 'KGZ',
  KH: 'KHM', KI: 'KIR', KM: 'COM', KN: 'KNA', KR: 'KOR', KW: 'KWT', KZ: 'KAZ', LA: 'LAO', LB: 'LBN',
  LC: 'LCA', LI: 'LIE', LK: 'LKA', LR: 'LBR', LS: 'LSO', LT: 'LTU', LU: 'LUX', LV: 'LVA', LY: 'LBY',
  MA: 'MAR', MC: 'MCO', MD: 'MDA', ME: 'MNE', MG: 'MDG', MH: 'MHL', MK: 'MKD', ML: 'MLI', MM: 'MMR',
  MN: 'MNG', MR: 'MRT', MT: 'MLT', MU: 'MUS', MV: 'MDV', MW: 'MWI', MX: 'MEX', MY: 'MYS', MZ: 'MOZ',
  NA: 'NAM', NE: 'NER', NG: 'NGA', NI: 'NIC', NL: 'NLD', NO: 'NOR', NP: 'NPL', NR: 'NRU', NZ: 'NZL',
  OM: 'OMN', PA: 'PAN', PE: 'PER', PG: 'PNG', PH: 'PHL', PK: 'PAK', PL: 'POL', PS: 'PSE', PT: 'PRT',
  PW: 'PLW', PY: 'PRY', QA: 'QAT', RO: 'ROU', RS: 'SRB', RU: 'RUS', RW: 'RWA', SA: 'SAU', SB: 'SLB',
  SC: 'SYC', SD: 'SDN', SE: 'SWE', SG: 'SGP', SI: 'SVN', SK: 'SVK', SL: 'SLE', SM: 'SMR', SN: 'SEN',
  SO: 'SOM', SR: 'SUR', SS: 'SSD', ST: 'STP', SV: 'SLV', SX: 'SXM', SY: 'SYR', SZ: 'SWZ', TD: 'TCD',
  TG: 'TGO', TH: 'THA', TJ: 'TJK', TL: 'TLS', TM: 'TKM', TN: 'TUN', TO: 'TON', TR: 'TUR', TT: 'TTO',
  TZ: 'TZA', UA: 'UKR', UG: 'UGA', US: 'USA', UY: 'URY', UZ: 'UZB', VA: 'VAT', VC: 'VCT', VE: 'VEN',
  VN: 'VNM', VU: 'VUT', WS: 'WSM', YE: 'YEM', ZA: 'ZAF', ZM: 'ZMB', ZW: 'ZWE',
};

/**
 * Names where the CLDR display name is not the country's usual official short
 * name (CLDR prefers colloquial or disambiguating forms such as
 * "Congo - Kinshasa" or "Palestinian Territories"). Mostly UN terminology
 * short names; VA follows INTERPOL's own designation of the member.
 */
const NAME_OVERRIDES: Record<string, Partial<Record<Language, string>>> = {
  // CLDR's short English forms use "&" and "St."; official reference data spells them out.
  AG: { en: 'Antigua and Barbuda' },
  BA: { en: 'Bosnia and Herzegovina' },
  KN: { en: 'Saint Kitts and Nevis' },
  LC: { en: 'Saint Lucia' },
  ST: { en: 'Sao Tome and Principe' },
  TT: { en: 'Trinidad and Tobago' },
  VC: { en: 'Saint Vincent and the Grenadines' },
  // CLDR adds the former name in brackets.
  MM: { ar: 'ميانمار', en: 'Myanmar', fr: 'Myanmar', es: 'Myanmar' },
  // CLDR: الأراضي الفلسطينية / Palestinian Territories / Territoires palestiniens / Territorios Palestinos
  PS: { ar: 'دولة فلسطين', en: 'State of Palestine', fr: 'État de Palestine', es: 'Estado de Palestina' },
  // CLDR: الفاتيكان / Vatican City / État de la Cité du Vatican / Ciudad del Vaticano (fr already matches)
  VA: { ar: 'دولة مدينة الفاتيكان', en: 'Vatican City State', es: 'Estado de la Ciudad del Vaticano' },
  // CLDR: سانت مارتن / Sint Maarten / Saint-Martin (partie néerlandaise) / Sint Maarten
  SX: { ar: 'سينت مارتن', fr: 'Sint Maarten' },
  // CLDR: الكونغو - كينشاسا / Congo - Kinshasa / Congo-Kinshasa / República Democrática del Congo
  CD: { ar: 'جمهورية الكونغو الديمقراطية', en: 'Democratic Republic of the Congo', fr: 'République démocratique du Congo' },
  // CLDR: الكونغو - برازافيل / Congo - Brazzaville / Congo-Brazzaville / Congo
  CG: { ar: 'الكونغو', en: 'Congo', fr: 'Congo' },
  // CLDR: كوريا الجنوبية / South Korea / Corée du Sud / Corea del Sur
  KR: { ar: 'جمهورية كوريا', en: 'Republic of Korea', fr: 'République de Corée', es: 'República de Corea' },
  // CLDR: ميكرونيزيا / Micronesia / Micronésie / Micronesia
  FM: {
    ar: 'ولايات ميكرونيزيا الموحدة',
    en: 'Federated States of Micronesia',
    fr: 'États fédérés de Micronésie',
    es: 'Estados Federados de Micronesia',
  },
  // CLDR: تركيا / Türkiye / Turquie / Turquía (UN name in all Latin-script languages since 2022)
  TR: { fr: 'Türkiye', es: 'Türkiye' },
  // CW: CLDR كوراساو / Curaçao / Curaçao / Curazao is fine, no override.
};

interface CountryRecord {
  code: string;
  alpha3: string;
  region: Region;
  names: Record<Language, string>;
}

function fail(message: string): never {
  throw new Error(`generate-countries: ${message}`);
}

function build(): CountryRecord[] {
  const displayNames = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' })]),
  ) as Record<Language, Intl.DisplayNames>;

  const regionOf = new Map<string, Region>();
  for (const region of REGIONS) {
    for (const code of MEMBERS_BY_REGION[region]) {
      if (!/^[A-Z]{2}$/.test(code)) fail(`invalid alpha-2 code ${JSON.stringify(code)}`);
      const previous = regionOf.get(code);
      if (previous) fail(`${code} listed in both ${previous} and ${region}`);
      regionOf.set(code, region);
    }
  }

  if (regionOf.size !== EXPECTED_COUNT) fail(`expected ${EXPECTED_COUNT} member countries, got ${regionOf.size}`);
  for (const code of EXCLUDED) if (regionOf.has(code)) fail(`${code} is not an INTERPOL member`);

  for (const code of Object.keys(ALPHA3)) if (!regionOf.has(code)) fail(`ALPHA3 has non-member ${code}`);
  for (const code of Object.keys(NAME_OVERRIDES)) if (!regionOf.has(code)) fail(`override for non-member ${code}`);
  const seenAlpha3 = new Set<string>();

  const records: CountryRecord[] = [];
  for (const [code, region] of regionOf) {
    const alpha3 = ALPHA3[code] ?? fail(`no alpha-3 code for ${code}`);
    if (!/^[A-Z]{3}$/.test(alpha3)) fail(`invalid alpha-3 code ${alpha3} for ${code}`);
    if (seenAlpha3.has(alpha3)) fail(`duplicate alpha-3 code ${alpha3}`);
    seenAlpha3.add(alpha3);

    const names = {} as Record<Language, string>;
    for (const lang of LANGUAGES) {
      const name = NAME_OVERRIDES[code]?.[lang] ?? displayNames[lang].of(code);
      if (!name || name === code) fail(`no ${lang} name for ${code}`);
      names[lang] = name.normalize('NFC');
    }
    records.push({ code, alpha3, region, names });
  }

  records.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  for (const lang of LANGUAGES) {
    const seen = new Map<string, string>();
    for (const { code, names } of records) {
      const other = seen.get(names[lang]);
      if (other) fail(`${lang} name ${JSON.stringify(names[lang])} used by both ${other} and ${code}`);
      seen.set(names[lang], code);
    }
  }

  return records;
}

const records = build();
const outFile = join(import.meta.dirname, '..', 'src', 'modules', 'reference', 'countries.json');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(records, null, 2)}\n`, 'utf8');

const counts = REGIONS.map((r) => `${r}=${records.filter((c) => c.region === r).length}`).join(', ');
console.log(
  `Wrote ${records.length} countries to ${outFile} (ICU ${process.versions.icu}, CLDR ${process.versions.cldr}): ${counts}`,
);
