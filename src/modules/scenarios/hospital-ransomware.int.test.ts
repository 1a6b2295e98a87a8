import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { signInAgain } from '../../test/expect.ts';
import { teamLocker } from '../evidence/test-support.ts';
import { demoPassword, seedColdWard, seedDemoData } from '../demo/seed.ts';
import { advanceExercise } from '../exercises/releases.ts';
import { answer, exerciseWithTeams } from '../scoring/fixture.ts';

// scenarios/hospital-ransomware as the demo data loads it, then played over
// HTTP: each team reads its own note and transcript, the ransom address it
// finds brings the blockchain trail (an inject on progress), and legal
// requests to the hosting provider and, through the 24/7 network, to the
// foreign police release their replies to that team only.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

const justification = 'This domain serves the negotiation site of the ransomware that encrypted the medical records of a public hospital.';

describe('Operation Cold Ward', () => {
  it('is imported once by the demo data with all its files, and plays from each team\'s own evidence', async () => {
    expect(await seedDemoData(env.ctx.database.db, env.clock)).toBe(true);
    expect(await seedColdWard(env.ctx)).toBe(true);
    expect(await seedColdWard(env.ctx)).toBe(false);
    const { db } = env.ctx.database;
    const scenario = await db.selectFrom('scenarios').selectAll().where('slug', '=', 'hospital-ransomware').executeTakeFirstOrThrow();
    const paths = (await db.selectFrom('scenario_files').select('path').where('scenario_id', '=', scenario.id).execute()).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('evidence/'))).toHaveLength(14);
    expect(await db.selectFrom('exercises').select('id').where('scenario_id', '=', scenario.id).execute()).toEqual([]);

    const trainer = await signInAgain(env, 'trainer@demo.cybercap.org', demoPassword);
    const { exercise, teams } = await exerciseWithTeams(env, trainer, scenario.id, { mode: 'training', durationMinutes: 210 });
    const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
    type Client = typeof red.client;
    const { keys, content, text } = teamLocker(env, exercise.id);
    expect(await keys(red.client)).toEqual(['notification', 'phishing-email', 'ransom-note', 'vpn-log', 'wallpaper']);

    // The mirror's domain differs per team, and only a team's own is accepted.
    const mirrorOf = async (client: Client) => /https:\/\/(\S+?)\/chat/.exec(await text(client, 'ransom-note'))![1]!;
    const redMirror = await mirrorOf(red.client);
    expect(redMirror).not.toBe(await mirrorOf(blue.client));
    expect((await answer(blue.client, exercise.id, 'mirror-domain', redMirror)).body.outcome).toBe('wrong');
    expect((await answer(red.client, exercise.id, 'mirror-domain', redMirror)).body.outcome).toBe('correct');

    // After 15 minutes the IT team's files; the sample is the same file for every team, byte for byte.
    env.clock.advance(15 * 60);
    await advanceExercise(env.ctx, exercise.id);
    expect(await keys(red.client)).toEqual(expect.arrayContaining(['edr-detections', 'sample', 'security-events']));
    const sample = await content(blue.client, 'sample');
    const file = readFileSync(path.resolve(import.meta.dirname, '../../../scenarios/hospital-ransomware/evidence/sample/winupd.bin'));
    const hash = createHash('sha256').update(sample).digest('hex');
    expect(hash).toBe(createHash('sha256').update(file).digest('hex'));
    const edr = JSON.parse(await text(red.client, 'edr-detections')) as { detections: Array<{ path: string; sha256: string }> };
    expect((await answer(red.client, exercise.id, 'sample-path', edr.detections.find((d) => d.sha256 === hash)!.path)).body.outcome).toBe('correct');

    // After 40 minutes the transcript: the ransom address brings the trail to that team only.
    env.clock.advance(25 * 60);
    await advanceExercise(env.ctx, exercise.id);
    const chat = JSON.parse(await text(red.client, 'negotiation')) as { messages: Array<{ text: string }> };
    const wallet = chat.messages.map((m) => /Pay to (\S+) only/.exec(m.text)?.[1]).find(Boolean)!;
    expect((await answer(red.client, exercise.id, 'ransom-wallet', wallet)).body.outcome).toBe('correct');
    expect(await keys(red.client)).toContain('wallet-trail');
    expect(await keys(blue.client)).not.toContain('wallet-trail');
    expect(await text(red.client, 'wallet-trail')).toContain(wallet);

    // A production order on the mirror's domain: the hosting records after the provider's delay, to that team only.
    const order = await red.client.post(`/api/exercises/${exercise.id}/legal/requests`, { party: 'nordhaven-hosting', type: 'production_order', identifiers: [{ kind: 'domain', value: redMirror }], justification });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    env.clock.advance(10 * 60);
    await advanceExercise(env.ctx, exercise.id);
    expect(await keys(red.client)).toContain('hosting-reply');
    expect(await keys(blue.client)).not.toContain('hosting-reply');
    const panel = /^ {2}(\S+) {3}from (\S+)$/m.exec(await text(red.client, 'hosting-reply'))!;

    // The foreign police disclose only on mutual legal assistance with the time of use.
    const ip = { kind: 'ip', value: panel[2], at: panel[1] };
    const reason = `The address ${panel[2]} logged in to the control panel of the servers used to attack a hospital and to host its ransom negotiation site.`;
    expect((await red.client.post(`/api/exercises/${exercise.id}/legal/requests`, { party: 'romanian-police', type: 'preservation', identifiers: [ip], justification: reason })).status).toBe(201);
    expect((await red.client.post(`/api/exercises/${exercise.id}/legal/requests`, { party: 'romanian-police', type: 'mutual_legal_assistance', identifiers: [ip], justification: reason })).status).toBe(201);
    env.clock.advance(30 * 60);
    await advanceExercise(env.ctx, exercise.id);
    expect(await keys(red.client)).toContain('police-reply');
    const name = /^ {2}Subscriber: +(.+)$/m.exec(await text(red.client, 'police-reply'))![1]!;
    expect((await answer(blue.client, exercise.id, 'suspect-name', name)).body.outcome).toBe('wrong');
    expect((await answer(red.client, exercise.id, 'suspect-name', name)).body.outcome).toBe('correct');
  });
});
