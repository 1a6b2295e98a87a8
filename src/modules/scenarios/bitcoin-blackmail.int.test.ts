import { readFileSync } from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { signInAgain } from '../../test/expect.ts';
import { download, sha256 } from '../evidence/test-support.ts';
import { demoPassword, seedDemoData, seedGlassVault } from '../demo/seed.ts';

// scenarios/bitcoin-blackmail as the demo data loads it: imported with all its
// files, a training exercise ready to start, and a team that can play it from
// its own rendered evidence.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

describe('Operation Glass Vault in the demo data', () => {
  it('is imported once, with its files, an exercise and a team that plays it from its own evidence', async () => {
    expect(await seedDemoData(env.ctx.database.db, env.clock)).toBe(true);
    expect(await seedGlassVault(env.ctx)).toBe(true);
    expect(await seedGlassVault(env.ctx)).toBe(false);
    const { db } = env.ctx.database;
    const scenario = await db.selectFrom('scenarios').selectAll().where('slug', '=', 'bitcoin-blackmail').executeTakeFirstOrThrow();
    expect(await db.selectFrom('scenario_files').select('path').where('scenario_id', '=', scenario.id).execute()).toHaveLength(13);

    const trainer = await signInAgain(env, 'trainer@demo.cybercap.org', demoPassword);
    const player = await signInAgain(env, 'investigator.sg@demo.cybercap.org', demoPassword);
    const exercise = await db.selectFrom('exercises').select(['id', 'title', 'mode', 'status']).where('scenario_id', '=', scenario.id).executeTakeFirstOrThrow();
    expect(exercise).toMatchObject({ title: 'Operation Glass Vault — training run', mode: 'training', status: 'draft' });
    expect((await trainer.get(`/api/exercises/${exercise.id}`)).status).toBe(200);
    expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).status).toBe(200);

    const keys = async () => ((await player.get(`/api/exercises/${exercise.id}/evidence`)).body as Array<{ key: string }>).map((i) => i.key).sort();
    expect(await keys()).toEqual(['complaint', 'email-1', 'gateway-log', 'leak-sample', 'leak-site']);
    // The complaint and the leak site's screenshot are the same files for every team: served as the package holds them.
    for (const [key, file] of [['complaint', 'complaint.pdf'], ['leak-site', 'leak-site.png']] as const) {
      const got = await download(env, player, `/api/exercises/${exercise.id}/evidence/${key}/content`);
      expect(got.status, key).toBe(200);
      const hash = sha256(readFileSync(path.resolve(import.meta.dirname, '../../../scenarios/bitcoin-blackmail/evidence', file)));
      expect(sha256(got.body), key).toBe(hash);
      expect(got.headers.get('x-evidence-sha256'), key).toBe(hash);
    }
    const eml = await download(env, player, `/api/exercises/${exercise.id}/evidence/email-1/content`);
    expect(eml.status).toBe(200);
    const mail = await PostalMime.parse(eml.body);
    const wallet = /bitcoin address:\s+(\S+)/.exec(mail.text!)![1]!;
    const res = await player.post(`/api/exercises/${exercise.id}/objectives/ransom-wallet/answers`, { answer: wallet });
    expect(res.body.outcome, JSON.stringify(res.body)).toBe('correct');

    // Solving it brings the cryptocurrency unit's export, which starts from that address and balances.
    expect(await keys()).toContain('blockchain-trail');
    const trail = JSON.parse((await download(env, player, `/api/exercises/${exercise.id}/evidence/blockchain-trail/content`)).body.toString('utf8'));
    const sat = (btc: string) => BigInt(btc.replace('.', ''));
    for (const tx of trail.transactions as Array<{ inputs: Array<{ value_btc: string }>; outputs: Array<{ address: string; value_btc: string }>; fee_btc: string }>) {
      expect(tx.inputs.reduce((s, i) => s + sat(i.value_btc), 0n)).toBe(tx.outputs.reduce((s, o) => s + sat(o.value_btc), 0n) + sat(tx.fee_btc));
    }
    expect(JSON.stringify(trail)).toContain(wallet);
    expect(JSON.stringify(trail)).not.toContain('{{');
  });
});
