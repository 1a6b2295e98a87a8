import type { VariableDefinition, VariableParams } from '../../../src/modules/scenarios/generators.ts';

// The per-team variables of a package, collected while its evidence is written:
// the writer of a file asks for `{{ name }}` where a team's value goes and
// declares the variable once. The `variables:` block of scenario.yaml is then
// written from here, so files and definitions cannot drift apart.

export class VariableSet {
  readonly definitions = new Map<string, VariableDefinition & { comment?: string | undefined }>();

  /** Declares `name` (once) and returns its placeholder. */
  define(name: string, definition: VariableDefinition, comment?: string): string {
    if (this.definitions.has(name)) throw new Error(`variable "${name}" is defined twice`);
    this.definitions.set(name, { ...definition, comment });
    return `{{ ${name} }}`;
  }

  /** A derived value: the sum of variables (a leading "-" subtracts) and constants, see the `sum` generator. */
  sum(name: string, terms: ReadonlyArray<string | number>, params: { decimals?: number; format?: 'number' | 'iso' | 'rfc2822' | 'unix' | 'date'; utcOffset?: string } = {}, comment?: string): string {
    return this.define(name, { generator: 'sum', params: { terms: [...terms], ...params } }, comment);
  }

  /** The placeholder of a declared variable, with filters. */
  ref(name: string, ...filters: Array<'upper' | 'lower'>): string {
    if (!this.definitions.has(name)) throw new Error(`variable "${name}" is not defined`);
    return `{{ ${[name, ...filters].join(' | ')} }}`;
  }

  /** Plain definitions, as resolveVariables takes them. */
  toDefinitions(): Record<string, VariableDefinition> {
    return Object.fromEntries([...this.definitions].map(([name, { generator, params }]) => [name, params ? { generator, params } : { generator }]));
  }

  /** The `variables:` block of scenario.yaml (two-space indented entries, one per line). */
  toYaml(): string {
    const lines = ['variables:'];
    for (const [name, { generator, params, comment }] of this.definitions) {
      if (comment) lines.push(`  # ${comment}`);
      lines.push(`  ${name}: { generator: ${generator}${params ? `, params: ${flow(params)}` : ''} }`);
    }
    return `${lines.join('\n')}\n`;
  }
}

const scalar = (v: string | number | boolean) => (typeof v === 'string' ? (/^[A-Za-z_][\w.-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(v) ? v : JSON.stringify(v)) : String(v));

function flow(params: VariableParams): string {
  const entries = Object.entries(params).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.map(scalar).join(', ')}]` : scalar(v as string | number | boolean)}`);
  return `{ ${entries.join(', ')} }`;
}
