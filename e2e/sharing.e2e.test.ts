import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoPassword } from '../src/modules/demo/seed.ts';
import { escapeRegExp, field, menuLink, newPage, pageTitleIs, shown, signIn, startPlatform, step, text, type Locale, type Platform } from './support.ts';

// Information sharing as its users live it (docs/sharing.md): Meridian Bank, a
// partner with a data-sharing agreement in force up to TLP:AMBER whose scope
// names the Singapore unit, files a phishing report at TLP:AMBER with two
// indicators, one of them an IPv4 already reported by the Kenyan unit at
// TLP:GREEN. Singapore's investigator sees the report and its correlation with
// the earlier one; Brazil's, out of the agreement's scope, sees neither the
// report in the list nor the report at its address (not found).
// The agreement and the earlier report are set up through the API, as the
// demo administrator and the Kenyan working-group member.

type DemoAccount = (typeof demoAccounts)[number] & { locale: Locale };
const account = (email: string): DemoAccount => {
  const found = demoAccounts.find((a) => a.email === email);
  if (!found) throw new Error(`No demo account ${email}`);
  return found;
};
const administrator = account('admin@demo.cybercap.org');
const kenya = account('head.ke@demo.cybercap.org'); // Grace Wanjiru, working-group member of the Kenyan unit
const analyst = account('analyst@demo.cybercap.org'); // Omar Khalil, Meridian Bank, interface in Arabic
const singapore = account('investigator.sg@demo.cybercap.org'); // Daniel Tan, English
const brazil = account('investigator.br@demo.cybercap.org'); // Lucía Fernández, Spanish

const partnerName = 'Meridian Bank';
const singaporeUnit = 'Cybercrime Command (Singapore)';
const sharedIp = '203.0.113.77';
const otherDomain = 'meridian-secure-login.top';
const earlierTitle = 'Phishing kit hosting seen in Nairobi';
const reportTitle = 'Credential phishing against Meridian Bank customers';
const reportSummary = 'Customers received SMS messages linking to a fake sign-in page that collects their online banking credentials.';

let platform: Platform;
const contexts: BrowserContext[] = [];

/** A browser-like API client for the setup: the session cookie, and the CSRF token on changes. */
async function apiSession(email: string) {
  let cookie = '';
  let csrf = '';
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const res = await fetch(platform.baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie?.startsWith('cybercap_session=')) cookie = setCookie.split(';')[0]!;
    const parsed = (await res.json().catch(() => null)) as Record<string, any> | null;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(parsed)}`);
    const token = parsed?.session?.csrfToken ?? parsed?.csrfToken;
    if (typeof token === 'string') csrf = token;
    return parsed as T;
  };
  await call('POST', '/api/auth/sign-in', { email, password: demoPassword });
  return {
    get: <T = any>(url: string) => call<T>('GET', url),
    post: <T = any>(url: string, body: unknown) => call<T>('POST', url, body),
  };
}

beforeAll(async () => {
  platform = await startPlatform();
  const admin = await apiSession(administrator.email);
  const orgId = async (name: string) => {
    const page = await admin.get<{ items: Array<{ id: string; name: string }> }>(`/api/organisations?search=${encodeURIComponent(name)}&pageSize=200`);
    const found = page.items.find((o) => o.name === name);
    if (!found) throw new Error(`No organisation ${name}`);
    return found.id;
  };
  const [meridianId, singaporeId] = [await orgId(partnerName), await orgId(singaporeUnit)];
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const agreement = await admin.post<{ id: string }>('/api/partner-agreements', {
    organisationId: meridianId,
    kind: 'data_sharing',
    title: 'Fraud and phishing data sharing',
    reference: 'DSA-E2E-001',
    startsOn: yesterday,
    dataCategories: ['phishing', 'bec'],
    maxTlp: 'amber',
    scopeOrganisationIds: [singaporeId],
  });
  const active = await admin.post<{ status: string }>(`/api/partner-agreements/${agreement.id}/status`, { status: 'active' });
  expect(active.status).toBe('active');

  // The earlier report, by a police unit, to the whole community (GREEN).
  const ke = await apiSession(kenya.email);
  const now = new Date().toISOString();
  await ke.post('/api/sharing/reports', {
    title: earlierTitle,
    summary: 'A phishing kit imitating several banks was hosted on this address.',
    crimeType: 'phishing',
    confidence: 70,
    tlp: 'green',
    indicators: [{ type: 'ipv4', value: sharedIp, firstSeen: now, lastSeen: now }],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.close();
});

async function open(): Promise<Page> {
  const { context, page } = await newPage(platform);
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return page;
}

/** Picks an option of a Mantine Select (the listbox is rendered in a portal). */
async function choose(page: Page, input: Locator, option: string | RegExp) {
  await input.click();
  await page.getByRole('option', { name: option, ...(typeof option === 'string' ? { exact: true } : {}) }).click();
}

/** Opens the information-sharing list from the side menu. */
async function openReports(page: Page, locale: Locale): Promise<Locator> {
  await menuLink(page, locale, text(locale, 'sharing.nav')).click();
  await page.waitForURL((url) => url.pathname === '/sharing');
  await pageTitleIs(page, text(locale, 'sharing.title'));
  return page.getByRole('main');
}

describe('information sharing journey', () => {
  it('a partner files an AMBER report; the police unit in scope sees it and its correlation, the one out of scope does not', async () => {
    const page = await open();
    let reportId = '';

    await step(page, 'sharing-1-partner-files-report', async () => {
      const ar = 'ar' as const;
      await signIn(page, analyst, demoPassword);
      const main = await openReports(page, ar);
      await main.getByRole('link', { name: text(ar, 'sharing.new.action'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/sharing/reports/new');
      await pageTitleIs(page, text(ar, 'sharing.new.title'));

      await field(main, text(ar, 'sharing.field.title')).fill(reportTitle);
      await field(main, text(ar, 'sharing.field.summary')).fill(reportSummary);
      await choose(page, field(main, text(ar, 'sharing.field.crimeType')), text(ar, 'partners.category.phishing'));
      await choose(page, field(main, text(ar, 'sharing.field.tlp')), /^TLP:AMBER(?!\+)/);
      await expect.poll(() => field(main, text(ar, 'sharing.field.tlp')).inputValue()).toBe('TLP:AMBER');

      const first = main.getByRole('group', { name: text(ar, 'sharing.field.indicatorN', { n: 1 }), exact: true });
      await field(first, text(ar, 'sharing.field.value')).fill(sharedIp);
      await main.getByRole('button', { name: text(ar, 'sharing.field.addIndicator'), exact: true }).click();
      const second = await shown(main.getByRole('group', { name: text(ar, 'sharing.field.indicatorN', { n: 2 }), exact: true }));
      await choose(page, field(second, text(ar, 'sharing.field.type')), text(ar, 'sharing.type.domain'));
      await field(second, text(ar, 'sharing.field.value')).fill(otherDomain);

      await main.getByRole('button', { name: text(ar, 'sharing.new.submit'), exact: true }).click();
      await page.waitForURL((url) => /^\/sharing\/reports\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
      reportId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]!);
      await pageTitleIs(page, reportTitle);
      await shown(page.getByText(text(ar, 'sharing.new.created', { title: reportTitle }), { exact: true }));
      await shown(main.getByText(text(ar, 'sharing.tlpText.amber'), { exact: true }));
      const indicators = main.getByRole('table', { name: text(ar, 'sharing.field.indicators'), exact: true });
      await shown(indicators.getByText(sharedIp, { exact: true }));
      await shown(indicators.getByText(otherDomain, { exact: true }));
    });

    const sgPage = await open();
    await step(sgPage, 'sharing-2-singapore-sees-report-and-correlation', async () => {
      const en = 'en' as const;
      await signIn(sgPage, singapore, demoPassword);
      const main = await openReports(sgPage, en);
      const list = main.getByRole('table', { name: text(en, 'sharing.title'), exact: true });
      const row = list.getByRole('row').filter({ has: sgPage.getByRole('link', { name: reportTitle, exact: true }) });
      await shown(row.getByText('TLP:AMBER', { exact: true }));
      await shown(row.getByText(partnerName, { exact: true }));
      await row.getByRole('link', { name: reportTitle, exact: true }).click();
      await sgPage.waitForURL((url) => url.pathname === `/sharing/reports/${reportId}`);
      await pageTitleIs(sgPage, reportTitle);
      await shown(main.getByText(reportSummary, { exact: true }));

      const indicators = main.getByRole('table', { name: text(en, 'sharing.field.indicators'), exact: true });
      const ipRow = indicators.getByRole('row').filter({ has: sgPage.getByText(sharedIp, { exact: true }) });
      await ipRow.getByRole('button', { name: text(en, 'sharing.corr.show'), exact: true }).click();
      const earlier = await shown(ipRow.getByRole('link', { name: earlierTitle, exact: true }));
      await shown(ipRow.getByText('TLP:GREEN', { exact: true }));
      await shown(ipRow.getByText(/^Cybercrime Unit, Directorate of Criminal Investigations \(Kenya\)$/));

      // The domain is in no other report.
      const domainRow = indicators.getByRole('row').filter({ has: sgPage.getByText(otherDomain, { exact: true }) });
      await domainRow.getByRole('button', { name: text(en, 'sharing.corr.show'), exact: true }).click();
      await shown(domainRow.getByText(text(en, 'sharing.corr.none'), { exact: true }));

      // The correlation leads to the earlier report.
      await earlier.click();
      await sgPage.waitForURL((url) => url.pathname !== `/sharing/reports/${reportId}` && url.pathname.startsWith('/sharing/reports/'));
      await pageTitleIs(sgPage, earlierTitle);
    });

    const brPage = await open();
    await step(brPage, 'sharing-3-brazil-does-not-see-it', async () => {
      const es = 'es' as const;
      await signIn(brPage, brazil, demoPassword);
      const main = await openReports(brPage, es);
      const list = main.getByRole('table', { name: text(es, 'sharing.title'), exact: true });
      // The list has loaded (the community's GREEN report is there), without the AMBER one.
      await shown(list.getByRole('link', { name: earlierTitle, exact: true }));
      await shown(main.getByText(text(es, 'sharing.reports.count', { count: 1 }), { exact: true }));
      expect(await list.getByRole('link', { name: reportTitle, exact: true }).count()).toBe(0);

      // Its address, typed directly: not found, and nothing of the report shown.
      await brPage.goto(`/sharing/reports/${encodeURIComponent(reportId)}`);
      const alert = await shown(main.getByRole('alert').filter({ hasText: text(es, 'errors.not_found') }));
      await shown(alert.getByText(text(es, 'common.error.loadTitle'), { exact: true }));
      expect(await brPage.getByText(reportTitle).count()).toBe(0);
      expect(await brPage.getByText(new RegExp(escapeRegExp(sharedIp))).count()).toBe(0);
    });
  });
});
