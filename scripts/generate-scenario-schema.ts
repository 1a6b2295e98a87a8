/**
 * Generates docs/scenario.schema.json, the JSON Schema of scenario.yaml
 * (format cybercap/scenario@1), from the zod schema in
 * src/modules/scenarios/definition.ts, which stays the reference.
 *
 * The JSON Schema describes what an author may write (zod's "input" side:
 * fields with a default are optional). It is for editors and other tools; it
 * cannot express everything the platform checks, namely the cross-references
 * and uniqueness rules of the definition's superRefine (duplicate ids, unknown
 * objectives/evidence/injects, prerequisite cycles), nor the checks of the
 * package (files present, templates, generator parameters, answers). Run
 * `node src/cli.ts validate-scenario <package>` for the full validation.
 *
 * The output is committed; a unit test (definition.test.ts) fails when it no
 * longer matches the zod schema. After changing definition.ts, run:
 *
 *   node scripts/generate-scenario-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { locales } from '../src/modules/accounts/roles.ts';
import { scenarioDefinition } from '../src/modules/scenarios/definition.ts';

export const schemaId = 'https://cybercap.example.org/schemas/scenario-1.schema.json';
export const schemaFile = fileURLToPath(new URL('../docs/scenario.schema.json', import.meta.url));

const localeSet = [...locales].sort().join(',');

/** The JSON Schema as an object, built afresh from definition.ts. */
export function buildScenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioDefinition, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      // localizedText() refines "at least one language", which zod cannot
      // translate; an object keyed by the locales gets minProperties: 1.
      const names = (jsonSchema.propertyNames as { enum?: unknown[] } | undefined)?.enum;
      if (jsonSchema.type === 'object' && Array.isArray(names) && [...names].map(String).sort().join(',') === localeSet) {
        jsonSchema.minProperties = 1;
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: schemaId,
    title: 'Cybercap scenario definition (scenario.yaml, format cybercap/scenario@1)',
    description:
      'Generated from src/modules/scenarios/definition.ts by scripts/generate-scenario-schema.ts; do not edit by hand. ' +
      'Not expressed here, but checked on validation and import: unique ids, references between objectives, evidence, hints and injects, ' +
      'prerequisite cycles, the files of the package, templates, generator parameters and answer checks. See docs/scenario-format.md.',
    ...rest,
  };
}

/** The file's exact text: two-space indentation and a final newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(buildScenarioJsonSchema(), null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(schemaFile, renderScenarioJsonSchema());
  console.log(`Wrote ${schemaFile}`);
}
