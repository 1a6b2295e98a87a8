import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { atStart, download, dump, importEvidenceScenario, photo, runningExercise, sha256 } from './test-support.ts';

let env: TestEnv;
let trainer: TestClient;
let trainerId: string;
let scenarioId: string;
beforeAll(async () => {
  env = await startTestApp();
  const t = await signedIn(env, { roles: ['trainer'] });
  trainer = t.client;
  trainerId = t.user.id;
  scenarioId = await importEvidenceScenario(env, trainer);
});
afterAll(async () => env?.close());

const keys = (items: Array<{ key: string }>) => items.map((i) => i.key);

async function custodyOf(client: TestClient, exerciseId: string, query = '') {
  const res = await client.get(`/api/exercises/${exerciseId}/custody?pageSize=200&sort=position${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

describe('evidence locker', () => {
  it("lists the items released to the team, each in the team's own variant", async () => {
    const { exerciseId, red, alice, bob } = await runningExercise(env, trainer, scenarioId, false);
    expect((await alice.get(`/api/exercises/${exerciseId}/evidence`)).body).toEqual([]);
    await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'start' });

    const mine = (await alice.get(`/api/exercises/${exerciseId}/evidence`)).body;
    const theirs = (await bob.get(`/api/exercises/${exerciseId}/evidence`)).body;
    expect(keys(mine)).toEqual(atStart);
    const mail = mine.find((i: { key: string }) => i.key === 'mail');
    expect(mail).toMatchObject({ title: { en: 'Extortion e-mail' }, kind: 'email', fileName: 'mail.eml', mediaType: 'message/rfc822', inlineViewable: true, teamId: red.id });
    expect(mail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mail.size).toBeGreaterThan(0);
    expect(mail.releasedAt).toBe(env.clock.now().toISOString());
    // Templated items differ per team; plain files are shared.
    expect(mail.sha256).not.toBe(theirs.find((i: { key: string }) => i.key === 'mail').sha256);
    expect(mine.find((i: { key: string }) => i.key === 'image').sha256).toBe(theirs.find((i: { key: string }) => i.key === 'image').sha256);
    // Titles are rendered with the team's values.
    expect(mine.find((i: { key: string }) => i.key === 'notes').title.en).toMatch(/^Notes of .+$/);
    expect(mine.find((i: { key: string }) => i.key === 'notes').title.en).not.toContain('{{');
    // The locker agrees with the team view.
    const play = (await alice.get(`/api/exercises/${exerciseId}/play`)).body;
    expect(play.evidence.map((e: { id: string; sha256: string }) => [e.id, e.sha256])).toEqual(mine.map((i: { key: string; sha256: string }) => [i.key, i.sha256]));

    // Staff: a team's locker with ?teamId=, or the scenario's items.
    expect((await trainer.get(`/api/exercises/${exerciseId}/evidence?teamId=${red.id}`)).body).toEqual(mine);
    const scenarioRes = await trainer.get(`/api/exercises/${exerciseId}/evidence`);
    expect(scenarioRes.status, JSON.stringify(scenarioRes.body)).toBe(200);
    const scenario = scenarioRes.body;
    expect(keys(scenario)).toEqual(['mail', 'image', 'later', 'ledger', ...atStart.slice(2)]);
    expect(scenario.every((i: { teamId: string | null; releasedAt: string | null }) => i.teamId === null && i.releasedAt === null)).toBe(true);

    // Later items arrive with the clock, without waiting for the ticker.
    env.clock.advance(31 * 60);
    const later = await alice.get(`/api/exercises/${exerciseId}/evidence`);
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(keys(later.body)).toContain("later");
  });

  it("answers 404 to a participant for another team's variants, unreleased items and other teams' custody, on every path", async () => {
    const { exerciseId, red, blue, alice, bob } = await runningExercise(env, trainer, scenarioId);
    const base = `/api/exercises/${exerciseId}`;
    // Another team's locker, item, content and custody.
    for (const url of [
      `${base}/evidence?teamId=${blue.id}`,
      `${base}/evidence/mail?teamId=${blue.id}`,
      `${base}/evidence/mail/content?teamId=${blue.id}`,
      `${base}/evidence/mail/content?teamId=${blue.id}&inline=1`,
      `${base}/custody?teamId=${blue.id}`,
      // Unreleased items (by time, by inject) look like items that do not exist.
      `${base}/evidence/later`,
      `${base}/evidence/later/content`,
      `${base}/evidence/ledger/content?inline=1`,
      `${base}/evidence/nothing`,
      `${base}/evidence/nothing/content`,
    ]) {
      expectError(await alice.get(url), 404, 'not_found');
    }
    expect((await alice.get(`${base}/evidence/later`)).body.error.message).toBe((await alice.get(`${base}/evidence/nothing`)).body.error.message);
    expect((await download(env, alice, `${base}/evidence/later/content`, { range: 'bytes=0-9' })).status).toBe(404);

    // Its own variant is what it gets, even when it names its own team.
    const own = (await alice.get(`${base}/evidence/mail?teamId=${red.id}`)).body;
    const blueMail = (await bob.get(`${base}/evidence/mail`)).body;
    const got = await download(env, alice, `${base}/evidence/mail/content`);
    expect(sha256(got.body)).toBe(own.sha256);
    expect(sha256(got.body)).not.toBe(blueMail.sha256);

    // Its custody view holds its own team's entries only.
    const entries = await custodyOf(alice, exerciseId);
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.teamId))).toEqual(new Set([red.id]));
    expect(entries.some((e) => e.sha256 === blueMail.sha256)).toBe(false);
    expect(entries.some((e) => e.evidenceKey === 'later' || e.evidenceKey === 'ledger')).toBe(false);
    // Trainers alone verify.
    expectError(await alice.get(`${base}/custody/verify`), 403, 'forbidden');

    // Someone with no part in the exercise gets 404 everywhere, staff of other exercises too.
    const outsider = (await signedIn(env, { roles: ['participant'] })).client;
    const otherTrainer = (await signedIn(env, { roles: ['trainer'] })).client;
    for (const client of [outsider, otherTrainer]) {
      for (const url of [`${base}/evidence`, `${base}/evidence/mail`, `${base}/evidence/mail/content`, `${base}/evidence/mail/content?teamId=${red.id}`, `${base}/custody`, `${base}/custody/verify`]) {
        expectError(await client.get(url), 404, 'not_found');
      }
    }
    // A team of another exercise is no team of this one.
    const other = await runningExercise(env, trainer, scenarioId);
    expectError(await trainer.get(`${base}/evidence?teamId=${other.red.id}`), 404, 'not_found');
    expectError(await trainer.get(`${base}/evidence/mail/content?teamId=${other.red.id}`), 404, 'not_found');
    expectError(await trainer.get(`${base}/custody?teamId=${other.red.id}`), 404, 'not_found');
    expectError(await alice.get(`/api/exercises/${other.exerciseId}/evidence/mail/content`), 404, 'not_found');
  });

  it('serves whole files and byte ranges from the store with the hash headers', async () => {
    const { exerciseId, alice } = await runningExercise(env, trainer, scenarioId);
    const url = `/api/exercises/${exerciseId}/evidence/image/content`;
    const item = (await alice.get(`/api/exercises/${exerciseId}/evidence/image`)).body;
    const full = await download(env, alice, url);
    expect(full.status).toBe(200);
    expect(full.body.length).toBe(item.size);
    expect(sha256(full.body)).toBe(item.sha256);
    expect(Object.fromEntries(['content-length', 'accept-ranges', 'etag', 'x-evidence-sha256', 'content-type', 'content-disposition', 'x-content-type-options'].map((h) => [h, full.headers.get(h)]))).toEqual({
      'content-length': String(item.size),
      'accept-ranges': 'bytes',
      etag: `"${item.sha256}"`,
      'x-evidence-sha256': item.sha256,
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="logo.bin"; filename*=UTF-8''logo.bin`,
      'x-content-type-options': 'nosniff',
    });

    const cases: Array<[string, number, number]> = [
      ['bytes=0-9', 0, 9],
      ['bytes=-16', item.size - 16, item.size - 1],
      ['bytes=250-', 250, item.size - 1],
      ['bytes=100-100', 100, 100],
      ['bytes=200-9999', 200, item.size - 1],
    ];
    for (const [range, start, end] of cases) {
      const part = await download(env, alice, url, { range });
      expect(part.status, range).toBe(206);
      expect(part.body.equals(full.body.subarray(start, end + 1)), range).toBe(true);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${item.size}`);
      expect(part.headers.get('content-length')).toBe(String(end - start + 1));
      expect(part.headers.get('x-evidence-sha256')).toBe(item.sha256);
      expect(part.headers.get('etag')).toBe(`"${item.sha256}"`);
    }
    // A resumed download put together from its ranges is the file.
    const pieces = [];
    for (let at = 0; at < item.size; at += 100) pieces.push((await download(env, alice, url, { range: `bytes=${at}-${at + 99}` })).body);
    expect(sha256(Buffer.concat(pieces))).toBe(item.sha256);

    for (const range of [`bytes=${item.size}-`, 'bytes=9-0', 'bytes=abc', 'bytes=-0', 'bytes=0-1,5-6', 'lines=1-2']) {
      const res = await download(env, alice, url, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${item.size}`);
      expect(JSON.parse(res.body.toString()).error.message).toMatch(/^Range not satisfiable/);
    }
    // If-Range: a range of another version gets the whole file.
    expect((await download(env, alice, url, { range: 'bytes=0-9', 'if-range': '"0000"' })).status).toBe(200);
    expect((await download(env, alice, url, { range: 'bytes=0-9', 'if-range': `"${item.sha256}"` })).status).toBe(206);
    // HEAD: the headers only.
    const head = await download(env, alice, url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(item.size));
    expect(head.body.length).toBe(0);

    // The team's own templated variant.
    const mail = (await alice.get(`/api/exercises/${exerciseId}/evidence/mail`)).body;
    const mailBody = await download(env, alice, `/api/exercises/${exerciseId}/evidence/mail/content`);
    expect(sha256(mailBody.body)).toBe(mail.sha256);
    expect(mailBody.body.toString()).toMatch(/^Received: from mx \(\[\d+\.\d+\.\d+\.\d+\]\)/);
    expect(mailBody.body.toString()).not.toContain('{{');
  });

  it('streams a large file whole and in ranges', async () => {
    const { exerciseId, alice } = await runningExercise(env, trainer, scenarioId);
    const url = `/api/exercises/${exerciseId}/evidence/dump/content`;
    const full = await download(env, alice, url);
    expect(full.status).toBe(200);
    expect(full.body.equals(dump)).toBe(true);
    expect(full.headers.get('x-evidence-sha256')).toBe(sha256(dump));
    const tail = await download(env, alice, url, { range: 'bytes=-100000' });
    expect(tail.body.equals(dump.subarray(dump.length - 100000))).toBe(true);
    const middle = await download(env, alice, url, { range: 'bytes=1000000-2000000' });
    expect(middle.body.equals(dump.subarray(1000000, 2000001))).toBe(true);
  });

  it('shows text (as plain text), raster images and PDF inline; everything else downloads', async () => {
    const { exerciseId, alice } = await runningExercise(env, trainer, scenarioId);
    const base = `/api/exercises/${exerciseId}/evidence`;
    const notes = await download(env, alice, `${base}/notes/content?inline=1`);
    expect(notes.status).toBe(200);
    expect(notes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(notes.headers.get('content-disposition')).toMatch(/^inline; filename="notes.txt"/);
    expect(notes.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(notes.body.toString()).toMatch(/^Seized notes of .+\.\nLine two\.\n$/);
    const image = await download(env, alice, `${base}/photo/content?inline=true`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(image.body.equals(photo)).toBe(true);
    const mail = await download(env, alice, `${base}/mail/content?inline=1`);
    expect(mail.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(mail.headers.get('content-security-policy')).toMatch(/sandbox/);
    for (const key of ['page', 'vector', 'image']) {
      const res = await download(env, alice, `${base}/${key}/content?inline=1`);
      expect(res.status, key).toBe(200);
      expect(res.headers.get('content-type'), key).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition'), key).toMatch(/^attachment;/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const items = (await alice.get(base)).body;
    expect(Object.fromEntries(items.map((i: { key: string; inlineViewable: boolean; mediaType: string }) => [i.key, [i.mediaType, i.inlineViewable]]))).toEqual({
      mail: ['message/rfc822', true],
      image: ['application/octet-stream', false],
      notes: ['text/plain', true],
      photo: ['image/png', true],
      page: ['text/html', false],
      vector: ['image/svg+xml', false],
      dump: ['application/octet-stream', false],
    });
    expectError(await alice.get(`${base}/notes/content?inline=maybe`), 400, 'validation_failed');
  });

  it('logs every acquisition in the chain of custody, not every chunk of one download', async () => {
    const { exerciseId, red, alice, aliceId, bob } = await runningExercise(env, trainer, scenarioId);
    const url = `/api/exercises/${exerciseId}/evidence/image/content`;
    const count = async (action: string) => (await custodyOf(alice, exerciseId, `&evidenceKey=image&action=${action}`)).length;
    expect(await count('released')).toBe(1);
    expect(await count('downloaded')).toBe(0);

    await download(env, alice, url);
    expect(await count('downloaded')).toBe(1);
    await download(env, alice, url, { range: 'bytes=0-9' });
    expect(await count('downloaded')).toBe(2);
    // The rest of that download: covered by the entry just written.
    await download(env, alice, url, { range: 'bytes=10-99' });
    await download(env, alice, url, { range: 'bytes=100-' });
    expect(await count('downloaded')).toBe(2);
    // Refused ranges and HEAD send no evidence and are not logged.
    await download(env, alice, url, { range: 'bytes=9999-' });
    await download(env, alice, url, {}, 'HEAD');
    expect(await count('downloaded')).toBe(2);
    // A resume after the window is logged again.
    env.clock.advance(11 * 60);
    await download(env, alice, url, { range: 'bytes=100-' });
    expect(await count('downloaded')).toBe(3);
    // A teammate's chunk is its own acquisition.
    const carol = await signedIn(env, { roles: ['participant'] });
    expect((await carol.client.post('/api/teams/join', { code: red.inviteCode })).status).toBe(200);
    await download(env, carol.client, url, { range: 'bytes=100-' });
    expect(await count('downloaded')).toBe(4);

    // Metadata reads and inline views are 'viewed'.
    expect(await count('viewed')).toBe(0);
    await alice.get(`/api/exercises/${exerciseId}/evidence/image`);
    await download(env, alice, `/api/exercises/${exerciseId}/evidence/image`, {}, 'HEAD');
    expect(await count('viewed')).toBe(1);
    await download(env, alice, `/api/exercises/${exerciseId}/evidence/notes/content?inline=1`);
    // The list is the catalogue, not an acquisition.
    await alice.get(`/api/exercises/${exerciseId}/evidence`);

    const entries = await custodyOf(alice, exerciseId);
    const notesView = entries.find((e) => e.evidenceKey === 'notes' && e.action === 'viewed')!;
    expect(notesView.details).toMatchObject({ via: 'inline', range: null, role: 'participant' });
    const ranged = entries.filter((e) => e.evidenceKey === 'image' && e.action === 'downloaded');
    const item = (await alice.get(`/api/exercises/${exerciseId}/evidence/image`)).body;
    expect(ranged[1]).toMatchObject({ teamId: red.id, teamName: 'Red', sha256: item.sha256, actor: { userId: aliceId }, details: { via: 'download', range: '0-9', bytes: 10 } });
    expect(ranged[1]!.actor.displayName).toMatch(/^User /);
    expect(ranged[1]!.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const e of entries) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/);
    }

    // Staff see the whole chain: positions 1, 2, 3… each linked to the one before.
    const all = await custodyOf(trainer, exerciseId);
    expect(all.map((e) => e.position)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    expect(new Set(all.map((e) => e.teamName))).toEqual(new Set(['Red', 'Blue']));

    // A trainer's download of a team's variant is in that team's chain.
    await download(env, trainer, `${url}?teamId=${red.id}`);
    const byTrainer = (await custodyOf(alice, exerciseId, '&action=downloaded')).filter((e) => e.actor?.userId === trainerId);
    expect(byTrainer).toHaveLength(1);
    expect(byTrainer[0]!.details.role).toBe('trainer');
    expect((await custodyOf(bob, exerciseId, '&action=downloaded')).length).toBe(0);
    // A scenario original downloaded by staff belongs to no team, and no team sees it.
    await download(env, trainer, url);
    expect((await custodyOf(trainer, exerciseId, '&action=downloaded')).filter((e) => e.teamId === null)).toHaveLength(1);
    expect((await custodyOf(alice, exerciseId)).some((e) => e.teamId === null)).toBe(false);

    // Filters and pages.
    const page = await trainer.get(`/api/exercises/${exerciseId}/custody?pageSize=2&page=1&action=released&teamId=${red.id}`);
    expect(page.body).toMatchObject({ total: atStart.length, page: 1, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].position).toBeGreaterThan(page.body.items[1].position);
  });
});
