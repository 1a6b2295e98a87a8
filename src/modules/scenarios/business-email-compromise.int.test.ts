import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { signInAgain } from '../../test/expect.ts';
import { download } from '../evidence/test-support.ts';
import { demoPassword, seedDemoData, seedMirrorInvoice } from '../demo/seed.ts';
import { advanceExercise } from '../exercises/releases.ts';
import { answer, exerciseWithTeams } from '../scoring/fixture.ts';

// scenarios/business-email-compromise as the demo data loads it, then played
// over HTTP: each team reads its own forged e-mail, the IBAN it finds brings
// the bank export (an inject on progress), and a production order to the
// beneficiary bank releases the account records to that team only.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

const justification = 'This account received 148,763.20 EUR paid on a forged invoice e-mail in a business e-mail compromise.';

describe('Operation Mirror Invoice', () => {
  it('is imported once by the demo data with all its files, and plays from each team\'s own evidence', async () => {
    expect(await seedDemoData(env.ctx.database.db, env.clock)).toBe(true);
    expect(await seedMirrorInvoice(env.ctx)).toBe(true);
    expect(await seedMirrorInvoice(env.ctx)).toBe(false);
    const { db } = env.ctx.database;
    const scenario = await db.selectFrom('scenarios').selectAll().where('slug', '=', 'business-email-compromise').executeTakeFirstOrThrow();
    const paths = (await db.selectFrom('scenario_files').select('path').where('scenario_id', '=', scenario.id).execute()).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('evidence/'))).toHaveLength(11);
    // The demo data adds no exercise on it.
    expect(await db.selectFrom('exercises').select('id').where('scenario_id', '=', scenario.id).execute()).toEqual([]);

    const trainer = await signInAgain(env, 'trainer@demo.cybercap.org', demoPassword);
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenario.id, { mode: 'training', durationMinutes: 180 });
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    const keys = async (client: typeof red.client) => ((await client.get(`/api/exercises/${exercise.id}/evidence`)).body as Array<{ key: string }>).map((i) => i.key).sort();
    const content = async (client: typeof red.client, key: string) => {
      const res = await download(env, client, `/api/exercises/${exercise.id}/evidence/${key}/content`);
      expect(res.status).toBe(200);
      return res.body;
    };
    expect(await keys(red.client)).toEqual(['forged-invoice-pdf', 'genuine-email', 'invoice-pdf', 'spoofed-email', 'vendor-change']);

    // The invoice is the same file for every team, byte for byte.
    const pdf = await content(red.client, 'invoice-pdf');
    const file = readFileSync(path.resolve(import.meta.dirname, '../../../scenarios/business-email-compromise/evidence/invoice-HM-2026-0412.pdf'));
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));

    const ibanOf = async (client: typeof red.client) => /^\s*IBAN:\s+(\S+)$/m.exec((await PostalMime.parse(await content(client, 'spoofed-email'))).text!)![1]!;
    const redIban = await ibanOf(red.client);
    expect(redIban).not.toBe(await ibanOf(blue.client));
    expect((await answer(blue.client, exercise.id, 'mule-iban', redIban)).body.outcome).toBe('wrong');
    const res = await answer(red.client, exercise.id, 'mule-iban', redIban);
    expect(res.body.outcome, JSON.stringify(res.body)).toBe('correct');
    expect(await keys(red.client)).toContain('buyer-payments');
    expect(await keys(blue.client)).not.toContain('buyer-payments');
    const payments = (await content(red.client, 'buyer-payments')).toString('utf8');
    expect(payments).toContain(`,Harwick Metals GmbH,${redIban},148763.20,EUR,`);
    expect(payments).not.toContain('{{');

    // A production order on the IBAN: the bank's records come after its delay, to that team only.
    const order = await red.client.post(`/api/exercises/${exercise.id}/legal/requests`, { party: 'banco-ribeira', type: 'production_order', identifiers: [{ kind: 'iban', value: redIban }], justification });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    env.clock.advance(10 * 60);
    await advanceExercise(env.ctx, exercise.id);
    expect(await keys(red.client)).toContain('bank-production');
    expect(await keys(blue.client)).not.toContain('bank-production');
    const bank = JSON.parse((await content(red.client, 'bank-production')).toString('utf8')) as { account: { iban: string; holder: string }; transactions: Array<{ amount: string; balance_after: string }> };
    expect(bank.account.iban).toBe(redIban);
    expect((await answer(red.client, exercise.id, 'mule-holder', bank.account.holder)).body.outcome).toBe('correct');
    expect((await answer(red.client, exercise.id, 'frozen-balance', bank.transactions.at(-1)!.balance_after)).body.outcome).toBe('correct');
  });
});
