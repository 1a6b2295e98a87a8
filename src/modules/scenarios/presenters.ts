import type { Selectable } from 'kysely';
import type { ScenarioFileTable, ScenarioTable } from '../../core/db/schema.ts';
import type { ScenarioDefinition } from './definition.ts';
import type { ScenarioDetail, ScenarioSummary } from './schemas.ts';

export function presentScenarioSummary(row: Selectable<ScenarioTable>): ScenarioSummary {
  const d = JSON.parse(row.definition) as ScenarioDefinition;
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    title: d.title,
    theme: d.theme,
    difficulty: d.difficulty,
    durationMinutes: row.duration_minutes,
    objectiveCount: d.objectives.length,
    evidenceCount: d.evidence.length,
    fileCount: Number(row.file_count),
    totalBytes: Number(row.total_bytes),
    packageSha256: row.package_sha256,
    importedAt: row.imported_at,
  };
}

export function presentScenarioDetail(row: Selectable<ScenarioTable>, files: Array<Selectable<ScenarioFileTable>>): ScenarioDetail {
  const d = JSON.parse(row.definition) as ScenarioDefinition;
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    ...presentScenarioSummary(row),
    briefing: d.briefing,
    skills: d.skills,
    trainerGuide: d.trainerGuide,
    evidence: d.evidence.map((e) => ({
      id: e.id,
      title: e.title,
      kind: e.kind,
      file: e.file,
      size: Number(byPath.get(e.file)?.size ?? 0),
      sha256: byPath.get(e.file)?.sha256 ?? '',
      templated: e.templated,
      release: e.release,
    })),
    objectives: d.objectives.map((o) => ({
      id: o.id,
      prompt: o.prompt,
      points: o.points,
      answerType: o.answer.type,
      maxAttempts: o.maxAttempts ?? null,
      requires: o.requires,
      skills: o.skills,
      release: o.release,
    })),
    hints: d.hints.map((h) => ({ id: h.id, objective: h.objective ?? null, cost: h.cost })),
    injects: d.injects.map((i) => ({ id: i.id, title: i.title, trigger: i.trigger })),
    variables: Object.entries(d.variables).map(([name, v]) => ({ name, generator: v.generator })),
  };
}
