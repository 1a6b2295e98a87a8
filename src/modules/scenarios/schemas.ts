import { z } from 'zod';
import { difficulties, evidenceKinds, themes } from './definition.ts';

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());

export const problem = z.object({ path: z.string(), message: z.string() });
export type Problem = z.infer<typeof problem>;

export const scenarioSummary = z.object({
  id: z.string(),
  slug: z.string(),
  version: z.string(),
  title: localized,
  theme: z.enum(themes),
  difficulty: z.enum(difficulties),
  durationMinutes: z.number().int(),
  objectiveCount: z.number().int(),
  evidenceCount: z.number().int(),
  fileCount: z.number().int(),
  totalBytes: z.number().int(),
  packageSha256: z.string(),
  importedAt: z.string(),
});
export type ScenarioSummary = z.infer<typeof scenarioSummary>;

/** What trainers and experts see of a scenario: never the answers themselves. */
export const scenarioDetail = scenarioSummary.extend({
  briefing: localized,
  skills: z.array(z.string()),
  trainerGuide: localized,
  evidence: z.array(z.object({ id: z.string(), title: localized, kind: z.enum(evidenceKinds), file: z.string(), size: z.number().int(), sha256: z.string(), templated: z.boolean(), release: z.record(z.string(), z.unknown()) })),
  objectives: z.array(z.object({ id: z.string(), prompt: localized, points: z.number().int(), answerType: z.string(), maxAttempts: z.number().int().nullable(), requires: z.array(z.string()), skills: z.array(z.string()), release: z.record(z.string(), z.unknown()) })),
  hints: z.array(z.object({ id: z.string(), objective: z.string().nullable(), cost: z.number().int() })),
  injects: z.array(z.object({ id: z.string(), title: localized, trigger: z.record(z.string(), z.unknown()) })),
  variables: z.array(z.object({ name: z.string(), generator: z.string() })),
});
export type ScenarioDetail = z.infer<typeof scenarioDetail>;

export const validationReport = z.object({
  ok: z.boolean(),
  problems: z.array(problem),
  warnings: z.array(problem),
  summary: z.object({ id: z.string(), version: z.string(), title: localized, objectives: z.number().int(), evidence: z.number().int() }).nullable(),
});
export type ValidationReport = z.infer<typeof validationReport>;
