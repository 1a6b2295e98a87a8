import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { scenarioDefinition, type ScenarioDefinition } from './definition.ts';
import { PackageError, readEntryText, type PackageSource } from './package-source.ts';
import { checkTemplate, resolveVariables, variableReferenceProblems } from './templates.ts';
import { validateVariable } from './generators.ts';
import { checkProblems } from './answers.ts';

// Validation reports every problem with its place, e.g.
// `objectives[3].answer.pattern: invalid regular expression`, and the import
// goes ahead only when there is none.
export type Problem = { path: string; message: string };
export type Validation =
  | { ok: true; definition: ScenarioDefinition; problems: []; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

export const maxYamlBytes = 1024 * 1024;
export const maxTemplatedBytes = 10 * 1024 * 1024;
const maxAliasCount = 100;

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || '(root)';
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** Every string of the definition that may hold {{ variables }}, with its place. */
function* templatedStrings(value: unknown, path: PropertyKey[] = []): Generator<[string, string]> {
  if (typeof value === 'string') {
    if (value.includes('{{')) yield [formatPath(path), value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* templatedStrings(value[i], [...path, i]);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* templatedStrings(v, [...path, k]);
  }
}

export function parseScenarioYaml(text: string): { value?: unknown; problems: Problem[] } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: e.linePos?.[0] ? `scenario.yaml line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'scenario.yaml',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  try {
    // Aliases are expanded here; a "billion laughs" document stops at the alias budget.
    return { value: doc.toJS({ maxAliasCount }), problems: [] };
  } catch (error) {
    return { problems: [{ path: 'scenario.yaml', message: `refused: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** Checks the definition against its own rules and the files of the package. */
export async function validatePackage(source: PackageSource): Promise<Validation> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const yamlEntry = source.entries.get('scenario.yaml');
  if (!yamlEntry) return { ok: false, problems: [{ path: 'package', message: 'no scenario.yaml at the top of the package' }], warnings };
  let text: string;
  try {
    text = await readEntryText(yamlEntry, maxYamlBytes);
  } catch (error) {
    return { ok: false, problems: [{ path: 'scenario.yaml', message: error instanceof PackageError ? error.message.replace(/^scenario\.yaml: /, '') : String(error) }], warnings };
  }
  const parsed = parseScenarioYaml(text);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems, warnings };
  const result = scenarioDefinition.safeParse(parsed.value);
  if (!result.success) return { ok: false, problems: zodProblems(result.error), warnings };
  const definition = result.data;

  const variableNames = new Set(Object.keys(definition.variables));
  for (const [name, variable] of Object.entries(definition.variables)) {
    for (const message of validateVariable(variable)) problems.push({ path: `variables.${name}`, message });
  }
  if (problems.length === 0) problems.push(...variableReferenceProblems(definition.variables));
  for (const [where, value] of templatedStrings({ ...definition, variables: undefined })) {
    for (const message of checkTemplate(value, variableNames)) problems.push({ path: where, message });
  }
  if (problems.length === 0) {
    // Answers are checked with sample values, as a team would get them.
    const sample = resolveVariables(definition.variables, 'validation');
    definition.objectives.forEach((o, i) => {
      // Messages come as ".pattern: invalid regular expression: …".
      for (const message of checkProblems(o.answer, sample)) {
        const m = /^\.([\w[\]]+): ([\s\S]*)$/.exec(message);
        problems.push(m ? { path: `objectives[${i}].answer.${m[1]}`, message: m[2]! } : { path: `objectives[${i}].answer`, message });
      }
    });
  }

  // An item an inject releases but that is also released at the start would never wait for the inject.
  const fromInjects = new Set(definition.injects.flatMap((i) => [...i.releases.evidence.map((e) => `evidence:${e}`), ...i.releases.objectives.map((o) => `objective:${o}`)]));
  definition.evidence.forEach((e, i) => {
    if (fromInjects.has(`evidence:${e.id}`) && 'at' in e.release) warnings.push({ path: `evidence[${i}].release`, message: 'released at the start, although an inject releases it: set release: { inject: … } to make it wait' });
  });
  definition.objectives.forEach((o, i) => {
    if (fromInjects.has(`objective:${o.id}`) && 'at' in o.release) warnings.push({ path: `objectives[${i}].release`, message: 'released at the start, although an inject releases it: set release: { inject: … } to make it wait' });
  });

  const referenced = new Set<string>(['scenario.yaml']);
  for (const [i, item] of definition.evidence.entries()) {
    const entry = source.entries.get(item.file);
    referenced.add(item.file);
    if (!entry) {
      problems.push({ path: `evidence[${i}].file`, message: `no file "${item.file}" in the package` });
      continue;
    }
    if (item.templated) {
      try {
        const content = await readEntryText(entry, maxTemplatedBytes);
        for (const message of checkTemplate(content, variableNames)) problems.push({ path: `evidence[${i}] (${item.file})`, message });
      } catch {
        problems.push({ path: `evidence[${i}] (${item.file})`, message: `a templated file must be UTF-8 text of at most ${maxTemplatedBytes} bytes` });
      }
    }
  }
  for (const name of source.entries.keys()) {
    if (!referenced.has(name) && !/^(README|LICENSE|NOTICE)(\.\w+)?$/i.test(name)) warnings.push({ path: name, message: 'not used by any evidence item; it will not be imported' });
  }
  return problems.length > 0 ? { ok: false, problems, warnings } : { ok: true, definition, problems: [], warnings };
}
