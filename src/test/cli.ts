import { vi } from 'vitest';
import { runCli } from '../cli.ts';
import type { TestEnv } from './harness.ts';

// The CLI reads its database from the environment: point it at a test app's
// database and blob store, and put the environment back afterwards.
export function useTestAppEnvironment(env: () => TestEnv) {
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  return {
    apply: () => {
      process.env.DATA_DIR = env().ctx.config.dataDir;
      if (env().ctx.config.databaseUrl) process.env.DATABASE_URL = env().ctx.config.databaseUrl;
    },
    restore: () => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

/** Runs a CLI command in-process and captures what it prints. */
export async function runCaptured(...args: string[]) {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void out.push(m));
  try {
    return { code: await runCli(args), output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}
