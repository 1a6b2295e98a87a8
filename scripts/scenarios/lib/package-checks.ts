import { readFileSync, statSync } from 'node:fs';
import { expect } from 'vitest';
import { evaluate, prepareCheck } from '../../../src/modules/scenarios/answers.ts';
import type { ScenarioDefinition } from '../../../src/modules/scenarios/definition.ts';
import { updateScenarioYaml, type PackageWriter } from './files.ts';
import type { VariableSet } from './variables.ts';

// Checks every generated package's tests make alike (issue 5: "Each scenario").

/** Evidence files stay small, and every text of the package is in the four languages. */
export function expectSmallFilesInFourLanguages(definition: ScenarioDefinition, dir: string): void {
  for (const e of definition.evidence) expect(statSync(dir + e.file).size, e.file).toBeLessThan(50 * 1024);
  for (const text of [definition.title, definition.briefing, definition.trainerGuide, ...definition.objectives.map((o) => o.prompt), ...definition.hints.map((h) => h.text), ...definition.evidence.map((e) => e.title)]) {
    expect(Object.keys(text).sort()).toEqual(['ar', 'en', 'es', 'fr']);
  }
}

/** The package on disk is what its generator writes: regenerating changes nothing. */
export function expectRegenerated(built: { writer: PackageWriter; vars: VariableSet }, dir: string, definition: ScenarioDefinition): void {
  const { writer, vars } = built;
  for (const [path, content] of writer.files) expect(readFileSync(dir + path), path).toEqual(Buffer.from(content));
  const yaml = readFileSync(dir + 'scenario.yaml', 'utf8');
  expect(updateScenarioYaml(yaml, vars.toYaml(), (f) => writer.files.get(f))).toBe(yaml);
  expect(new Set(definition.evidence.map((e) => e.file))).toEqual(new Set(writer.files.keys()));
}

type Team = { values: Record<string, string>; answers: Record<string, string> };

/**
 * Every answer a team derived from its evidence is accepted from it; each answer that depends
 * on the team's values (its check uses a variable) is refused when given by another team.
 */
export function expectAnswersOfTeam(definition: ScenarioDefinition, all: readonly Team[], team: Team, seed: string): void {
  expect(Object.keys(team.answers).sort()).toEqual(definition.objectives.map((o) => o.id).sort());
  for (const o of definition.objectives) {
    expect(evaluate(prepareCheck(o.answer, team.values), team.answers[o.id]!), `${o.id}: ${team.answers[o.id]}`).toEqual({ outcome: 'correct', credit: 1 });
    if (!JSON.stringify(o.answer).includes('{{')) continue;
    for (const other of all.filter((t) => t !== team)) {
      expect(evaluate(prepareCheck(o.answer, other.values), team.answers[o.id]!).outcome, `${o.id} of ${seed} given by another team`).toBe('wrong');
    }
  }
}
