import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../src/core/config.ts';
import { migrateToLatest, openDatabase } from '../src/core/db/index.ts';
import { systemClock } from '../src/core/clock.ts';
import { buildApp } from '../src/app.ts';
import { createBlobStore } from '../src/core/storage.ts';
import { EventBus } from '../src/core/events.ts';
import { seedDemoData } from '../src/modules/demo/seed.ts';
import type { App } from '../src/core/http/types.ts';

// Browser journeys: the real server with the built web app and the demo data,
// on a fresh embedded database, driven in Debian's headless Chromium.
const webRoot = path.resolve(import.meta.dirname, '../dist/web');
export const artifactsDir = path.resolve(import.meta.dirname, '../test-results');

export type Platform = { app: App; baseUrl: string; browser: Browser; close: () => Promise<void> };

export async function startPlatform(): Promise<Platform> {
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm test does it)');
  if (!existsSync('/usr/bin/chromium')) throw new Error("Chromium is missing: apt-get install chromium (Debian's package)");
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cybercap-e2e-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = openDatabase({ dataDir });
  await migrateToLatest(database);
  await seedDemoData(database.db, systemClock);
  const app = await buildApp({ config, database, clock: systemClock, storage: createBlobStore(dataDir), events: new EventBus() }, { logger: false, webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    app,
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(platform: Platform): Promise<{ context: BrowserContext; page: Page }> {
  const context = await platform.browser.newContext({ baseURL: platform.baseUrl, viewport: { width: 1366, height: 850 }, locale: 'en-GB' });
  const page = await context.newPage();
  return { context, page };
}

/** Keeps a screenshot of the page when a journey step fails, for the CI artifacts. */
export async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, `${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

export const cleanArtifacts = () => rmSync(artifactsDir, { recursive: true, force: true });
