import { readFileSync } from 'node:fs';
import path from 'node:path';

// A short reading of a V8 .cpuprofile (node --cpu-prof): where the server's
// CPU time went, by function (self time) and by area (the product's modules,
// each dependency, Node internals, garbage collection, idle). Open the file in
// Chrome DevTools (Performance → Load profile) for the whole picture.

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] };

const root = path.resolve(import.meta.dirname, '..');

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return `dependency ${nm[1]}`;
  if (file.startsWith('node:')) return 'node internals';
  if (file.startsWith(root)) {
    const rel = path.relative(root, file);
    const mod = /^src\/modules\/([^/]+)\//.exec(rel);
    if (mod) return `src/modules/${mod[1]}`;
    return path.dirname(rel);
  }
  return file;
}

export function summarizeProfile(file: string, top = 20): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: the time deltas of the samples that landed on it.
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const fn = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(`file://${root}/`, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [`${(total / 1e6).toFixed(1)} s sampled; self time by area:`];
  for (const [k, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 14)) lines.push(`  ${share(us)}  ${k}`);
  lines.push('self time by function:');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${share(us)}  ${k}`);

  // Inclusive time of the product's own functions (synchronous stacks only: an
  // async function's time after an await is counted under the microtask that resumes it).
  const inclusive = new Map<number, number>();
  const walk = (id: number): number => {
    const n = byId.get(id)!;
    let t = self.get(id) ?? 0;
    for (const c of n.children ?? []) t += walk(c);
    inclusive.set(id, t);
    return t;
  };
  walk(profile.nodes[0]!.id);
  const own = new Map<string, number>();
  const visit = (id: number, seen: Set<string>) => {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    let next = seen;
    if (url.includes(`${root}/src/`) && functionName) {
      const key = `${functionName} ${url.replace(`file://${root}/`, '')}:${lineNumber + 1}`;
      if (!seen.has(key)) {
        own.set(key, (own.get(key) ?? 0) + (inclusive.get(id) ?? 0));
        next = new Set(seen).add(key);
      }
    }
    for (const c of n.children ?? []) visit(c, next);
  };
  visit(profile.nodes[0]!.id, new Set());
  lines.push('inclusive time of src/ functions (synchronous part):');
  for (const [k, us] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${share(us)}  ${k}`);
  return lines;
}

// `node bench/profile.ts <file.cpuprofile>` prints the summary of a profile.
if (import.meta.filename === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile.ts <file.cpuprofile> [top]');
    process.exit(1);
  }
  for (const line of summarizeProfile(file, Number(process.argv[3] ?? 30))) console.log(line);
}
