import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createIntl, type IntlShape } from 'react-intl';
import { loadConfig } from '../src/core/config.ts';
import { migrateToLatest, openDatabase } from '../src/core/db/index.ts';
import { systemClock, type Clock } from '../src/core/clock.ts';
import { buildApp } from '../src/app.ts';
import { createBlobStore } from '../src/core/storage.ts';
import { EventBus } from '../src/core/events.ts';
import { seedDemoData, seedDemoExercise } from '../src/modules/demo/seed.ts';
import { startExerciseTicker } from '../src/modules/exercises/ticker.ts';
import type { App, AppContext } from '../src/core/http/types.ts';

// Browser journeys: the real server with the built web app and the demo data,
// on a fresh embedded database, driven in Debian's headless Chromium.
const webRoot = path.resolve(import.meta.dirname, '../dist/web');
export const artifactsDir = path.resolve(import.meta.dirname, '../test-results');

export type Platform = { app: App; ctx: AppContext; baseUrl: string; browser: Browser; close: () => Promise<void> };

export type PlatformOptions = {
  /** The demo scenario and its exercise with Team Alpha and Team Bravo, as `npm start` seeds them (src/main.ts). */
  demoExercise?: boolean;
  /** The server's clock: a journey may move it forward (movableClock). */
  clock?: Clock;
  /** The exercise ticker, as in production: timed releases and legal replies arrive by themselves. */
  ticker?: boolean;
};

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm test does it)');
  if (!existsSync('/usr/bin/chromium')) throw new Error("Chromium is missing: apt-get install chromium (Debian's package)");
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cybercap-e2e-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = openDatabase({ dataDir });
  await migrateToLatest(database);
  const clock = options.clock ?? systemClock;
  await seedDemoData(database.db, clock);
  const ctx: AppContext = { config, database, clock, storage: createBlobStore(dataDir), events: new EventBus() };
  if (options.demoExercise) await seedDemoExercise(ctx);
  const app = await buildApp(ctx, { logger: false, webRoot });
  const stopTicker = options.ticker ? startExerciseTicker(ctx, (error) => console.error('exercise ticker:', error)) : () => undefined;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    app,
    ctx,
    baseUrl,
    browser,
    close: async () => {
      stopTicker();
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

// Helpers shared by the journeys (the foundation keeps its own copies).

export type Locale = 'en' | 'fr' | 'es' | 'ar';
const modulesDir = path.resolve(import.meta.dirname, '../web/src/modules');
// As the web app formats them for a browser in en-GB (web/src/i18n/locales.ts).
const formattingLocales: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR', es: 'es-ES', ar: 'ar' };
const intls = new Map<Locale, IntlShape>();

/** Every module's catalogue of a language, merged, with ICU formatting (plurals, numbers) as in the app. */
function intlOf(locale: Locale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    const messages: Record<string, string> = {};
    for (const module of readdirSync(modulesDir)) {
      const file = path.join(modulesDir, module, 'messages', `${locale}.json`);
      if (existsSync(file)) Object.assign(messages, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    }
    intl = createIntl({ locale: formattingLocales[locale], messages, onError: (error) => { throw error; } });
    intls.set(locale, intl);
  }
  return intl;
}

/** A visible text of the web app, from its catalogues; a missing key fails the test (on purpose). */
export function text(locale: Locale, id: string, values: Record<string, string | number> = {}): string {
  const intl = intlOf(locale);
  if (intl.messages[id] === undefined) throw new Error(`Message ${id} is missing from the ${locale} catalogue`);
  return intl.formatMessage({ id }, values);
}

/** Text as read on screen: every run of white space (no-break spaces too) as one space, trimmed. */
export const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its label; Mantine adds " *" to the label of a required field. */
export const field = (scope: Page | Locator, label: string) => scope.getByLabel(new RegExp(`^${escapeRegExp(label)}(\\s*\\*)?$`));

export async function shown(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

/** The h1 of the page, once its text is the expected one (pages render in stages). */
export async function pageTitleIs(page: Page, title: string): Promise<void> {
  await shown(page.getByRole('heading', { level: 1, name: title, exact: true }));
}

/** Signs in on the sign-in page (shown in the browser's language), then waits for the home page in the user's own language. */
export async function signIn(page: Page, account: { email: string; name: string; locale: Locale }, password: string): Promise<void> {
  await page.goto('/sign-in');
  await pageTitleIs(page, text('en', 'auth.signIn.title'));
  await field(page, text('en', 'auth.signIn.email')).fill(account.email);
  await field(page, text('en', 'auth.signIn.password')).fill(password);
  await page.getByRole('button', { name: text('en', 'auth.signIn.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await pageTitleIs(page, text(account.locale, 'home.title', { name: account.name.split(/\s+/)[0]! }));
}

/** A link of the side menu. */
export const menuLink = (page: Page, locale: Locale, label: string) =>
  page.getByRole('navigation', { name: text(locale, 'common.nav.label'), exact: true }).getByRole('link', { name: label, exact: true });

/** The real time, which a journey may move forward (and the game clock with it), e.g. past the delay of a legal reply. */
export function movableClock(): Clock & { advance: (minutes: number) => void } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (minutes) => {
      offsetMs += minutes * 60_000;
    },
  };
}

/** Like step(), keeping a screenshot of each of several pages (a journey of several users). */
export async function stepAll<T>(pages: Page[], name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(artifactsDir, { recursive: true });
    await Promise.all(pages.map((p, i) => p.screenshot({ path: path.join(artifactsDir, `${name.replace(/\W+/g, '-')}-${i + 1}.png`), fullPage: true }).catch(() => undefined)));
    throw error;
  }
}
