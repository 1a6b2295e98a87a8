import { describe, expect, it } from 'vitest';
import { countries, countryByCode, isMemberCountry, regions, type Region } from './countries.ts';

const LANGUAGES = ['ar', 'en', 'fr', 'es'] as const;

describe('INTERPOL member countries reference data', () => {
  it('has exactly 196 member countries', () => {
    expect(countries).toHaveLength(196);
  });

  it('has unique, well-formed alpha-2 and alpha-3 codes, sorted by alpha-2 code', () => {
    const codes = countries.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(countries.map((c) => c.alpha3)).size).toBe(codes.length);
    for (const c of countries) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
    }
    expect(codes).toEqual([...codes].sort());
  });

  it('gives every country four non-empty names and a valid region', () => {
    for (const c of countries) {
      expect(regions).toContain(c.region);
      expect(Object.keys(c.names).sort()).toEqual([...LANGUAGES].sort());
      for (const lang of LANGUAGES) {
        expect(c.names[lang].trim(), `${c.code} ${lang}`).not.toBe('');
        expect(c.names[lang], `${c.code} ${lang}`).not.toBe(c.code);
      }
    }
  });

  it('has no duplicate names within a language', () => {
    for (const lang of LANGUAGES) {
      const names = countries.map((c) => c.names[lang]);
      expect(new Set(names).size, lang).toBe(names.length);
    }
  });

  it('has plausible region counts', () => {
    const counts = Object.fromEntries(regions.map((r) => [r, 0])) as Record<Region, number>;
    for (const c of countries) counts[c.region] += 1;
    // africa 49, americas 38, asia_south_pacific 37, europe 55, middle_east_north_africa 17 (total 196)
    expect(counts).toEqual({
      africa: 49,
      americas: 38,
      asia_south_pacific: 37,
      europe: 55,
      middle_east_north_africa: 17,
    });
  });

  it('places boundary cases in the agreed regions', () => {
    const expected: Record<string, Region> = {
      EG: 'middle_east_north_africa',
      MA: 'middle_east_north_africa',
      PS: 'middle_east_north_africa',
      MR: 'africa',
      SD: 'africa',
      IL: 'europe',
      TR: 'europe',
      CY: 'europe',
      RU: 'europe',
      GE: 'europe',
      KZ: 'europe',
      IR: 'asia_south_pacific',
      AF: 'asia_south_pacific',
      PW: 'asia_south_pacific',
      AW: 'americas',
      CW: 'americas',
      SX: 'americas',
    };
    for (const [code, region] of Object.entries(expected)) {
      expect(countryByCode(code)?.region, code).toBe(region);
    }
  });

  it('excludes North Korea and Tuvalu', () => {
    for (const code of ['KP', 'TV']) {
      expect(countryByCode(code)).toBeUndefined();
      expect(isMemberCountry(code)).toBe(false);
    }
  });

  it('includes the non-UN and recent members', () => {
    for (const code of ['PS', 'VA', 'AW', 'CW', 'SX', 'FM', 'PW']) {
      expect(isMemberCountry(code), code).toBe(true);
    }
  });

  it('writes Arabic names in Arabic script', () => {
    for (const c of countries) {
      expect(c.names.ar, c.code).toMatch(/\p{Script=Arabic}/u);
      expect(c.names.ar, c.code).not.toMatch(/[A-Za-z]/);
    }
  });

  it('uses the official short names for overridden entries', () => {
    expect(countryByCode('PS')?.names).toEqual({
      ar: 'دولة فلسطين',
      en: 'State of Palestine',
      fr: 'État de Palestine',
      es: 'Estado de Palestina',
    });
    expect(countryByCode('CD')?.names.en).toBe('Democratic Republic of the Congo');
    expect(countryByCode('CG')?.names.en).toBe('Congo');
    expect(countryByCode('KR')?.names.en).toBe('Republic of Korea');
    expect(countryByCode('TR')?.names.en).toBe('Türkiye');
  });

  it('looks countries up case-insensitively', () => {
    expect(countryByCode('fr')).toEqual({
      code: 'FR',
      alpha3: 'FRA',
      region: 'europe',
      names: { ar: 'فرنسا', en: 'France', fr: 'France', es: 'Francia' },
    });
    expect(countryByCode('Fr')).toBe(countryByCode('FR'));
    expect(isMemberCountry('us')).toBe(true);
    expect(countryByCode('XX')).toBeUndefined();
    expect(countryByCode('')).toBeUndefined();
    expect(isMemberCountry('FRA')).toBe(false);
  });

  it('is immutable', () => {
    expect(Object.isFrozen(countries)).toBe(true);
    expect(Object.isFrozen(countries[0])).toBe(true);
    expect(Object.isFrozen(countries[0]?.names)).toBe(true);
  });
});
