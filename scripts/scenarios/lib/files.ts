import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VariableSet } from './variables.ts';

// Writing a package: its evidence files and the generated parts of its
// scenario.yaml, which an author otherwise edits by hand.

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export const GENERATED_BEGIN = '# --- generated: variables (do not edit by hand; see scripts/scenarios/) ---';
export const GENERATED_END = '# --- end of generated variables ---';

export class PackageWriter {
  readonly dir: string;
  readonly files = new Map<string, string | Uint8Array>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Adds a file, by its path inside the package. */
  add(path: string, content: string | Uint8Array): void {
    if (this.files.has(path)) throw new Error(`file "${path}" written twice`);
    this.files.set(path, content);
  }

  /**
   * Writes the files, then in scenario.yaml replaces the block between the
   * generated markers with the variables, and every "<file> (SHA-256 <hex>)"
   * naming a file of the package with that file's current hash.
   */
  write(variables: VariableSet): void {
    for (const [path, content] of this.files) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    const yamlPath = join(this.dir, 'scenario.yaml');
    writeFileSync(yamlPath, updateScenarioYaml(readFileSync(yamlPath, 'utf8'), variables.toYaml(), (file) => this.files.get(file)));
  }
}

export function updateScenarioYaml(yaml: string, variablesBlock: string, fileContent: (path: string) => string | Uint8Array | undefined): string {
  const begin = yaml.indexOf(GENERATED_BEGIN);
  const end = yaml.indexOf(GENERATED_END);
  if (begin < 0 || end < begin) throw new Error(`scenario.yaml has no block between "${GENERATED_BEGIN}" and "${GENERATED_END}"`);
  const withVariables = `${yaml.slice(0, begin + GENERATED_BEGIN.length)}\n${variablesBlock}${yaml.slice(end)}`;
  return withVariables.replace(/(evidence\/[\w./-]+) \(SHA-256 [0-9a-f]{64}\)/g, (match, file: string) => {
    const content = fileContent(file);
    return content === undefined ? match : `${file} (SHA-256 ${sha256Hex(content)})`;
  });
}
