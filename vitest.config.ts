import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Three tiers: fast unit tests beside the code, integration tests over real
// HTTP on a real database, and browser journeys in headless Chromium.
export default defineConfig({
  resolve: { alias: { '@modules': path.resolve(import.meta.dirname, 'src/modules') } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['src/**/*.int.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false },
      },
    ],
  },
});
