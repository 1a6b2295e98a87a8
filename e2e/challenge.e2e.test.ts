import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import yazl from 'yazl';
import { scenarioDefinition } from '../src/modules/scenarios/definition.ts';
import { demoAccounts, demoPassword } from '../src/modules/demo/seed.ts';
import { escapeRegExp, field, menuLink, newPage, pageTitleIs, shown, signIn, squash, startPlatform, step, stepAll, text, type Locale, type Platform } from './support.ts';

// The challenge as its users live it: a trainer imports the demo scenario
// package, creates an exercise with two teams and starts it; an investigator
// joins a team with its invitation code, reads the extortion e-mail in the
// evidence viewer and answers an objective from it; the other team's
// investigator and the trainer, who had the scoreboard and the live board open
// before, see the new score arrive without reloading (server-sent events).
// Texts come from the web app's catalogues; the answer comes from the evidence.

const packageDir = path.resolve(import.meta.dirname, '../scenarios/demo-extortion');
const scenario = scenarioDefinition.parse(parseYaml(readFileSync(path.join(packageDir, 'scenario.yaml'), 'utf8')));
const emailEvidence = scenario.evidence.find((e) => e.id === 'extortion-email')!;
const walletObjective = scenario.objectives.find((o) => o.id === 'ransom-wallet')!;
const walletObjectiveNumber = scenario.objectives.indexOf(walletObjective) + 1;

type DemoAccount = (typeof demoAccounts)[number] & { locale: Locale };
const account = (email: string): DemoAccount => {
  const found = demoAccounts.find((a) => a.email === email);
  if (!found) throw new Error(`No demo account ${email}`);
  return found;
};
const trainer = account('trainer@demo.cybercap.org'); // Julien Moreau, interface in French
const investigator = account('investigator.sg@demo.cybercap.org'); // Daniel Tan, English
const rival = account('investigator.br@demo.cybercap.org'); // Lucía Fernández, Spanish

const exerciseTitle = 'Silent Ledger, e2e cohort';
const teamOne = 'Team Falcon';
const teamTwo = 'Team Heron';
/** A bech32 (P2WPKH) bitcoin address, as the scenario generates them. */
const bech32Address = /^bc1q[02-9ac-hj-np-z]{38}$/;

let platform: Platform;
let workDir: string;
let packageZip: string;
const contexts: BrowserContext[] = [];

/** The package folder as a trainer would send it: a .zip with scenario.yaml at its top. */
async function zipFolder(folder: string, target: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const add = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) add(full);
      else zip.addFile(full, path.relative(folder, full).split(path.sep).join('/'));
    }
  };
  add(folder);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'cybercap-e2e-package-'));
  packageZip = path.join(workDir, `${scenario.id}-${scenario.version}.zip`);
  await Promise.all([zipFolder(packageDir, packageZip), startPlatform().then((p) => (platform = p))]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const { context, page } = await newPage(platform);
  // Fail a step in seconds rather than after Playwright's 30 s default.
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return page;
}

/** A dialog (Mantine modal) by its title. */
const dialog = (page: Page, title: string) => page.getByRole('dialog', { name: title, exact: true });

/** A tab of the play page; some carry a count after their label. */
const playTab = (page: Page, locale: Locale, id: string) => page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(text(locale, id))}`) });

/** The "Live" badge: the page follows the exercise over server-sent events (and does not poll). */
const liveBadge = (page: Page, locale: Locale) => page.getByRole('status').getByText(text(locale, 'exercises.live.on'), { exact: true });

/** A row of a table, by the team named in it. */
const teamRow = (table: Locator, team: string) => table.getByRole('row').filter({ has: table.page().getByText(team, { exact: true }) });

/** Joins a team with its invitation code, typed on the join page; lands on the team's play page. */
async function joinWithCode(page: Page, locale: Locale, code: string, exerciseId: string, team: string) {
  await menuLink(page, locale, text(locale, 'exercises.join.nav')).click();
  await page.waitForURL((url) => url.pathname === '/join');
  await pageTitleIs(page, text(locale, 'exercises.join.title'));
  await field(page, text(locale, 'exercises.join.code')).fill(code);
  await page.getByRole('button', { name: text(locale, 'exercises.join.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play`);
  await pageTitleIs(page, exerciseTitle);
  await shown(page.getByText(team, { exact: true }).first());
  // Started: no "not started" banner, the clock counts down.
  expect(await page.getByText(text(locale, 'play.banner.notStartedTitle'), { exact: true }).count()).toBe(0);
  expect((await page.getByRole('timer').getAttribute('aria-label')) ?? '').toMatch(new RegExp(`^${escapeRegExp(text(locale, 'exercises.clock.left'))}`));
}

describe('challenge journey', () => {
  it('imports the demo scenario, runs an exercise, scores a correct answer and shows it live on the scoreboards', async () => {
    const trainerPage = await open();
    const scenarioTitle = scenario.title.fr!;
    let scenarioId = '';
    let exerciseId = '';
    const codes: Record<string, string> = {};

    await step(trainerPage, 'challenge-1-import-scenario', async () => {
      await signIn(trainerPage, trainer, demoPassword);
      await menuLink(trainerPage, 'fr', text('fr', 'scenarios.nav')).click();
      await trainerPage.waitForURL((url) => url.pathname === '/scenarios');
      await pageTitleIs(trainerPage, text('fr', 'scenarios.title'));
      await shown(trainerPage.getByText(text('fr', 'scenarios.empty.title'), { exact: true }));

      await trainerPage.getByRole('main').getByRole('button', { name: text('fr', 'scenarios.import.open'), exact: true }).first().click();
      const importDialog = await shown(dialog(trainerPage, text('fr', 'scenarios.import.title')));
      const chooser = trainerPage.waitForEvent('filechooser');
      await importDialog.getByRole('button', { name: new RegExp(escapeRegExp(text('fr', 'scenarios.import.dropTitle'))) }).click();
      await (await chooser).setFiles(packageZip);

      // The validation report: valid, with the package's summary, and nothing wrong.
      const verdict = await shown(importDialog.getByRole('status').filter({ hasText: text('fr', 'scenarios.report.okTitle') }));
      await shown(verdict.getByText(scenarioTitle, { exact: true }));
      const summary = text('fr', 'scenarios.report.summary', { id: scenario.id, version: scenario.version, objectives: scenario.objectives.length, evidence: scenario.evidence.length });
      expect(squash(await verdict.textContent())).toContain(squash(summary));
      expect(await importDialog.getByRole('alert').count()).toBe(0);

      await importDialog.getByRole('button', { name: text('fr', 'scenarios.import.submit'), exact: true }).click();
      await trainerPage.waitForURL((url) => /^\/scenarios\/[^/]+$/.test(url.pathname));
      await pageTitleIs(trainerPage, scenarioTitle);
      scenarioId = new URL(trainerPage.url()).pathname.split('/')[2]!;
      await shown(trainerPage.getByText(text('fr', 'scenarios.import.done', { version: scenario.version }), { exact: true }));
    });

    await step(trainerPage, 'challenge-2-open-scenario', async () => {
      // Back to the library: the new version is listed; open it from there.
      await trainerPage.getByRole('link', { name: text('fr', 'scenarios.title'), exact: true }).click();
      await pageTitleIs(trainerPage, text('fr', 'scenarios.title'));
      await shown(trainerPage.getByText(text('fr', 'scenarios.count', { count: 1 }), { exact: true }));
      await trainerPage.getByRole('table').getByRole('link', { name: scenarioTitle, exact: true }).click();
      await trainerPage.waitForURL((url) => url.pathname === `/scenarios/${scenarioId}`);
      await pageTitleIs(trainerPage, scenarioTitle);
      const points = scenario.objectives.reduce((sum, o) => sum + o.points, 0);
      await shown(trainerPage.getByText(text('fr', 'scenarios.detail.objectivesValue', { count: scenario.objectives.length, points }), { exact: true }));
    });

    await step(trainerPage, 'challenge-3-create-exercise', async () => {
      await trainerPage.getByRole('link', { name: text('fr', 'scenarios.detail.createExercise'), exact: true }).click();
      await trainerPage.waitForURL((url) => url.pathname === '/exercises/new' && url.searchParams.get('scenario') === scenarioId);
      await pageTitleIs(trainerPage, text('fr', 'exercises.create.title'));
      // The scenario chosen on its page is the one of the new exercise.
      await shown(trainerPage.getByRole('heading', { level: 2, name: scenarioTitle, exact: true }));
      await field(trainerPage, text('fr', 'exercises.create.name')).fill(exerciseTitle);
      await trainerPage.getByRole('button', { name: text('fr', 'exercises.create.submit'), exact: true }).click();
      await trainerPage.waitForURL((url) => /^\/exercises\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
      exerciseId = new URL(trainerPage.url()).pathname.split('/')[2]!;
      await pageTitleIs(trainerPage, exerciseTitle);
      await shown(trainerPage.getByText(text('fr', 'exercises.teams.emptyTitle'), { exact: true }));
    });

    await step(trainerPage, 'challenge-4-teams', async () => {
      for (const team of [teamOne, teamTwo]) {
        await trainerPage.getByRole('main').getByRole('button', { name: text('fr', 'exercises.teams.create'), exact: true }).first().click();
        const create = await shown(dialog(trainerPage, text('fr', 'exercises.teams.createTitle')));
        await field(create, text('fr', 'exercises.teams.name')).fill(team);
        await create.getByRole('button', { name: text('fr', 'exercises.teams.createSubmit'), exact: true }).click();
        await create.waitFor({ state: 'hidden' });
        const card = await shown(trainerPage.getByRole('region', { name: team, exact: true }));
        await shown(card.getByText(text('fr', 'exercises.teams.inviteCode'), { exact: true }));
        codes[team] = squash(await card.getByText(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/).textContent());
        await shown(card.getByText(text('fr', 'exercises.teams.noMembers'), { exact: true }));
      }
      expect(codes[teamOne]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(codes[teamTwo]).not.toBe(codes[teamOne]);
    });

    await step(trainerPage, 'challenge-5-start', async () => {
      const main = trainerPage.getByRole('main');
      await main.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      const confirm = await shown(dialog(trainerPage, text('fr', 'exercises.control.startTitle')));
      await confirm.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      await shown(trainerPage.getByText(text('fr', 'exercises.control.started'), { exact: true }));
      // Running: the trainer may now pause it, and the clock counts down.
      await shown(main.getByRole('button', { name: text('fr', 'exercises.control.pause'), exact: true }));
      expect(await main.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).count()).toBe(0);
      const clock = main.getByRole('timer');
      expect((await clock.getAttribute('aria-label')) ?? '').toMatch(new RegExp(`^${escapeRegExp(text('fr', 'exercises.clock.left'))}`));
      await shown(clock.getByText(text('fr', 'exercises.phase.running'), { exact: true }));
      const digits = clock.locator('bdi');
      const first = squash(await digits.textContent());
      expect(first).toMatch(/^\d\d:\d\d:\d\d$/);
      await expect.poll(async () => squash(await digits.textContent()), { timeout: 5_000 }).not.toBe(first);
      await shown(liveBadge(trainerPage, 'fr'));

      // The trainer watches the live board from now on.
      await main.getByRole('tab', { name: text('fr', 'exercises.tab.board'), exact: true }).click();
      const board = await shown(main.getByRole('table', { name: text('fr', 'exercises.tab.board'), exact: true }));
      for (const team of [teamOne, teamTwo]) await expect.poll(async () => squash(await teamRow(board, team).getByRole('cell').nth(1).textContent()), { timeout: 5_000 }).toBe('0');
    });

    // The other team's investigator has the scoreboard open before anyone answers.
    const rivalPage = await open();
    await step(rivalPage, 'challenge-6-rival-scoreboard', async () => {
      await signIn(rivalPage, rival, demoPassword);
      await joinWithCode(rivalPage, 'es', codes[teamTwo]!, exerciseId, teamTwo);
      await playTab(rivalPage, 'es', 'play.tab.scoreboard').click();
      await rivalPage.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play/scoreboard`);
      const ranking = await shown(rivalPage.getByRole('table', { name: text('es', 'play.scoreboard.ranking'), exact: true }));
      for (const team of [teamOne, teamTwo]) await expect.poll(async () => squash(await teamRow(ranking, team).getByRole('cell').nth(3).textContent()), { timeout: 5_000 }).toBe('0');
      await shown(liveBadge(rivalPage, 'es'));
      // Any reload or navigation from now on would lose this mark.
      await rivalPage.evaluate(() => Object.assign(window, { e2eSinceAnswer: true }));
    });

    const page = await open();
    let wallet = '';
    await step(page, 'challenge-7-join', async () => {
      await signIn(page, investigator, demoPassword);
      await joinWithCode(page, 'en', codes[teamOne]!, exerciseId, teamOne);
      await shown(liveBadge(page, 'en'));
    });

    await step(page, 'challenge-8-evidence', async () => {
      await playTab(page, 'en', 'play.tab.evidence').click();
      await page.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play/evidence`);
      // What was released at the start, one row each.
      const atStart = scenario.evidence.filter((e) => 'at' in e.release && e.release.at === 'start');
      for (const e of atStart) await shown(page.getByRole('button', { name: text('en', 'play.evidence.openNamed', { title: e.title.en! }), exact: true }));

      await page.getByRole('button', { name: text('en', 'play.evidence.openNamed', { title: emailEvidence.title.en! }), exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('item') !== null);
      const main = page.getByRole('main');
      await shown(main.getByRole('heading', { level: 2, name: emailEvidence.title.en!, exact: true }));
      const fileName = path.basename(emailEvidence.file);

      // The text viewer shows the message from its first header.
      const viewer = await shown(main.getByRole('region', { name: text('en', 'play.viewer.textOf', { file: fileName }), exact: true }));
      await shown(viewer.getByText(/^Return-Path: <[^>]+@cloakpost-mail\.net>$/));

      // Searching the viewer for the demand leads to the address on the next lines.
      await main.getByRole('searchbox', { name: text('en', 'play.viewer.search'), exact: true }).fill('bitcoin address');
      await shown(main.getByText(text('en', 'play.viewer.matchOf', { current: 1, total: 1 }), { exact: true }));
      const match = await shown(viewer.locator('mark[data-current]'));
      wallet = await match.evaluate((mark) => {
        // mark → the line's text → the line; the address is on the next line that is not empty.
        for (let line = mark.parentElement?.parentElement?.nextElementSibling; line; line = line.nextElementSibling) {
          const content = line.lastElementChild?.textContent?.trim();
          if (content) return content;
        }
        return '';
      });
      expect(wallet).toMatch(bech32Address);
      await shown(viewer.getByText(wallet, { exact: true }));

      // Its SHA-256 is shown, and is that of the file the team downloads (through the page's own session).
      const shownHash = squash(await main.getByText(/^[0-9a-f]{64}$/).textContent());
      const href = await main.getByRole('link', { name: text('en', 'play.evidence.download'), exact: true }).getAttribute('href');
      const download = await page.request.get(href!);
      expect(download.status()).toBe(200);
      const body = await download.body();
      expect(createHash('sha256').update(body).digest('hex')).toBe(shownHash);
      expect(body.toString('utf8')).toMatch(new RegExp(`bitcoin address:\\r?\\n\\s*\\r?\\n\\s*${wallet}\\r?\\n`));
    });

    await stepAll([page, rivalPage, trainerPage], 'challenge-9-answer-and-live-scores', async () => {
      await playTab(page, 'en', 'play.tab.objectives').click();
      await page.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play/objectives`);
      const card = await shown(page.getByRole('region', { name: text('en', 'scenarios.objective.number', { n: walletObjectiveNumber }), exact: true }));
      await shown(card.getByText(walletObjective.prompt.en!, { exact: true }));
      await card.getByRole('textbox', { name: text('en', 'play.answer.label', { n: walletObjectiveNumber }), exact: true }).fill(wallet);
      await card.getByRole('button', { name: text('en', 'play.answer.submit'), exact: true }).click();

      // The first team to solve gets all the points (the value decays for later solvers).
      const points = walletObjective.points;
      const feedback = await shown(card.getByRole('alert').filter({ has: page.getByText(text('en', 'play.answer.correct'), { exact: true }) }));
      await shown(feedback.getByText(text('en', 'play.answer.correctText', { points }), { exact: true }));
      await shown(card.getByText(text('en', 'play.objectives.solved'), { exact: true }));

      // The other team's scoreboard: the new score arrives by itself.
      const ranking = rivalPage.getByRole('table', { name: text('es', 'play.scoreboard.ranking'), exact: true });
      const leader = teamRow(ranking, teamOne);
      await expect.poll(async () => squash(await leader.getByRole('cell').nth(3).textContent()), { timeout: 10_000 }).toBe(String(points));
      expect(squash(await leader.getByRole('cell').nth(2).textContent())).toBe('1');
      expect(squash(await leader.getByRole('cell').nth(0).textContent())).toBe('1');
      expect(squash(await teamRow(ranking, teamTwo).getByRole('cell').nth(3).textContent())).toBe('0');
      expect(await rivalPage.evaluate(() => 'e2eSinceAnswer' in window)).toBe(true);
      await shown(liveBadge(rivalPage, 'es'));

      // The trainer's live board too, with the solved cell.
      const board = trainerPage.getByRole('table', { name: text('fr', 'exercises.tab.board'), exact: true });
      await expect.poll(async () => squash(await teamRow(board, teamOne).getByRole('cell').nth(1).textContent()), { timeout: 10_000 }).toBe(String(points));
      const objective = text('fr', 'scenarios.objective.number', { n: walletObjectiveNumber });
      await shown(board.getByLabel(text('fr', 'exercises.board.cellSolved', { team: teamOne, objective, points, attempts: 1 }), { exact: true }));
    });
  });
});
