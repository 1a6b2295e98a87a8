import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpNow } from '../src/core/auth/totp.ts';
import { demoAccounts, demoPassword } from '../src/modules/demo/seed.ts';
import { newPage, startPlatform, step, type Platform } from './support.ts';

// The foundation's journeys as a user lives them: sign in, switch the
// interface to Arabic (right to left), turn on two-factor authentication,
// sign in again with a code, sign out; and who sees the administration.
// Every visible text is taken from the web app's catalogues, so rewording a
// message does not break the tests (a missing key does, on purpose).

type Locale = 'en' | 'fr' | 'es' | 'ar';
const modulesDir = path.resolve(import.meta.dirname, '../web/src/modules');

function loadCatalogue(locale: Locale): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const module of readdirSync(modulesDir)) {
    let text: string;
    try {
      text = readFileSync(path.join(modulesDir, module, 'messages', `${locale}.json`), 'utf8');
    } catch {
      continue;
    }
    Object.assign(merged, JSON.parse(text) as Record<string, string>);
  }
  return merged;
}

const catalogues = { en: loadCatalogue('en'), fr: loadCatalogue('fr'), ar: loadCatalogue('ar') } as const;

/** A catalogue message with its simple `{placeholders}` filled in (no plural forms needed here). */
function msg(locale: keyof typeof catalogues, id: string, values: Record<string, string> = {}): string {
  const text = catalogues[locale][id];
  if (text === undefined) throw new Error(`Message ${id} is missing from the ${locale} catalogue`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const account = (email: string) => {
  const found = demoAccounts.find((a) => a.email === email);
  if (!found) throw new Error(`No demo account ${email}`);
  return found;
};
const trainer = account('trainer@demo.cybercap.org'); // Julien Moreau, interface in French
const admin = account('admin@demo.cybercap.org');
const participant = account('investigator.sg@demo.cybercap.org'); // Daniel Tan, alone in his unit
const firstName = (name: string) => name.split(/\s+/)[0]!;

let platform: Platform;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  platform = await startPlatform();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.close();
});

async function open(): Promise<Page> {
  const { context, page } = await newPage(platform);
  // Fail a step in seconds rather than after Playwright's 30 s default.
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return page;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its label; Mantine adds " *" to the label of a required field. */
const field = (scope: Page | Locator, label: string) => scope.getByLabel(new RegExp(`^${escapeRegExp(label)}(\\s*\\*)?$`));

const shown = async (locator: Locator) => {
  await locator.waitFor({ state: 'visible' });
  return locator;
};

/** The h1 of the page, once its text is the expected one (pages render in stages). */
async function pageTitleIs(page: Page, text: string) {
  await shown(page.getByRole('heading', { level: 1, name: text, exact: true }));
}

async function signInWithPassword(page: Page, locale: keyof typeof catalogues, email: string) {
  await pageTitleIs(page, msg(locale, 'auth.signIn.title'));
  await field(page, msg(locale, 'auth.signIn.email')).fill(email);
  await field(page, msg(locale, 'auth.signIn.password')).fill(demoPassword);
  await page.getByRole('button', { name: msg(locale, 'auth.signIn.submit'), exact: true }).click();
}

async function openUserMenu(page: Page, locale: keyof typeof catalogues, name: string) {
  await page.getByRole('button', { name: msg(locale, 'common.userMenu.open', { name }), exact: true }).click();
}

/** Signs out from the user menu; answers where the sign-in page will lead back to (its `next`). */
async function signOut(page: Page, locale: keyof typeof catalogues, name: string): Promise<string> {
  await openUserMenu(page, locale, name);
  await page.getByRole('menuitem', { name: msg(locale, 'common.userMenu.signOut'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/sign-in');
  await pageTitleIs(page, msg(locale, 'auth.signIn.title'));
  return new URL(page.url()).searchParams.get('next') ?? '/';
}

const htmlAttributes = (page: Page) =>
  page.evaluate(() => ({ dir: document.documentElement.dir, lang: document.documentElement.lang, direction: getComputedStyle(document.body).direction }));

/** The session as the server sees it (the page's cookies), or the HTTP status when there is none. */
async function serverSession(page: Page): Promise<{ status: number; locale?: string; totpEnabled?: boolean; stage?: string }> {
  const response = await page.request.get('/api/auth/session');
  if (!response.ok()) return { status: response.status() };
  const body = (await response.json()) as { stage: string; user: { locale: string; totpEnabled: boolean } };
  return { status: response.status(), locale: body.user.locale, totpEnabled: body.user.totpEnabled, stage: body.stage };
}

describe('foundation journeys', () => {
  it('signs in, switches to Arabic, turns on two-factor, signs in with a code and signs out', async () => {
    const page = await open();
    const name = trainer.name;
    let secret = '';

    await step(page, 'foundation-1-sign-in', async () => {
      await page.goto('/');
      // Signed out: the guard sends the visitor to sign in (browser in English).
      await page.waitForURL((url) => url.pathname === '/sign-in');
      await signInWithPassword(page, 'en', trainer.email);
      await page.waitForURL((url) => url.pathname === '/');
      // The trainer's profile language (French) takes over once signed in.
      await pageTitleIs(page, msg('fr', 'home.title', { name: firstName(name) }));
      await shown(page.getByRole('button', { name: msg('fr', 'common.userMenu.open', { name }), exact: true }));
      expect(await htmlAttributes(page)).toMatchObject({ dir: 'ltr', lang: 'fr' });
    });

    await step(page, 'foundation-2-arabic', async () => {
      await page.getByRole('button', { name: msg('fr', 'common.language.choose', { current: 'Français' }), exact: true }).click();
      await page.getByRole('menuitem', { name: 'العربية', exact: true }).click();
      await pageTitleIs(page, msg('ar', 'home.title', { name: firstName(name) }));
      expect(await htmlAttributes(page)).toEqual({ dir: 'rtl', lang: 'ar', direction: 'rtl' });
      await expect.poll(() => page.title()).toBe(`${msg('ar', 'home.title', { name: firstName(name) })} · Cybercap`);
      const nav = page.getByRole('navigation', { name: msg('ar', 'common.nav.label'), exact: true });
      await shown(nav.getByRole('link', { name: msg('ar', 'home.nav'), exact: true }));
      // No English left in the menu, the header or the page title.
      expect(await nav.getByRole('link', { name: msg('en', 'home.nav'), exact: true }).count()).toBe(0);
      await shown(page.getByRole('button', { name: msg('ar', 'common.language.choose', { current: 'العربية' }), exact: true }));
      // The side menu is on the right in RTL.
      const navBox = await nav.boundingBox();
      expect(navBox && navBox.x).toBeGreaterThan(1366 / 2);

      // Saved to the profile on the server, not only in this browser.
      await expect.poll(async () => (await serverSession(page)).locale).toBe('ar');

      // The profile shows the e-mail address left to right inside the Arabic page.
      await openUserMenu(page, 'ar', name);
      await page.getByRole('menuitem', { name: msg('ar', 'common.userMenu.profile'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/profile/details');
      await pageTitleIs(page, msg('ar', 'profile.title'));
      const email = await shown(page.getByRole('main').locator('bdi[dir="ltr"]', { hasText: trainer.email }));
      expect(await email.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      const emailInput = field(page, msg('ar', 'profile.details.email'));
      expect(await emailInput.inputValue()).toBe(trainer.email);
      expect(await emailInput.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');

      // Reload without the browser's own memory of the choice: the profile brings Arabic back.
      await page.evaluate(() => window.localStorage.clear());
      await page.reload();
      await pageTitleIs(page, msg('ar', 'profile.title'));
      expect(await htmlAttributes(page)).toEqual({ dir: 'rtl', lang: 'ar', direction: 'rtl' });
      await shown(page.getByRole('navigation', { name: msg('ar', 'common.nav.label'), exact: true }).getByRole('link', { name: msg('ar', 'home.nav'), exact: true }));
    });

    await step(page, 'foundation-3-enrol-totp', async () => {
      await openUserMenu(page, 'ar', name);
      await page.getByRole('menuitem', { name: msg('ar', 'common.userMenu.security'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/profile/two-factor');
      await shown(page.getByRole('tab', { name: msg('ar', 'profile.tab.twoFactor'), exact: true, selected: true }));
      await shown(page.getByText(msg('ar', 'profile.totp.off'), { exact: true }));
      await page.getByRole('button', { name: msg('ar', 'auth.totp.begin'), exact: true }).click();

      await shown(page.getByRole('img', { name: msg('ar', 'auth.totp.qrAlt'), exact: true }));
      const secretField = await shown(page.getByRole('group', { name: msg('ar', 'auth.totp.secretLabel'), exact: true }).locator('[data-copy-value]'));
      expect(await secretField.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      secret = ((await secretField.textContent()) ?? '').replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

      await field(page, msg('ar', 'auth.totp.code')).fill(totpNow(secret));
      await page.getByRole('button', { name: msg('ar', 'auth.totp.enable'), exact: true }).click();
      await shown(page.getByText(msg('ar', 'profile.totp.on'), { exact: true }));
      await shown(page.getByText(msg('ar', 'auth.totp.enabled'), { exact: true }));
      await shown(page.getByRole('button', { name: msg('ar', 'profile.totp.disable'), exact: true }));
      expect(await serverSession(page)).toMatchObject({ totpEnabled: true });
    });

    await step(page, 'foundation-4-second-factor', async () => {
      const next = await signOut(page, 'ar', name);
      expect((await serverSession(page)).status).toBe(401);
      expect(await htmlAttributes(page)).toMatchObject({ dir: 'rtl', lang: 'ar' });

      await signInWithPassword(page, 'ar', trainer.email);
      await pageTitleIs(page, msg('ar', 'auth.secondFactor.title'));
      expect(await serverSession(page)).toMatchObject({ stage: 'totp' });
      const code = field(page, msg('ar', 'auth.secondFactor.code'));
      const submit = page.getByRole('button', { name: msg('ar', 'auth.secondFactor.submit'), exact: true });

      // A code from none of the accepted time steps.
      const valid = new Set([-60, -30, 0, 30, 60].map((s) => totpNow(secret, new Date(Date.now() + s * 1000))));
      const wrong = ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c))!;
      await code.fill(wrong);
      await submit.click();
      await shown(page.getByText(msg('ar', 'errors.totp_invalid'), { exact: true }));
      expect(await code.getAttribute('aria-invalid')).toBe('true');
      expect(page.url()).toContain('/sign-in');

      // The code of the next 30-s step: accepted (±1 step of drift) and never
      // one already used for the enrolment (replay protection).
      await code.fill(totpNow(secret, new Date(Date.now() + 30_000)));
      await submit.click();
      // Signed in: the app opens where the sign-in page was told to go back to.
      await page.waitForURL((url) => url.pathname === next);
      expect(await serverSession(page)).toMatchObject({ stage: 'active', totpEnabled: true, locale: 'ar' });
      await page.getByRole('navigation', { name: msg('ar', 'common.nav.label'), exact: true }).getByRole('link', { name: msg('ar', 'home.nav'), exact: true }).click();
      await pageTitleIs(page, msg('ar', 'home.title', { name: firstName(name) }));
      await shown(page.getByText(msg('ar', 'home.security.totpOn'), { exact: true }));
    });

    await step(page, 'foundation-5-sign-out', async () => {
      await signOut(page, 'ar', name);
      expect((await serverSession(page)).status).toBe(401);
      await page.goto('/profile');
      await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/profile');
      await pageTitleIs(page, msg('ar', 'auth.signIn.title'));
      await shown(field(page, msg('ar', 'auth.signIn.email')));
    });
  });

  it('shows the administration to an administrator, and keeps a participant out of it', async () => {
    const adminPage = await open();
    await step(adminPage, 'admin-users', async () => {
      await adminPage.goto('/sign-in');
      await signInWithPassword(adminPage, 'en', admin.email);
      await pageTitleIs(adminPage, msg('en', 'home.title', { name: firstName(admin.name) }));
      const nav = adminPage.getByRole('navigation', { name: msg('en', 'common.nav.label'), exact: true });
      const administration = nav.getByRole('group', { name: msg('en', 'common.nav.administration'), exact: true });
      for (const entry of ['users.nav', 'organisations.nav', 'audit.nav', 'security.nav']) {
        await shown(administration.getByRole('link', { name: msg('en', entry), exact: true }));
      }
      await administration.getByRole('link', { name: msg('en', 'users.nav'), exact: true }).click();
      await adminPage.waitForURL((url) => url.pathname === '/admin/users');
      await pageTitleIs(adminPage, msg('en', 'users.title'));
      const table = adminPage.locator('table');
      for (const a of demoAccounts) {
        await shown(table.getByRole('button', { name: msg('en', 'users.openNamed', { name: a.name }), exact: true }));
        await shown(table.getByText(a.email, { exact: true }));
      }
      // The administrator may also create accounts.
      await shown(adminPage.getByRole('main').getByRole('button', { name: msg('en', 'users.create'), exact: true }).first());
    });

    const page = await open();
    await step(page, 'participant-no-admin', async () => {
      await page.goto('/sign-in');
      await signInWithPassword(page, 'en', participant.email);
      await pageTitleIs(page, msg('en', 'home.title', { name: firstName(participant.name) }));
      const nav = page.getByRole('navigation', { name: msg('en', 'common.nav.label'), exact: true });
      await shown(nav.getByRole('link', { name: msg('en', 'home.nav'), exact: true }));
      // Audit log and security settings are for administrators only: no menu entry…
      for (const entry of ['audit.nav', 'security.nav']) {
        expect(await nav.getByRole('link', { name: msg('en', entry), exact: true }).count()).toBe(0);
      }
      // …and typing their address shows "access restricted", not the page.
      for (const address of ['/admin/audit', '/admin/security']) {
        await page.goto(address);
        await shown(page.getByText(msg('en', 'common.forbidden.title'), { exact: true }));
        await shown(page.getByRole('link', { name: msg('en', 'common.action.backHome'), exact: true }));
      }
      // The user list is readable by a participant, but only for their own unit,
      // and without the administrator's actions.
      await page.goto('/admin/users');
      await pageTitleIs(page, msg('en', 'users.title'));
      const table = page.locator('table');
      await shown(table.getByRole('button', { name: msg('en', 'users.openNamed', { name: participant.name }), exact: true }));
      expect(await table.getByRole('button', { name: msg('en', 'users.openNamed', { name: admin.name }), exact: true }).count()).toBe(0);
      expect(await table.locator('tbody tr').count()).toBe(demoAccounts.filter((a) => a.org === participant.org).length);
      expect(await page.getByRole('button', { name: msg('en', 'users.create'), exact: true }).count()).toBe(0);
    });
  });

  // Whoever signs in next on a shared laptop must not be taken to the previous user's page.
  it('signing out leads to a plain sign-in page, without a way back to the page left', async () => {
    const page = await open();
    const expert = account('expert@demo.cybercap.org');
    await page.goto('/sign-in');
    await signInWithPassword(page, 'en', expert.email);
    await pageTitleIs(page, msg('en', 'home.title', { name: firstName(expert.name) }));
    await page.goto('/profile/sessions');
    await pageTitleIs(page, msg('en', 'profile.title'));
    const next = await signOut(page, 'en', expert.name);
    expect(next).toBe('/');
  });
});
