import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { entryHash, verifyCustodyChain } from './custody.ts';
import { verifyStoredEvidence } from './verify.ts';
import { asAttacker, download, importEvidenceScenario, runningExercise, sha256 } from './test-support.ts';

let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;
beforeAll(async () => {
  env = await startTestApp();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importEvidenceScenario(env, trainer);
});
afterAll(async () => env?.close());

/** A running exercise in which Red has downloaded and viewed a few items. */
async function usedExercise() {
  const run = await runningExercise(env, trainer, scenarioId);
  await download(env, run.alice, `/api/exercises/${run.exerciseId}/evidence/image/content`);
  await run.alice.get(`/api/exercises/${run.exerciseId}/evidence/mail`);
  await download(env, run.alice, `/api/exercises/${run.exerciseId}/evidence/mail/content`);
  await download(env, run.bob, `/api/exercises/${run.exerciseId}/evidence/notes/content?inline=1`);
  return run;
}

const report = async (exerciseId: string) => {
  const res = await trainer.get(`/api/exercises/${exerciseId}/custody/verify`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const chainRows = (exerciseId: string) => env.ctx.database.db.selectFrom('custody_log').selectAll().where('exercise_id', '=', exerciseId).orderBy('position').execute();

describe('evidence verification', () => {
  it('finds an exercise in use intact, and only trainers may ask', async () => {
    const { exerciseId, alice } = await usedExercise();
    const r = await report(exerciseId);
    const rows = await chainRows(exerciseId);
    expect(rows.length).toBe(14 + 4);
    expect(r).toMatchObject({ exerciseId, title: 'Evidence run', intact: true, custody: { entries: rows.length, intact: true, problems: [] }, files: { intact: true, problems: [] } });
    expect(r.custody.head).toEqual({ position: rows.length, hash: rows.at(-1)!.hash });
    // The scenario's 9 files, plus each team's own mail and notes variants.
    expect(r.files.checked).toBe(9 + 4);
    expect((await verifyCustodyChain(env.ctx.database.db, exerciseId)).problems).toEqual([]);

    expectError(await alice.get(`/api/exercises/${exerciseId}/custody/verify`), 403, 'forbidden');
    const expert = await signedIn(env, { roles: ['expert'] });
    expect((await trainer.post(`/api/exercises/${exerciseId}/staff`, { userId: expert.user.id, role: 'expert' })).status).toBe(200);
    expectError(await expert.client.get(`/api/exercises/${exerciseId}/custody/verify`), 403, 'forbidden');
    // Experts read the chain, though.
    expect((await expert.client.get(`/api/exercises/${exerciseId}/custody`)).body.total).toBe(rows.length);
  });

  it('reports a stored file whose content was overwritten on disk, and never serves it whole', async () => {
    const { exerciseId, alice } = await usedExercise();
    const other = await usedExercise();
    const mail = (await alice.get(`/api/exercises/${exerciseId}/evidence/mail`)).body;
    const file = env.ctx.storage.pathOf(mail.sha256);
    const original = readFileSync(file);
    const forged = Buffer.from(original.toString().replace(/Send 1 BTC/, 'Send 9 BTC'));
    expect(forged.length).toBe(original.length);
    writeFileSync(file, forged);

    const r = await report(exerciseId);
    expect(r.intact).toBe(false);
    expect(r.custody.intact).toBe(true);
    expect(r.files.problems).toEqual([
      { kind: 'content_mismatch', sha256: mail.sha256, actual: sha256(forged), message: expect.stringContaining('content was changed'), references: [{ kind: 'team_variant', teamId: mail.teamId, teamName: 'Red', evidenceKey: 'mail' }] },
    ]);
    expect((await verifyStoredEvidence(env.ctx, exerciseId)).problems).toHaveLength(1);
    // Another exercise, with its own variants, is untouched.
    expect((await report(other.exerciseId)).intact).toBe(true);

    // A whole download is re-hashed on its way out: the changed file is cut short.
    const cut = await download(env, alice, `/api/exercises/${exerciseId}/evidence/mail/content`).catch(() => null);
    expect(cut === null || cut.status !== 200 || cut.body.length < mail.size).toBe(true);
    // Small files fail before the first byte: a plain error.
    expect(cut?.status, cut?.body.toString()).toBe(503);
    expect(cut?.body.toString()).not.toContain('Send 9 BTC');

    // A file of another size is refused outright; a missing one is reported.
    writeFileSync(file, Buffer.concat([original, Buffer.from('appended')]));
    expectError(await alice.get(`/api/exercises/${exerciseId}/evidence/mail/content`), 503, 'unavailable');
    rmSync(file);
    expectError(await alice.get(`/api/exercises/${exerciseId}/evidence/mail/content`), 503, 'unavailable');
    expect((await report(exerciseId)).files.problems.map((p: { kind: string }) => p.kind)).toEqual(['missing']);
    writeFileSync(file, original);
    expect((await report(exerciseId)).intact).toBe(true);
  });

  it('cuts a whole download of a large changed file short, and reports the file', async () => {
    const { exerciseId, alice } = await usedExercise();
    const item = (await alice.get(`/api/exercises/${exerciseId}/evidence/dump`)).body;
    const file = env.ctx.storage.pathOf(item.sha256);
    const original = readFileSync(file);
    const forged = Buffer.from(original);
    forged.writeUInt8(forged.readUInt8(forged.length - 1) ^ 0xff, forged.length - 1);
    writeFileSync(file, forged);
    try {
      const res = await download(env, alice, `/api/exercises/${exerciseId}/evidence/dump/content`).catch(() => null);
      // The headers went out before the end of the file: the connection is cut before the last bytes.
      expect(res === null || res.body.length < item.size).toBe(true);
      const r = await report(exerciseId);
      expect(r.files.problems).toEqual([expect.objectContaining({ kind: 'content_mismatch', sha256: item.sha256, actual: sha256(forged) })]);
      expect(r.files.problems[0].references).toContainEqual({ kind: 'scenario_file', path: 'evidence/memory.raw' });
      expect(r.files.problems[0].references).toHaveLength(3);
    } finally {
      writeFileSync(file, original);
    }
    expect((await report(exerciseId)).intact).toBe(true);
  });

  it("reports a custody entry changed in the database, even when the attacker recomputes its hash", async () => {
    const { exerciseId, bobId } = await usedExercise();
    const rows = await chainRows(exerciseId);
    const target = rows.find((r) => r.action === 'downloaded')!;
    // Pretend that Bob, not Alice, downloaded it.
    await asAttacker(env, () => env.ctx.database.db.updateTable('custody_log').set({ actor_user_id: bobId }).where('id', '=', target.id).execute());
    let r = await report(exerciseId);
    expect(r.intact).toBe(false);
    expect(r.custody.problems).toEqual([{ kind: 'hash_mismatch', position: target.position, entryId: target.id, message: expect.stringContaining('changed') }]);
    expect(r.files.intact).toBe(true);

    // With its hash recomputed, the next entry no longer links to it.
    const { id: _id, hash: _hash, prev_hash, ...body } = { ...target, actor_user_id: bobId };
    await asAttacker(env, () => env.ctx.database.db.updateTable('custody_log').set({ hash: entryHash(prev_hash, body) }).where('id', '=', target.id).execute());
    r = await report(exerciseId);
    expect(r.custody.problems).toEqual([{ kind: 'prev_hash_mismatch', position: target.position + 1, entryId: rows[target.position]!.id, message: expect.any(String) }]);

    // The triggers are back: the log refuses changes again.
    await expect(env.ctx.database.db.updateTable('custody_log').set({ action: 'viewed' }).where('id', '=', target.id).execute()).rejects.toThrow(/append-only/);
    await expect(env.ctx.database.db.deleteFrom('custody_log').where('id', '=', target.id).execute()).rejects.toThrow(/append-only/);
  });

  it('reports a custody entry removed from the middle or from the end of the chain', async () => {
    const { exerciseId } = await usedExercise();
    const rows = await chainRows(exerciseId);
    const middle = rows[5]!;
    await asAttacker(env, () => env.ctx.database.db.deleteFrom('custody_log').where('id', '=', middle.id).execute());
    let r = await report(exerciseId);
    expect(r.custody.problems.map((p: { kind: string; position: number }) => [p.kind, p.position])).toEqual([
      ['position_gap', 7],
      ['prev_hash_mismatch', 7],
    ]);
    expect(r.custody.problems[0].message).toMatch(/position 6 missing/);

    // The last entry: the chain alone looks whole, the recorded head does not.
    const last = rows.at(-1)!;
    await asAttacker(env, () => env.ctx.database.db.deleteFrom('custody_log').where('id', '=', last.id).execute());
    r = await report(exerciseId);
    expect(r.custody.problems.map((p: { kind: string }) => p.kind)).toEqual(['position_gap', 'prev_hash_mismatch', 'head_mismatch']);
    expect(r.custody.problems[2].message).toMatch(/removed from the end/);
    const chain = await verifyCustodyChain(env.ctx.database.db, exerciseId);
    expect(chain.entries).toBe(rows.length - 2);
    // The head itself only moves forward.
    await expect(env.ctx.database.db.updateTable('custody_heads').set({ position: rows.length - 1, hash: rows.at(-2)!.hash }).where('exercise_id', '=', exerciseId).execute()).rejects.toThrow(/only move forward/);
    await expect(env.ctx.database.db.deleteFrom('custody_heads').where('exercise_id', '=', exerciseId).execute()).rejects.toThrow(/only move forward/);
  });

  it("reports a team's variant record that no longer matches what was released to it", async () => {
    const { exerciseId, red, blue } = await usedExercise();
    const { db } = env.ctx.database;
    const blueMail = await db.selectFrom('team_evidence').selectAll().where('team_id', '=', blue.id).where('evidence_key', '=', 'mail').executeTakeFirstOrThrow();
    const redMail = await db.selectFrom('team_evidence').selectAll().where('team_id', '=', red.id).where('evidence_key', '=', 'mail').executeTakeFirstOrThrow();
    await db.updateTable('team_evidence').set({ sha256: blueMail.sha256, size: blueMail.size }).where('team_id', '=', red.id).where('evidence_key', '=', 'mail').execute();
    const r = await report(exerciseId);
    expect(r.files.problems).toEqual([
      { kind: 'record_mismatch', sha256: blueMail.sha256, actual: redMail.sha256, message: expect.stringContaining('was released as'), references: [{ kind: 'team_variant', teamId: red.id, teamName: 'Red', evidenceKey: 'mail' }] },
    ]);
    await db.updateTable('team_evidence').set({ sha256: redMail.sha256, size: redMail.size }).where('team_id', '=', red.id).where('evidence_key', '=', 'mail').execute();
    expect((await report(exerciseId)).intact).toBe(true);
  });
});
