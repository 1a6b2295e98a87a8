import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { scenarioDefinition } from '../src/modules/scenarios/definition.ts';
import { renderTemplate } from '../src/modules/scenarios/templates.ts';
import { demoAccounts, demoPassword } from '../src/modules/demo/seed.ts';
import { skillLabel } from '../src/modules/scenarios/skills.ts';
import { escapeRegExp, field, movableClock, newPage, pageTitleIs, shown, signIn, startPlatform, step, stepAll, text, type Locale, type Platform } from './support.ts';

// From investigation to prosecution, on the demo exercise as `npm start` seeds
// it: the trainer starts it; Team Alpha's investigator (its captain) brings a
// charge in the case file and cites two exhibits for one element (the case file
// is read-only while the trainer pauses the exercise), adds a value selected in
// the workbench's viewer to the case file, sends a
// request for subscriber information to the access provider about the sending
// IP address (the game clock is then moved past the provider's delay, and the
// reply arrives with its evidence without reloading), and asks the experts for
// advice; the expert claims and answers it on the advice desk; the captain
// submits the final case file, the expert evaluates it, and the team reads its
// after-action report and downloads it as a PDF.
// Texts come from the web app's catalogues and the scenario; the team's own
// values (its sending IP) from its variables, as the evidence shows them.

const scenario = scenarioDefinition.parse(parseYaml(readFileSync(path.resolve(import.meta.dirname, '../scenarios/demo-extortion/scenario.yaml'), 'utf8')));
const exerciseTitle = 'Operation Silent Ledger — demo run';
const teamName = 'Team Alpha';

type DemoAccount = (typeof demoAccounts)[number] & { locale: Locale };
const account = (email: string): DemoAccount => {
  const found = demoAccounts.find((a) => a.email === email);
  if (!found) throw new Error(`No demo account ${email}`);
  return found;
};
const trainer = account('trainer@demo.cybercap.org'); // Julien Moreau, French
const expert = account('expert@demo.cybercap.org'); // Priya Raman, English
const investigator = account('investigator.sg@demo.cybercap.org'); // Daniel Tan, English, first member and so captain of Team Alpha

const charge = scenario.prosecution!.charges.find((c) => c.id === 'extortion')!;
const element = charge.elements.find((e) => e.id === 'perpetrator')!;
const evidenceTitle = (id: string) => scenario.evidence.find((e) => e.id === id)!.title.en!;
// Both released at the start, both listed for the element.
const cited = ['extortion-email', 'gateway-log'].map(evidenceTitle);
const party = scenario.legalParties.find((p) => p.id === 'nordlane-telecom')!;
const response = party.responses.find((r) => r.id === 'nordlane-subscriber')!;
const releasedByReply = evidenceTitle(scenario.evidence.find((e) => 'legalReply' in e.release && e.release.legalReply === response.id)!.id);

let platform: Platform;
const clock = movableClock();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  platform = await startPlatform({ demoExercise: true, clock, ticker: true });
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

/** A dialog (Mantine modal or drawer) by its title. */
const dialog = (page: Page, title: string) => page.getByRole('dialog', { name: title, exact: true });

/** Picks an option of a Mantine Select or MultiSelect (the listbox is rendered in a portal). */
async function choose(page: Page, input: Locator, option: string | RegExp) {
  await input.click();
  await page.getByRole('option', { name: option, ...(typeof option === 'string' ? { exact: true } : {}) }).click();
}

/** A toast of the app. */
const toast = (page: Page, message: string) => shown(page.getByRole('alert').filter({ hasText: message }).first());

/** A tab of the play page or of the control page; some carry a count after their label. */
const tab = (page: Page, locale: Locale, id: string) => page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(text(locale, id))}`) });

/** Opens a tab of the team's play page: its address, and the tab shown as selected (a busy panel once kept the old one on screen). */
async function playTab(page: Page, exerciseId: string, name: string) {
  const target = tab(page, 'en', `play.tab.${name}`);
  await target.click();
  await page.waitForURL((url) => url.pathname === `/exercises/${exerciseId}/play/${name}`);
  await expect.poll(() => target.getAttribute('aria-selected')).toBe('true');
}

/** An element of proof: its accordion control and the region it opens. */
const elementControl = (scope: Locator, title: string) => scope.getByRole('button', { name: new RegExp(`^${escapeRegExp(title)}`) });
const elementRegion = (scope: Locator, title: string) => scope.getByRole('region', { name: new RegExp(`^${escapeRegExp(title)}`) });

/** A message with a number, as a pattern matching any number. */
const withAnyNumber = (locale: Locale, id: string, name: string) => new RegExp(`^${escapeRegExp(text(locale, id, { [name]: 987 })).replace('987', '\\d+')}$`);

/** From the home page, the exercise's card: "Play" for a participant, "Run" for staff. */
async function openExercise(page: Page, locale: Locale, participant: boolean) {
  await page.getByRole('link', { name: text(locale, participant ? 'exercises.playNamed' : 'exercises.runNamed', { title: exerciseTitle }), exact: true }).click();
  await page.waitForURL((url) => /^\/exercises\/[^/]+(\/play)?$/.test(url.pathname));
  if (participant) await shown(page.getByRole('heading', { level: 1, name: exerciseTitle, exact: true }));
  else await pageTitleIs(page, exerciseTitle);
  return new URL(page.url()).pathname.split('/')[2]!;
}

describe('investigation journey', () => {
  it('cites exhibits in the case file, sends a legal request and asks for advice; an expert answers and evaluates; the team downloads its report', async () => {
    const trainerPage = await open();
    let exerciseId = '';

    await step(trainerPage, 'investigation-1-start', async () => {
      await signIn(trainerPage, trainer, demoPassword);
      exerciseId = await openExercise(trainerPage, 'fr', false);
      const main = trainerPage.getByRole('main');
      await main.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      const confirm = await shown(dialog(trainerPage, text('fr', 'exercises.control.startTitle')));
      await confirm.getByRole('button', { name: text('fr', 'exercises.control.start'), exact: true }).click();
      await shown(trainerPage.getByText(text('fr', 'exercises.control.started'), { exact: true }));
    });

    const page = await open();
    const main = page.getByRole('main');
    await step(page, 'investigation-2-play', async () => {
      await signIn(page, investigator, demoPassword);
      expect(await openExercise(page, 'en', true)).toBe(exerciseId);
      await shown(main.getByText(teamName, { exact: true }).first());
      expect(await page.getByText(text('en', 'play.banner.notStartedTitle'), { exact: true }).count()).toBe(0);
    });

    await step(page, 'investigation-3-case-file', async () => {
      await playTab(page, exerciseId, 'casefile');
      await shown(main.getByRole('heading', { level: 2, name: text('en', 'casefile.title'), exact: true }));
      await shown(main.getByRole('heading', { level: 3, name: charge.title.en!, exact: true }));

      // Each charge's card and switch are named by its title.
      for (const c of scenario.prosecution!.charges) {
        const card = main.getByRole('article', { name: c.title.en!, exact: true });
        await shown(card.getByRole('switch', { name: text('en', 'casefile.charge.bringNamed', { title: c.title.en! }), exact: true }));
      }
      await main.getByRole('switch', { name: text('en', 'casefile.charge.bringNamed', { title: charge.title.en! }), exact: true }).check();
      await elementControl(main, element.title.en!).click();
      const region = await shown(elementRegion(main, element.title.en!));
      await field(region, text('en', 'casefile.element.finding')).fill(
        'The extortion e-mail was sent by the holder of the home connection that also tried to deliver it directly to the company gateway.',
      );
      const exhibits = field(region, text('en', 'casefile.element.exhibits'));
      for (const title of cited) await choose(page, exhibits, new RegExp(`^${escapeRegExp(title)} — `));
      await page.keyboard.press('Escape');
      await field(region, text('en', 'casefile.element.reasoning')).fill(
        'The lowest Received header of the e-mail names the sending IP address; the mail gateway log shows the same address attempting direct delivery at 07:16 and being refused for SPF failure.',
      );

      // Saved as the team writes: each citation then carries the hash recorded, and is admissible.
      await shown(main.getByRole('status').filter({ hasText: withAnyNumber('en', 'casefile.save.saved', 'version') }).first());
      await expect.poll(() => region.getByText(text('en', 'casefile.citation.admissible'), { exact: true }).count()).toBe(cited.length);
      expect(await region.getByText(text('en', 'casefile.citation.pending'), { exact: true }).count()).toBe(0);
      for (const title of cited) {
        await shown(region.getByText(title, { exact: true }));
        await shown(region.getByRole('button', { name: text('en', 'common.action.copyLabel', { what: text('en', 'casefile.citation.hashOf', { exhibit: title }) }), exact: true }));
      }
    });

    await stepAll([trainerPage, page], 'investigation-3b-pause', async () => {
      // The trainer pauses: the case file shows it is read-only, and nothing can be changed until the exercise resumes.
      const control = async (action: 'pause' | 'resume') => {
        await trainerPage.getByRole('main').getByRole('button', { name: text('fr', `exercises.control.${action}`), exact: true }).click();
        const confirm = await shown(dialog(trainerPage, text('fr', `exercises.control.${action}Title`)));
        await confirm.getByRole('button', { name: text('fr', `exercises.control.${action}`), exact: true }).click();
        await confirm.waitFor({ state: 'hidden' });
      };
      const brought = main.getByRole('switch', { name: text('en', 'casefile.charge.bringNamed', { title: charge.title.en! }), exact: true });
      await control('pause');
      await shown(main.getByText(text('en', 'casefile.locked.pausedTitle'), { exact: true }));
      await shown(main.getByText(text('en', 'casefile.locked.paused')));
      await brought.waitFor({ state: 'detached' });
      expect(await main.getByRole('switch').count()).toBe(0);
      expect(await main.getByRole('button', { name: text('en', 'casefile.submit.button'), exact: true }).count()).toBe(0);
      await shown(main.getByText(text('en', 'casefile.charge.brought'), { exact: true }));

      await control('resume');
      await shown(brought);
      expect(await brought.isChecked()).toBe(true);
      expect(await main.getByText(text('en', 'casefile.locked.pausedTitle'), { exact: true }).count()).toBe(0);
    });

    await step(page, 'investigation-3c-workbench', async () => {
      // "Selection → entity" takes only text selected in the exhibit viewer.
      await playTab(page, exerciseId, 'workbench');
      const viewer = await shown(main.getByRole('region', { name: text('en', 'workbench.viewer'), exact: true }));
      const toEntity = main.getByRole('button', { name: text('en', 'workbench.add.selectionEntity'), exact: true });
      const toEvent = main.getByRole('button', { name: text('en', 'workbench.add.selectionEvent'), exact: true });
      await shown(main.getByText(text('en', 'workbench.add.selectInViewer'), { exact: true }));
      expect([await toEntity.isDisabled(), await toEvent.isDisabled()]).toEqual([true, true]);
      const select = (target: Locator) =>
        target.evaluate((element) => {
          const range = document.createRange();
          range.selectNodeContents(element);
          document.getSelection()?.removeAllRanges();
          document.getSelection()?.addRange(range);
        });
      // The relay of the mail provider, in the e-mail's headers.
      const relay = viewer.getByText('198.51.100.37').first();
      await shown(relay);
      await select(page.getByRole('heading', { level: 1, name: exerciseTitle, exact: true }));
      await expect.poll(() => toEntity.isDisabled()).toBe(true);
      await select(relay);
      await expect.poll(() => toEntity.isDisabled()).toBe(false);
      expect(await toEvent.isDisabled()).toBe(false);
      await shown(main.getByText(new RegExp(`^${escapeRegExp(text('en', 'workbench.add.selected', { text: 'IP' })).replace('IP', '.*198\\.51\\.100\\.37.*')}$`)));
      await toEntity.click();
      const add = await shown(dialog(page, text('en', 'workbench.add.entityTitle')));
      expect(await field(add, text('en', 'workbench.add.value')).inputValue()).toContain('198.51.100.37');
      await add.getByRole('button', { name: text('en', 'common.action.cancel'), exact: true }).click();
      await add.waitFor({ state: 'hidden' });
      // Text selected outside the viewer is not taken.
      await select(page.getByRole('heading', { level: 1, name: exerciseTitle, exact: true }));
      await expect.poll(() => toEntity.isDisabled()).toBe(true);
    });

    await step(page, 'investigation-4-legal-request', async () => {
      const variables = JSON.parse(
        (await platform.ctx.database.db.selectFrom('teams').select('variables').where('exercise_id', '=', exerciseId).where('name', '=', teamName).executeTakeFirstOrThrow()).variables,
      ) as Record<string, string>;
      await playTab(page, exerciseId, 'legal');
      await main.getByRole('button', { name: text('en', 'legal.team.writeTo', { party: party.name.en! }), exact: true }).click();
      const form = main.getByRole('region', { name: text('en', 'legal.form.title'), exact: true });
      await expect.poll(() => field(form, text('en', 'legal.form.party')).inputValue()).toBe(party.name.en!);
      await choose(page, field(form, text('en', 'legal.form.type')), text('en', 'legal.type.subscriber_information'));
      await choose(page, field(form, text('en', 'legal.form.kind')), text('en', 'legal.identifier.ip'));
      await field(form, text('en', 'legal.form.value')).fill(variables.sending_ip!);
      await field(form, text('en', 'legal.form.at')).fill('2025-03-10 07:42:16');
      await field(form, text('en', 'legal.form.justification')).fill(
        'Extortion of a logistics company: the extortion e-mail was sent from this address at this time. We need to identify the subscriber of the line.',
      );
      await form.getByRole('button', { name: text('en', 'legal.form.send'), exact: true }).click();
      const confirm = await shown(dialog(page, text('en', 'legal.form.confirmTitle')));
      await shown(confirm.getByText(text('en', 'legal.form.confirm', { type: text('en', 'legal.type.subscriber_information'), party: party.name.en! }), { exact: true }));
      await confirm.getByRole('button', { name: text('en', 'legal.form.send'), exact: true }).click();
      await confirm.waitFor({ state: 'hidden' });

      // Pending: no reply before the party's delay has passed in game time.
      const requests = main.getByRole('region', { name: text('en', 'legal.team.requests'), exact: true });
      const request = await shown(requests.getByRole('listitem').filter({ hasText: party.name.en! }));
      await shown(request.getByText(text('en', 'legal.status.pending'), { exact: true }));
      await shown(request.getByText(variables.sending_ip!, { exact: true }));
      expect(await request.getByText(text('en', 'legal.request.replied')).count()).toBe(0);

      // The game clock passes the delay: the exercise ticker delivers the reply, which arrives by itself.
      await page.evaluate(() => Object.assign(window, { e2eBeforeReply: true }));
      clock.advance(response.delayMinutes);
      await shown(request.getByText(text('en', 'legal.status.granted'), { exact: true }));
      await shown(request.getByText(renderTemplate(response.reply.en!, variables)));
      await shown(request.getByRole('link', { name: releasedByReply, exact: true }));
      expect(await page.evaluate(() => 'e2eBeforeReply' in window)).toBe(true);
    });

    const subject = 'Which Received header names the sender?';
    await step(page, 'investigation-5-ask-advice', async () => {
      await playTab(page, exerciseId, 'advice');
      // What asking may cost is shown before the team asks.
      await shown(main.getByText(text('en', 'advice.team.penaltyNotice', { points: scenario.scoring.advicePenalty! }), { exact: true }));
      const ask = main.getByRole('region', { name: text('en', 'advice.team.askTitle'), exact: true });
      await field(ask, text('en', 'advice.team.subject')).fill(subject);
      await field(ask, text('en', 'advice.team.text')).fill('We read the Received headers from the bottom up. Is the private address in the lowest one the sender, or the public one beside it?');
      await choose(page, field(ask, text('en', 'advice.team.exhibit')), cited[0]!);
      await ask.getByRole('button', { name: text('en', 'advice.team.ask'), exact: true }).click();
      await toast(page, text('en', 'advice.team.sent'));
      const conversation = main.getByRole('region', { name: text('en', 'advice.thread.title'), exact: true });
      await shown(conversation.getByText(subject, { exact: true }));
      await shown(conversation.getByText(text('en', 'advice.status.open'), { exact: true }));
    });

    const expertPage = await open();
    const reply = 'The private address is the LAN of the sender; the public one in brackets is the connection you are looking for. Check it against the gateway log.';
    await stepAll([expertPage, page], 'investigation-6-expert-answers', async () => {
      await signIn(expertPage, expert, demoPassword);
      expect(await openExercise(expertPage, 'en', false)).toBe(exerciseId);
      await tab(expertPage, 'en', 'exercises.tab.advice').click();
      const queue = expertPage.getByRole('table', { name: text('en', 'advice.queue.title'), exact: true });
      const row = await shown(queue.getByRole('row').filter({ hasText: subject }));
      await shown(row.getByText(teamName, { exact: true }));
      await row.getByRole('button', { name: text('en', 'advice.queue.open', { subject }), exact: true }).click();
      const thread = await shown(dialog(expertPage, text('en', 'advice.thread.title')));
      await shown(thread.getByText(subject, { exact: true }));
      await thread.getByRole('button', { name: text('en', 'advice.action.claim'), exact: true }).click();
      await shown(thread.getByRole('button', { name: text('en', 'advice.action.unclaim'), exact: true }));
      await field(thread, text('en', 'advice.reply.staffLabel')).fill(reply);
      await thread.getByRole('button', { name: text('en', 'advice.reply.sendStaff'), exact: true }).click();
      await shown(thread.getByText(reply, { exact: true }));
      await shown(thread.getByText(text('en', 'advice.status.answered'), { exact: true }));

      // The team reads the answer in its conversation, live.
      const conversation = page.getByRole('main').getByRole('region', { name: text('en', 'advice.thread.title'), exact: true });
      const messages = conversation.getByRole('list', { name: text('en', 'advice.thread.messages'), exact: true });
      const answer = await shown(messages.getByRole('listitem').filter({ hasText: reply }));
      await shown(answer.getByText(expert.name, { exact: true }));
      await shown(conversation.getByText(text('en', 'advice.status.answered'), { exact: true }));
      await thread.getByRole('button', { name: text('en', 'common.action.close'), exact: true }).click();
    });

    await step(page, 'investigation-7-submit', async () => {
      await playTab(page, exerciseId, 'casefile');
      await main.getByRole('button', { name: text('en', 'casefile.submit.button'), exact: true }).click();
      const confirm = await shown(dialog(page, text('en', 'casefile.submit.title')));
      await shown(confirm.getByText(text('en', 'casefile.submit.message', { charges: 1 }), { exact: true }));
      await confirm.getByRole('button', { name: text('en', 'casefile.submit.confirm'), exact: true }).click();
      await confirm.waitFor({ state: 'hidden' });
      await shown(main.getByText(text('en', 'casefile.locked.submittedTitle'), { exact: true }));
      // Locked: no more editing, no second submission.
      expect(await main.getByRole('switch', { name: text('en', 'casefile.charge.bring') }).count()).toBe(0);
      expect(await main.getByRole('button', { name: text('en', 'casefile.submit.button'), exact: true }).count()).toBe(0);
    });

    await stepAll([expertPage, page], 'investigation-8-evaluate', async () => {
      const staff = expertPage.getByRole('main');
      await tab(expertPage, 'en', 'exercises.tab.casefiles').click();
      const files = await shown(staff.getByRole('table', { name: text('en', 'casefile.staff.tableLabel'), exact: true }));
      const row = files.getByRole('row').filter({ hasText: teamName });
      await shown(row.getByText(text('en', 'casefile.staff.evaluation.waiting'), { exact: true }));
      await row.getByRole('button', { name: teamName, exact: true }).click();
      await shown(staff.getByRole('heading', { level: 2, name: text('en', 'casefile.staff.teamTitle', { team: teamName }), exact: true }));

      // A verdict for every element of the charge brought.
      for (const el of charge.elements) {
        await elementControl(staff, el.title.en!).click();
        const region = await shown(elementRegion(staff, el.title.en!));
        await region.getByRole('radio', { name: text('en', 'casefile.verdict.proven'), exact: true }).check();
        if (el.id === element.id) {
          for (const title of cited) await shown(region.getByText(title, { exact: true }));
          await field(region, text('en', 'casefile.evaluation.elementComment')).fill('The IP address is tied to the e-mail by two independent sources.');
        }
      }
      await shown(staff.getByText(text('en', 'casefile.evaluation.complete'), { exact: true }));
      await field(staff, text('en', 'casefile.evaluation.comment')).fill('A well-sourced identification of the sender, tied to the demand and the payment.');
      await staff.getByRole('button', { name: text('en', 'casefile.evaluation.submit'), exact: true }).click();
      await toast(expertPage, text('en', 'casefile.evaluation.saved'));
    });

    await step(page, 'investigation-9-report', async () => {
      await playTab(page, exerciseId, 'report');
      await shown(main.getByRole('heading', { level: 2, name: text('en', 'reports.team.title', { team: teamName }), exact: true }));

      // The evaluation: the weighted share of the scenario's elements proven, the charge ready.
      const weights = scenario.prosecution!.charges.flatMap((c) => c.elements).reduce((sum, e) => sum + e.weight, 0);
      const proven = charge.elements.reduce((sum, e) => sum + e.weight, 0);
      const readiness = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(proven / weights);
      await shown(main.getByRole('heading', { level: 3, name: text('en', 'reports.caseFile.title'), exact: true }));
      const final = await shown(main.getByRole('progressbar', { name: text('en', 'reports.caseFile.final'), exact: true }));
      expect(Number(await final.getAttribute('aria-valuenow'))).toBeCloseTo((proven / weights) * 100, 1);
      await shown(main.getByText(readiness, { exact: true }));
      await shown(main.getByText(text('en', 'reports.summary.ofTotal', { count: 1, total: scenario.prosecution!.charges.length }), { exact: true }).first());

      // Skills by their names, not their slugs.
      const skills = main.locator('.mantine-Card-root', { has: page.getByRole('heading', { level: 3, name: text('en', 'reports.skills.title'), exact: true }) });
      const slug = scenario.objectives.find((o) => o.skills.length > 0)!.skills[0]!;
      await shown(skills.getByText(skillLabel(slug, 'en'), { exact: true }).filter({ visible: true }).first());
      expect(await skills.getByText(slug, { exact: true }).count()).toBe(0);

      // The replay timeline has what the team did.
      for (const id of ['reports.kind.caseFileSubmitted', 'reports.kind.caseFileEvaluated', 'reports.kind.legalRequestSent', 'reports.kind.legalRequestReplied', 'reports.kind.adviceRequested', 'reports.kind.adviceReplied']) {
        await shown(main.getByText(text('en', id), { exact: true }).first());
      }

      const downloading = page.waitForEvent('download');
      await main.getByRole('link', { name: text('en', 'reports.download.pdf'), exact: true }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^report-team-alpha-\d{4}-\d{2}-\d{2}\.pdf$/);
      const body = readFileSync(await download.path());
      expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(body.subarray(-1024).toString('latin1')).toContain('%%EOF');
      expect(body.length).toBeGreaterThan(5_000);
    });
  });
});
