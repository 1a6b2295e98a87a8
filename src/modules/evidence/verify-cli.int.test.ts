import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured, useTestAppEnvironment } from '../../test/cli.ts';
import { signedIn, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { asAttacker, download, importEvidenceScenario, runningExercise } from './test-support.ts';

let env: TestEnv;
let trainer: TestClient;
let scenarioId: string;
const cliEnv = useTestAppEnvironment(() => env);
beforeAll(async () => {
  env = await startTestApp();
  cliEnv.apply();
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  scenarioId = await importEvidenceScenario(env, trainer);
});
afterAll(async () => {
  cliEnv.restore();
  await env?.close();
});

const run = runCaptured;

describe('npm run cli -- verify-evidence', () => {
  it('has nothing to verify without exercises', async () => {
    expect(await run('verify-evidence')).toEqual({ code: 0, output: 'No exercises: nothing to verify.' });
  });

  it('exits 0 when everything is intact and 1 when anything is wrong, naming it', async () => {
    const first = await runningExercise(env, trainer, scenarioId);
    const second = await runningExercise(env, trainer, scenarioId);
    await download(env, first.alice, `/api/exercises/${first.exerciseId}/evidence/mail/content`);
    const intact = await run('verify-evidence');
    expect(intact.code, intact.output).toBe(0);
    expect(intact.output).toMatch(new RegExp(`^INTACT  exercise ${first.exerciseId} "Evidence run"`, 'm'));
    expect(intact.output).toMatch(new RegExp(`^INTACT  exercise ${second.exerciseId}`, 'm'));
    expect(intact.output).toMatch(/Evidence intact: 2 exercise\(s\) verified\./);

    // (a) a stored file overwritten on disk.
    const mail = (await first.alice.get(`/api/exercises/${first.exerciseId}/evidence/mail`)).body;
    const file = env.ctx.storage.pathOf(mail.sha256);
    const original = readFileSync(file);
    writeFileSync(file, 'forged');
    let res = await run('verify-evidence');
    expect(res.code, res.output).toBe(1);
    expect(res.output).toMatch(new RegExp(`^BROKEN  exercise ${first.exerciseId}`, 'm'));
    expect(res.output).toMatch(new RegExp(`content_mismatch: stored file ${mail.sha256} now hashes to [0-9a-f]{64}: its content was changed \\(team Red mail\\)`));
    expect(res.output).toMatch(/Evidence NOT intact: 1 of 2 exercise\(s\) with problems\./);
    // The other exercise alone is intact.
    expect((await run('verify-evidence', '--exercise', second.exerciseId)).code).toBe(0);
    writeFileSync(file, original);
    expect((await run('verify-evidence', '--exercise', first.exerciseId)).code).toBe(0);

    // (b) an entry changed and (c) an entry removed, in the database.
    const rows = await env.ctx.database.db.selectFrom('custody_log').selectAll().where('exercise_id', '=', second.exerciseId).orderBy('position').execute();
    await asAttacker(env, async () => {
      await env.ctx.database.db.updateTable('custody_log').set({ occurred_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', rows[1]!.id).execute();
      await env.ctx.database.db.deleteFrom('custody_log').where('id', '=', rows[4]!.id).execute();
    });
    res = await run('verify-evidence', '--exercise', second.exerciseId);
    expect(res.code, res.output).toBe(1);
    expect(res.output).toMatch(/hash_mismatch at position 2: /);
    expect(res.output).toMatch(/position_gap at position 6: position 5 missing before position 6/);
    expect(res.output).toMatch(/prev_hash_mismatch at position 6: /);
    expect(res.output).not.toMatch(/\n\s+at /);
  });

  it('refuses bad arguments with exit code 2 and a message naming them', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['verify-evidence', '--exercise', 'not-a-uuid'], /--exercise: an exercise id \(a UUID\)/],
      [['verify-evidence', '--exercise', '00000000-0000-4000-8000-000000000000'], /--exercise: no exercise 00000000-0000-4000-8000-000000000000/],
      [['verify-evidence', '--exercise'], /--exercise/],
      [['verify-evidence', '--email', 'a@example.org'], /verify-evidence: takes only --exercise \(not --email\)/],
      [['verify-evidence', '--bogus'], /Unknown option '--bogus'/],
      [['verify-evidence', 'extra'], /Unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      const res = await run(...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.output).toMatch(message);
      expect(res.output).not.toMatch(/\n\s+at /);
    }
  });
});
