import { describe, expect, it } from 'vitest';
import { teamPdfBlocks } from './exports.ts';
import type { TeamReport } from './schemas.ts';

describe('team report PDF', () => {
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
