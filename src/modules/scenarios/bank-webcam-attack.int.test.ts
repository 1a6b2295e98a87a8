import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { signInAgain } from '../../test/expect.ts';
import { teamLocker } from '../evidence/test-support.ts';
import { demoPassword, seedDemoData, seedStillFrame } from '../demo/seed.ts';
import { advanceExercise } from '../exercises/releases.ts';
import { answer, exerciseWithTeams } from '../scoring/fixture.ts';

// scenarios/bank-webcam-attack as the demo data loads it, then played over
// HTTP: each team reads its own camera log, the exploiting address it finds
// brings the implant (an inject on progress), the proxy and SWIFT files come
// by time, and legal requests to a hosting provider, the mules' bank and,
// through the 24/7 network, the foreign police release their replies to that
// team only.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

describe('Operation Still Frame', () => {
  it('is imported once by the demo data with all its files, and plays from each team\'s own evidence', async () => {
    expect(await seedDemoData(env.ctx.database.db, env.clock)).toBe(true);
    expect(await seedStillFrame(env.ctx)).toBe(true);
    expect(await seedStillFrame(env.ctx)).toBe(false);
    const { db } = env.ctx.database;
    const scenario = await db.selectFrom('scenarios').selectAll().where('slug', '=', 'bank-webcam-attack').executeTakeFirstOrThrow();
    const paths = (await db.selectFrom('scenario_files').select('path').where('scenario_id', '=', scenario.id).execute()).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('evidence/'))).toHaveLength(11);
    expect(await db.selectFrom('exercises').select('id').where('scenario_id', '=', scenario.id).execute()).toEqual([]);

    const trainer = await signInAgain(env, 'trainer@demo.cybercap.org', demoPassword);
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenario.id, { mode: 'training', durationMinutes: 180 });
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    type Client = typeof red.client;
    const { keys, content, text } = teamLocker(env, exercise.id);
    const advance = async (minutes: number) => {
      env.clock.advance(minutes * 60);
      await advanceExercise(env.ctx, exercise.id);
    };
    const request = (client: Client, party: string, type: string, identifiers: Array<Record<string, string>>, justification: string) =>
      client.post(`/api/exercises/${exercise.id}/legal/requests`, { party, type, identifiers, justification });
    expect(await keys(red.client)).toEqual(['camera-advisory', 'camera-log', 'camera-photo', 'dns-log']);

    // The exploiting address differs per team; a team's own brings the implant, to that team only, byte for byte the package's file.
    const exploitOf = async (client: Client) => /check_user\.cgi\?user=admin&pwd= HTTP\/1\.1 from (\S+) /.exec(await text(client, 'camera-log'))![1]!;
    const redExploit = await exploitOf(red.client);
    expect(redExploit).not.toBe(await exploitOf(blue.client));
    expect((await answer(blue.client, exercise.id, 'exploit-ip', redExploit)).body.outcome).toBe('wrong');
    expect((await answer(red.client, exercise.id, 'exploit-ip', redExploit)).body.outcome).toBe('correct');
    expect(await keys(red.client)).toContain('implant');
    expect(await keys(blue.client)).not.toContain('implant');
    const implant = await content(red.client, 'implant');
    const file = readFileSync(path.resolve(import.meta.dirname, '../../../scenarios/bank-webcam-attack/evidence/camera/implant-lp.bin'));
    expect(createHash('sha256').update(implant).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
    const camera = await text(red.client, 'camera-log');
    const c2a = /wget -q http:\/\/([^/]+)\//.exec(camera)![1]!;
    const implantAt = new Date(Date.parse(/^(\S+) ipcam-lobby fsmon/m.exec(camera)![1]!)).toISOString().replace('.000', '');
    const c2aIp = new RegExp(`reply ${c2a.replace(/\./g, '\\.')} is (\\S+)$`, 'm').exec(await text(red.client, 'dns-log'))![1]!;

    // By time, the proxy log and the SWIFT messages.
    await advance(30);
    expect(await keys(red.client)).toEqual(expect.arrayContaining(['proxy-log', 'mt103-export']));
    const mt103 = await text(red.client, 'mt103-export');
    const mainIban = /^:57A:BMRDPTPLXXX\n:59:\/(\S+)$/m.exec(mt103)![1]!;
    expect((await answer(red.client, exercise.id, 'main-mule-iban', mainIban)).body.outcome).toBe('correct');

    // The mules' bank: a production order on that IBAN releases the statement to that team only.
    const order = await request(red.client, 'banco-meridional', 'production_order', [{ kind: 'iban', value: mainIban }], 'This account received 190,000 EUR or more through a fraudulent SWIFT transfer sent from a compromised bank workstation.');
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    // The hosting provider of C2-A: subscriber information on its address at the time of the download.
    const reason = `The server ${c2aIp} delivered the implant that compromised a bank's camera before a computer fraud of several hundred thousand euros.`;
    expect((await request(red.client, 'nordhost', 'subscriber_information', [{ kind: 'ip', value: c2aIp, at: implantAt }], reason)).status).toBe(201);
    await advance(15);
    expect(await keys(red.client)).toEqual(expect.arrayContaining(['mule-statement', 'nordhost-reply']));
    expect(await keys(blue.client)).not.toContain('mule-statement');
    const statement = await text(red.client, 'mule-statement');
    expect(statement).toContain(`# Account: ${mainIban} |`);
    const nordhost = await text(red.client, 'nordhost-reply');
    const email = /Customer e-mail: +(\S+)$/m.exec(nordhost)![1]!;
    expect((await answer(red.client, exercise.id, 'operator-email', email)).body.outcome).toBe('correct');
    const [, loginAt, managementIp] = /^ {2}(\S+Z) {2}(\d+\.\d+\.\d+\.\d+)$/m.exec(nordhost)!;

    // The management address brings the 24/7 contact and the last objective; the foreign police name the suspect on mutual assistance.
    expect((await answer(red.client, exercise.id, 'operator-ip', managementIp!)).body.outcome).toBe('correct');
    const why = `The address ${managementIp} managed the command-and-control servers used to break into a bank and send fraudulent transfers.`;
    expect((await request(red.client, 'foreign-police', 'mutual_legal_assistance', [{ kind: 'ip', value: managementIp!, at: loginAt! }], why)).status).toBe(201);
    await advance(30);
    const replies = (await red.client.get(`/api/exercises/${exercise.id}/legal/requests`)).body.items as Array<{ reply: { en?: string } | null }>;
    const police = replies.map((r) => /assigned to the subscriber (.+?) \(residential/.exec(r.reply?.en ?? '')?.[1]).find(Boolean)!;
    expect((await answer(blue.client, exercise.id, 'suspect-name', police)).body.outcome).not.toBe('correct');
    expect((await answer(red.client, exercise.id, 'suspect-name', police)).body.outcome).toBe('correct');
  });
});
