import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { locales } from '../accounts/roles.ts';
import { skillLabel, skillNames, slugWords } from './skills.ts';

const scenariosDir = path.resolve(import.meta.dirname, '../../../scenarios');

/** Every skill slug our scenario packages tag (the scenario's list and its objectives'). */
function scenarioSkills(): Set<string> {
  const found = new Set<string>();
  for (const dir of readdirSync(scenariosDir)) {
    const doc = parseYaml(readFileSync(path.join(scenariosDir, dir, 'scenario.yaml'), 'utf8')) as { skills?: string[]; objectives?: Array<{ skills?: string[] }> };
    for (const s of [...(doc.skills ?? []), ...(doc.objectives ?? []).flatMap((o) => o.skills ?? [])]) found.add(s);
  }
  return found;
}

describe('skill names', () => {
  it('names every skill of our scenarios in the four languages', () => {
    const used = scenarioSkills();
    expect(used.size).toBeGreaterThan(5);
    for (const slug of used) {
      for (const locale of locales) {
        const label = skillLabel(slug, locale);
        expect(label, `${slug} in ${locale}`).toBe(skillNames[slug]?.[locale]);
        expect(label).not.toContain('-analysis');
      }
    }
    expect(skillLabel('log-analysis', 'fr')).toBe('Analyse de journaux');
    expect(skillLabel('log-analysis', 'ar')).toBe('تحليل السجلات');
    expect(skillLabel('log-analysis', 'es-MX')).toBe('Análisis de registros');
    expect(skillLabel('log-analysis', 'de')).toBe('Log analysis');
  });

  it('writes an unknown slug in words', () => {
    expect(skillLabel('blockchain-analysis', 'en')).toBe('Blockchain analysis');
    expect(skillLabel('blockchain-analysis', 'ar')).toBe('Blockchain analysis');
    expect(slugWords('sim_swap--fraud')).toBe('Sim swap fraud');
    expect(skillLabel('constructor', 'en')).toBe('Constructor');
  });
});
