import path from 'node:path';
import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { scenarioDefinition } from '../src/modules/scenarios/definition.ts';
import { demoAccounts, demoPassword } from '../src/modules/demo/seed.ts';
import { escapeRegExp, newPage, pageTitleIs, shown, signIn, startPlatform, step, text, type Locale, type Platform } from './support.ts';

// Operation Glass Vault from a fresh start of the demo: the trainer starts the
// training exercise the demo data prepared; the investigator opens the first
// extortion e-mail, downloads it, reads it as an investigator would (a mail
// parser: the demand in the body, the origin in the lowest Received header) and
// solves the scenario's first three objectives in the play page.

const scenario = scenarioDefinition.parse(parseYaml(readFileSync(path.resolve(import.meta.dirname, '../scenarios/bitcoin-blackmail/scenario.yaml'), 'utf8')));
const exerciseTitle = 'Operation Glass Vault — training run';
const email = scenario.evidence.find((e) => e.id === 'email-1')!;

type DemoAccount = (typeof demoAccounts)[number] & { locale: Locale };
const account = (address: string) => demoAccounts.find((a) => a.email === address)! as DemoAccount;
const trainer = account('trainer@demo.cybercap.org'); // French interface
const investigator = account('investigator.sg@demo.cybercap.org'); // English interface

let platform: Platform;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  platform = await startPlatform({ demoExercise: true });
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

const tab = (page: Page, locale: Locale, id: string) => page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(text(locale, id))}`) });

describe('Operation Glass Vault journey', () => {
  it('plays the first three objectives from the demo data, with answers read from the evidence', async () => {
    const trainerPage = await open();
    await step(trainerPage, 'glass-vault-1-start', async () => {
      await signIn(trainerPage, trainer, demoPassword);
      await trainerPage.getByRole('link', { name: text('fr', 'exercises.runNamed', { title: exerciseTitle }), exact: true }).click();
      await pageTitleIs(trainerPage, exerciseTitle);
      await trainerPage.getByRole('main').getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      const confirm = await shown(trainerPage.getByRole('dialog', { name: text('fr', 'exercises.control.startTitle'), exact: true }));
      await confirm.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      await shown(trainerPage.getByText(text('fr', 'exercises.control.started'), { exact: true }));
    });

    const page = await open();
    const main = page.getByRole('main');
    let exerciseId = '';
    const answers: Record<string, string> = {};
    await step(page, 'glass-vault-2-evidence', async () => {
      await signIn(page, investigator, demoPassword);
      await page.getByRole('link', { name: text('en', 'exercises.playNamed', { title: exerciseTitle }), exact: true }).click();
      await page.waitForURL((url) => /^\/exercises\/[^/]+\/play$/.test(url.pathname));
      exerciseId = new URL(page.url()).pathname.split('/')[2]!;
      await tab(page, 'en', 'play.tab.evidence').click();
      await page.getByRole('button', { name: text('en', 'play.evidence.openNamed', { title: email.title.en! }), exact: true }).click();
      await shown(main.getByRole('heading', { level: 2, name: email.title.en!, exact: true }));
      const href = await main.getByRole('link', { name: text('en', 'play.evidence.download'), exact: true }).getAttribute('href');
      const download = await page.request.get(href!);
      expect(download.status()).toBe(200);
      const mail = await PostalMime.parse(await download.body());
      const demand = /Pay (\S+) BTC to this bitcoin address:\s+(\S+)/.exec(mail.text!)!;
      const lowest = mail.headers.filter((h) => h.key === 'received').at(-1)!.value;
      answers['ransom-wallet'] = demand[2]!;
      answers['ransom-amount'] = demand[1]!;
      answers['first-origin-ip'] = /\(unknown \[([\d.]+)\]\)/.exec(lowest)![1]!;
    });

    await step(page, 'glass-vault-3-objectives', async () => {
      await tab(page, 'en', 'play.tab.objectives').click();
      await page.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play/objectives`);
      for (const objective of scenario.objectives.slice(0, 3)) {
        const n = scenario.objectives.indexOf(objective) + 1;
        const card = await shown(page.getByRole('region', { name: text('en', 'scenarios.objective.number', { n }), exact: true }));
        await shown(card.getByText(objective.prompt.en!, { exact: true }));
        await card.getByRole('textbox', { name: text('en', 'play.answer.label', { n }), exact: true }).fill(answers[objective.id]!);
        await card.getByRole('button', { name: text('en', 'play.answer.submit'), exact: true }).click();
        await shown(card.getByRole('alert').filter({ has: page.getByText(text('en', 'play.answer.correct'), { exact: true }) }));
        await shown(card.getByText(text('en', 'play.objectives.solved'), { exact: true }));
      }
    });
  });
});
