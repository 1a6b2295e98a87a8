import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './core/config.ts';
import { migrateToLatest, openDatabase } from './core/db/index.ts';
import { systemClock } from './core/clock.ts';
import { createBlobStore } from './core/storage.ts';
import { EventBus } from './core/events.ts';
import { createPgTransport } from './core/events-pg.ts';
import { buildApp } from './app.ts';
import { startExerciseTicker } from './modules/exercises/ticker.ts';
import { demoAccounts, demoPassword, seedDemoData, seedDemoExercise } from './modules/demo/seed.ts';

async function main() {
  // A .env file beside the app is read if present; the real environment wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const database = openDatabase(config);
  await migrateToLatest(database);
  const ctx = { config, database, clock: systemClock, storage: createBlobStore(config.dataDir), events: new EventBus() };
  if (config.demoData) {
    await seedDemoData(database.db, systemClock);
    await seedDemoExercise(ctx);
  }
  const app = await buildApp(ctx);
  // Several processes on one PostgreSQL hear each other's live events over LISTEN/NOTIFY.
  if (config.databaseUrl) {
    await ctx.events.useTransport(createPgTransport({ connectionString: config.databaseUrl, onError: (error) => app.log.warn({ err: error }, 'live events transport') }));
  }
  app.addHook('onClose', async () => ctx.events.close());
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const stopTicker = startExerciseTicker(ctx, (error) => app.log.error({ err: error }, 'exercise ticker'));
  app.addHook('onClose', async () => stopTicker());
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    '',
    `  Cybercap is running at ${url}`,
    `  Database: ${database.dialect === 'sqlite' ? `embedded SQLite in ${config.dataDir}` : 'PostgreSQL'}`,
    `  API reference: ${url}/api/docs`,
  ];
  if (config.demoData) {
    lines.push('', `  Demo accounts (password: ${demoPassword}):`);
    for (const a of demoAccounts) lines.push(`    ${a.roles.join(', ').padEnd(22)} ${a.email}`);
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Cybercap could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
