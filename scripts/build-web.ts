// Builds the web app when its sources are newer than the last build, so that a
// second start does not rebuild for nothing.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const output = 'dist/web/index.html';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sources = Math.max(newest('web'), newest('src/modules'), statSync('vite.config.ts').mtimeMs, statSync('package-lock.json').mtimeMs);
if (process.argv.includes('--force') || !existsSync(output) || statSync(output).mtimeMs < sources) {
  console.log('Building the web app…');
  execSync('vite build --logLevel warn', { stdio: 'inherit' });
}
