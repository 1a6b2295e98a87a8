import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { expect } from 'vitest';
import { signedIn, type TestClient, type TestEnv } from '../../test/harness.ts';
import { miniDefinition, miniFiles, uploadPackage } from '../../test/scenario-fixture.ts';
import { rawZip } from '../../test/zip.ts';

// Shared by the evidence module's integration tests: a scenario with items of
// every kind of media type, a running exercise with two teams, raw downloads,
// and a way to tamper with the append-only custody log as an attacker would.

export const notesText = 'Seized notes of {{ company }}.\nLine two.\n';
export const photo = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(120)]);
/** Large enough to stream in many chunks. */
export const dump = randomBytes(3 * 1024 * 1024 + 17);

export function evidencePackage(): Buffer {
  const base = miniDefinition();
  const evidence = [
    ...(base.evidence as object[]),
    { id: 'notes', file: 'evidence/notes.txt', title: { en: 'Notes of {{ company }}' }, kind: 'document', templated: true },
    { id: 'photo', file: 'evidence/photo.png', title: { en: 'Photo' }, kind: 'image' },
    { id: 'page', file: 'evidence/page.html', title: { en: 'Saved page' }, kind: 'document', mediaType: 'text/html' },
    { id: 'vector', file: 'evidence/drawing.svg', title: { en: 'Drawing' }, kind: 'image', mediaType: 'image/svg+xml' },
    { id: 'dump', file: 'evidence/memory.raw', title: { en: 'Memory dump' }, kind: 'device_extract' },
  ];
  return rawZip(
    miniFiles(stringify(miniDefinition({ evidence })), [
      { name: 'evidence/notes.txt', data: Buffer.from(notesText) },
      { name: 'evidence/photo.png', data: photo },
      { name: 'evidence/page.html', data: Buffer.from('<script>alert(1)</script>') },
      { name: 'evidence/drawing.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
      { name: 'evidence/memory.raw', data: dump },
    ]),
  );
}

/** Items released at the start, in the scenario's order. */
export const atStart = ['mail', 'image', 'notes', 'photo', 'page', 'vector', 'dump'];

export async function importEvidenceScenario(env: TestEnv, trainer: TestClient): Promise<string> {
  const res = await uploadPackage(env.baseUrl, trainer, evidencePackage());
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.scenario.id as string;
}

/** A running exercise with teams Red (alice) and Blue (bob). */
export async function runningExercise(env: TestEnv, trainer: TestClient, scenarioId: string, start = true) {
  const exercise = (await trainer.post('/api/exercises', { scenarioId, title: 'Evidence run' })).body;
  const red = (await trainer.post(`/api/exercises/${exercise.id}/teams`, { name: 'Red' })).body;
  const blue = (await trainer.post(`/api/exercises/${exercise.id}/teams`, { name: 'Blue' })).body;
  const alice = await signedIn(env, { roles: ['participant'] });
  const bob = await signedIn(env, { roles: ['participant'] });
  expect((await alice.client.post('/api/teams/join', { code: red.inviteCode })).status).toBe(200);
  expect((await bob.client.post('/api/teams/join', { code: blue.inviteCode })).status).toBe(200);
  if (start) expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).status).toBe(200);
  return { exerciseId: exercise.id as string, red, blue, alice: alice.client, aliceId: alice.user.id, bob: bob.client, bobId: bob.user.id };
}

export type Download = { status: number; headers: Headers; body: Buffer };

/** A raw GET (or HEAD) with the client's session, the body as bytes. */
export async function download(env: TestEnv, client: TestClient, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Download> {
  const h: Record<string, string> = { ...headers };
  if (client.cookie) h.cookie = client.cookie;
  const res = await fetch(env.baseUrl + url, { method, headers: h });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * Runs `change` with the custody log's append-only triggers dropped, as an
 * attacker with database access would, and puts them back afterwards.
 */
export async function asAttacker(env: TestEnv, change: () => Promise<unknown>): Promise<void> {
  const { db, dialect } = env.ctx.database;
  if (dialect === 'sqlite') {
    await sql.raw('DROP TRIGGER custody_log_no_update').execute(db);
    await sql.raw('DROP TRIGGER custody_log_no_delete').execute(db);
  } else {
    await sql.raw('DROP TRIGGER custody_log_append_only ON custody_log').execute(db);
  }
  try {
    await change();
  } finally {
    if (dialect === 'sqlite') {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql.raw(`CREATE TRIGGER custody_log_no_${op.toLowerCase()} BEFORE ${op} ON custody_log BEGIN SELECT RAISE(ABORT, 'custody_log is append-only'); END`).execute(db);
      }
    } else {
      await sql.raw('CREATE TRIGGER custody_log_append_only BEFORE UPDATE OR DELETE ON custody_log FOR EACH ROW EXECUTE FUNCTION custody_log_append_only()').execute(db);
    }
  }
}

/** What a team's member reads of its locker in one exercise: the keys released, a file's bytes, a text file (every placeholder rendered). */
export function teamLocker(env: TestEnv, exerciseId: string) {
  const keys = async (client: TestClient) => ((await client.get(`/api/exercises/${exerciseId}/evidence`)).body as Array<{ key: string }>).map((i) => i.key).sort();
  const content = async (client: TestClient, key: string) => {
    const res = await download(env, client, `/api/exercises/${exerciseId}/evidence/${key}/content`);
    expect(res.status).toBe(200);
    return res.body as Buffer;
  };
  const text = async (client: TestClient, key: string) => {
    const body = (await content(client, key)).toString('utf8');
    expect(body).not.toContain('{{');
    return body;
  };
  return { keys, content, text };
}
