// Installs dependencies when they are missing or older than the lockfile.
// Plain JavaScript on purpose: on a fresh clone this runs on the system Node
// (possibly 20) before the repo's own Node 24 is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || !existsSync('node_modules/.bin/node') || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.log('Installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
