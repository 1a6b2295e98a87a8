import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { locales } from '../accounts/roles.ts';
import { teamPdfBlocks } from './exports.ts';
import type { TeamReport } from './schemas.ts';
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

  it('prints the skills by name in the PDF report', () => {
    const report = {
      exerciseId: 'e', exerciseTitle: 'Run', scenarioTitle: { en: 'S' }, status: 'ended', startedAt: '2026-11-23T08:00:00.000Z', endedAt: null, generatedAt: '2026-11-23T10:00:00.000Z',
      teamId: 't', teamName: 'Red', summary: { score: 0, solved: 0, objectives: 0, attempts: 0, hints: 0, hintPoints: 0, adviceRequests: 0, legalRequests: 0, legalGranted: 0, legalRefused: 0, adjustmentPoints: 0 },
      objectives: [], caseFile: null, timeline: [], series: [],
      skills: [
        { skill: 'log-analysis', pointsEarned: 50, pointsAvailable: 100, solved: 1, total: 2 },
        { skill: 'blockchain-analysis', pointsEarned: 0, pointsAvailable: 80, solved: 0, total: 1 },
      ],
    } as unknown as TeamReport;
    const bars = (language: string) => teamPdfBlocks(report, language).flatMap((b) => (b.kind === 'barChart' ? b.bars.map((x) => x.label) : []));
    expect(bars('en')).toEqual(['Log analysis', 'Blockchain analysis']);
    expect(bars('fr')).toEqual(['Analyse de journaux', 'Blockchain analysis']);
    expect(bars('ar')).toEqual(['تحليل السجلات', 'Blockchain analysis']);
  });
});
