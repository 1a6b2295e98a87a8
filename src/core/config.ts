import { z } from 'zod';

// Every setting comes from the environment and is validated once at start:
// a wrong value stops the process with a message naming the variable.
const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL (leave unset for the embedded SQLite database)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: boolFlag.default(false),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(8 * 60),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(7 * 24),
  PASSWORD_RESET_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10000).default(30),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  DEMO_DATA: boolFlag.default(true),
  SCENARIO_MAX_FILES: z.coerce.number().int().min(1).max(100_000).default(2000),
  SCENARIO_MAX_FILE_MB: z.coerce.number().int().min(1).max(1024 * 1024).default(4096),
  SCENARIO_MAX_TOTAL_MB: z.coerce.number().int().min(1).max(1024 * 1024).default(8192),
  ANSWER_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  ANSWER_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  STIX_IMPORT_MAX_MB: z.coerce.number().int().min(1).max(64 * 1024).default(1024),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  publicUrl: string | undefined;
  trustProxy: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  passwordResetHours: number;
  login: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockSeconds: number };
  demoData: boolean;
  scenarioLimits: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number; maxCompressionRatio: number };
  /** Answers a team may submit per window (all objectives together). */
  answerRateLimit: { max: number; windowSeconds: number };
  /** Largest STIX bundle accepted for import (JSON body or uploaded file); it is read as a stream. */
  stixImportMaxBytes: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings from .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    passwordResetHours: e.PASSWORD_RESET_HOURS,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
    },
    demoData: e.DEMO_DATA,
    scenarioLimits: {
      maxFiles: e.SCENARIO_MAX_FILES,
      maxFileBytes: e.SCENARIO_MAX_FILE_MB * 1024 * 1024,
      maxTotalBytes: e.SCENARIO_MAX_TOTAL_MB * 1024 * 1024,
      maxCompressionRatio: 200,
    },
    answerRateLimit: { max: e.ANSWER_RATE_LIMIT, windowSeconds: e.ANSWER_RATE_WINDOW_SECONDS },
    stixImportMaxBytes: e.STIX_IMPORT_MAX_MB * 1024 * 1024,
  };
}
