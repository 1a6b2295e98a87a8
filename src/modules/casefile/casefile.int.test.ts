import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { answer, valuesOf } from '../scoring/fixture.ts';
import { download } from '../evidence/test-support.ts';
import { caseFileActivity } from './activity.ts';
import { caseFileSummaries } from './summary.ts';
import { caseFileExercise, caseFileRows, save, saved } from './test-support.ts';

// The case file's rules over HTTP: citations record the hash of the team's
// copy and lose admissibility when the stored file changes; saves are versioned
// with optimistic concurrency; the captain submits once, before the deadline,
// and nothing changes afterwards; evaluations (with a second evaluator when the
// scenario asks) set the final readiness and the team's case-file points.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

const full = (exhibits: string[] = ['mail', 'image']) => [
  { chargeId: 'extortion', elements: [{ elementId: 'who', finding: 'The sender is the holder of the wallet.', facts: ['wallet'], exhibits, reasoning: 'Headers and body.' }] },
  { chargeId: 'access', elements: [{ elementId: 'act', exhibits: ['image'] }] },
];

describe('citations and admissibility', () => {
  it('accepts only exhibits released to the team and records the hash of its copy', async () => {
    const { red, base } = await caseFileExercise(env);
    const before = await caseFileRows(env);
    // 'ledger' is released only by an inject Red has not triggered.
    const bad = await save(red.client, base, 0, [{ chargeId: 'extortion', elements: [{ elementId: 'gain', exhibits: ['ledger'] }] }]);
    expectError(bad, 400, 'validation_failed');
    expect(bad.body.error.details).toEqual([{ path: 'body.charges.0.elements.0.exhibits.0', message: expect.stringContaining('not an exhibit released to your team') }]);
    expectError(await save(red.client, base, 0, [{ chargeId: 'extortion', elements: [{ elementId: 'who', facts: ['deposit'] }] }]), 400, 'validation_failed');
    expectError(await save(red.client, base, 0, [{ chargeId: 'murder', elements: [] }]), 400, 'validation_failed');
    expectError(await save(red.client, base, 0, [{ chargeId: 'extortion', elements: [{ elementId: 'nope' }] }]), 400, 'validation_failed');
    const entity = await red.client.post(`${base}/entities`, { kind: 'wallet', value: 'bc1q', exhibit: 'ledger' });
    expectError(entity, 400, 'validation_failed');
    expect(entity.body.error.details[0].path).toBe('body.exhibit');
    expectError(await red.client.post(`${base}/events`, { at: '2025-03-10T07:42:00Z', description: 'x', exhibit: 'ghost' }), 400, 'validation_failed');
    expect(await caseFileRows(env)).toEqual(before);

    const file = await saved(red.client, base, 0, full());
    const mail = (await red.client.get(`/api/exercises/${run(base)}/evidence/mail`)).body;
    expect(file.charges[0].elements[0].citations).toEqual([
      { exhibit: 'mail', title: { en: 'Extortion e-mail' }, sha256: mail.sha256, citedAt: expect.any(String), admissible: true, reason: null, relevant: null },
      expect.objectContaining({ exhibit: 'image', admissible: true }),
    ]);
    expect(file.charges[0].elements[0].facts).toEqual([{ objectiveKey: 'wallet', prompt: { en: 'Which wallet?' }, established: false, relevant: null }]);
  });

  it('flags a citation inadmissible when the stored file was altered after acquisition', async () => {
    const { red, blue, base, trainer } = await caseFileExercise(env);
    const exerciseId = run(base);
    await saved(red.client, base, 0, full());
    expect((await red.client.post(`${base}/entities`, { kind: 'email', value: 'x@example.org', exhibit: 'mail' })).status).toBe(201);
    expect((await red.client.post(`${base}/events`, { at: '2025-03-10T07:42:00Z', description: 'Mail sent', exhibit: 'mail' })).status).toBe(201);
    await saved(blue.client, base, 0, full());

    // Red's own copy of the templated e-mail is changed on disk, keeping its size.
    const mail = (await red.client.get(`/api/exercises/${exerciseId}/evidence/mail`)).body;
    const path = env.ctx.storage.pathOf(mail.sha256);
    const original = readFileSync(path);
    writeFileSync(path, Buffer.from(original.toString().replace('Send 1 BTC', 'Send 9 BTC')));
    try {
      const file = (await red.client.get(base)).body;
      const who = file.charges[0].elements[0];
      expect(who.citations[0]).toMatchObject({ exhibit: 'mail', sha256: mail.sha256, admissible: false, reason: 'file_altered' });
      expect(who.citations[1]).toMatchObject({ exhibit: 'image', admissible: true, reason: null });
      expect(file.entities[0].citation).toMatchObject({ exhibit: 'mail', admissible: false, reason: 'file_altered' });
      expect(file.timeline[0].citation).toMatchObject({ exhibit: 'mail', admissible: false, reason: 'file_altered' });
      // Only the image counts now: the element still has its one exhibit (the automatic check is for staff while the exercise runs).
      expect(who.automatic).toBeNull();
      expect((await trainer.get(`${base}?teamId=${red.id}`)).body.charges[0].elements[0].automatic).toMatchObject({ exhibits: 1 });
      // Blue's copy is its own file: still admissible.
      expect((await blue.client.get(base)).body.charges[0].elements[0].citations[0]).toMatchObject({ exhibit: 'mail', admissible: true });
      // Staff see the same flag, and so does the printed report.
      expect((await trainer.get(`${base}?teamId=${red.id}`)).body.charges[0].elements[0].citations[0].reason).toBe('file_altered');
      const pdf = await download(env, red.client, `${base}/report.pdf?lang=en`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="prosecution-report-red-v1.pdf"; filename*=UTF-8''prosecution-report-red-v1.pdf`);
      expect(pdf.body.length).toBeGreaterThan(1000);
    } finally {
      writeFileSync(path, original);
    }
    expect((await red.client.get(base)).body.charges[0].elements[0].citations[0].admissible).toBe(true);

    // A team copy whose hash changed since the citation (a re-issued variant) is inadmissible too.
    const image = (await red.client.get(`/api/exercises/${exerciseId}/evidence/image`)).body;
    await env.ctx.database.db.updateTable('team_evidence').set({ sha256: image.sha256 }).where('team_id', '=', red.id).where('evidence_key', '=', 'mail').execute();
    expect((await red.client.get(base)).body.charges[0].elements[0].citations[0]).toMatchObject({ admissible: false, reason: 'copy_changed' });
  });
});

describe('drafts and versions', () => {
  it('saves versions with optimistic concurrency and keeps each whole', async () => {
    const { red, base, exerciseId } = await caseFileExercise(env);
    const mate = await (await import('../scoring/fixture.ts')).joinTeam(env, red.inviteCode);
    expect((await saved(red.client, base, 0, full(['mail']))).version).toBe(1);
    expect((await red.client.post(`${base}/entities`, { kind: 'ip', value: '203.0.113.7', label: 'Sender', note: 'From the headers' })).status).toBe(201);
    expect((await saved(mate.client, base, 1, full(['mail', 'image']))).version).toBe(2);

    // Red edited version 1: its save is refused with the current version, and nothing changes.
    const before = await caseFileRows(env);
    const stale = await save(red.client, base, 1, []);
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.details).toEqual({ reason: 'version', currentVersion: 2 });
    expect(await caseFileRows(env)).toEqual(before);

    const list = (await red.client.get(`${base}/versions`)).body;
    expect(list).toMatchObject({ current: 2, items: [{ version: 2, kind: 'save', savedBy: { userId: mate.userId }, entities: 1 }, { version: 1, kind: 'save', entities: 0 }] });
    const v1 = (await red.client.get(`${base}/versions/1`)).body;
    expect(v1.document.charges[0].elements[0].citations.map((c: { exhibit: string }) => c.exhibit)).toEqual(['mail']);
    const v2 = (await red.client.get(`${base}/versions/2`)).body;
    expect(v2.entities).toEqual([{ kind: 'ip', value: '203.0.113.7', label: 'Sender', note: 'From the headers', exhibit: null, sha256: null }]);
    // The hash and time of a citation kept from version 1 are those recorded then.
    expect(v2.document.charges[0].elements[0].citations[0]).toEqual(v1.document.charges[0].elements[0].citations[0]);
    expectError(await red.client.get(`${base}/versions/3`), 404, 'not_found');

    // Two members saving from the same version at once: one wins, the other is told.
    const both = await Promise.all([save(red.client, base, 2, full(['image'])), save(mate.client, base, 2, full(['mail']))]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await red.client.get(`${base}/versions`)).body.current).toBe(3);
    void exerciseId;
  });
});

describe('submission and locks', () => {
  it('lets only the captain submit, once; then every write is refused and nothing changes', async () => {
    const { red, base, exerciseId } = await caseFileExercise(env);
    const { joinTeam } = await import('../scoring/fixture.ts');
    const mate = await joinTeam(env, red.inviteCode);
    expectError(await red.client.post(`${base}/submit`, { version: 0 }), 400, 'validation_failed');
    expectError(await red.client.post(`${base}/submit`, { version: 1 }), 409, 'conflict');
    await saved(red.client, base, 0, full());
    const entity = (await red.client.post(`${base}/entities`, { kind: 'ip', value: '203.0.113.7' })).body;
    expect((await red.client.get(base)).body.canSubmit).toBe(true);
    expect((await mate.client.get(base)).body.canSubmit).toBe(false);
    expectError(await mate.client.post(`${base}/submit`, { version: 1 }), 403, 'forbidden');
    expectError(await red.client.post(`${base}/submit`, { version: 2 }), 409, 'conflict');

    const submitted = await red.client.post(`${base}/submit`, { version: 1 });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', version: 2, locked: 'submitted', canSubmit: false, submittedBy: { userId: red.userId } });
    const audit = await env.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'case_file.submitted').where('target_id', '=', red.id).execute();
    expect(audit).toHaveLength(1);

    const before = await caseFileRows(env);
    for (const res of [
      await save(red.client, base, 2, []),
      await red.client.post(`${base}/entities`, { kind: 'ip', value: '198.51.100.1' }),
      await red.client.delete(`${base}/entities/${entity.id}`),
      await red.client.post(`${base}/events`, { at: '2025-03-10T07:42:00Z', description: 'late' }),
      await red.client.post(`${base}/submit`, { version: 2 }),
    ]) {
      expectError(res, 409, 'conflict');
      expect(res.body.error.details).toEqual({ reason: 'locked', lock: 'submitted' });
    }
    expect(await caseFileRows(env)).toEqual(before);
    expect((await red.client.get(`${base}/versions`)).body.items[0]).toMatchObject({ version: 2, kind: 'submit', entities: 1 });
    void exerciseId;
  });

  it('refuses writes before the exercise starts', async () => {
    const { red, base } = await caseFileExercise(env, {}, { start: false });
    const before = await caseFileRows(env);
    const res = await save(red.client, base, 0, []);
    expectError(res, 409, 'conflict');
    expect(res.body.error.details).toEqual({ reason: 'locked', lock: 'not_started' });
    expect(await caseFileRows(env)).toEqual(before);
    expect((await red.client.get(base)).body).toMatchObject({ locked: 'not_started', version: 0, charges: [{ chargeId: 'extortion', chosen: false }, { chargeId: 'access', chosen: false }] });
  });

  it('refuses every write while the exercise is paused, as answers are, and takes them again once it resumes', async () => {
    const { red, base, trainer, exerciseId } = await caseFileExercise(env);
    await saved(red.client, base, 0, full());
    const entity = (await red.client.post(`${base}/entities`, { kind: 'ip', value: '203.0.113.7' })).body;
    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'pause' })).status).toBe(200);
    env.clock.advance(5 * 60);

    const before = await caseFileRows(env);
    for (const res of [
      await save(red.client, base, 1, full(['mail'])),
      await red.client.post(`${base}/entities`, { kind: 'wallet', value: 'bc1qpaused' }),
      await red.client.delete(`${base}/entities/${entity.id}`),
      await red.client.post(`${base}/events`, { at: '2025-03-10T07:42:00Z', description: 'During the pause' }),
      await red.client.post(`${base}/submit`, { version: 1 }),
    ]) {
      expectError(res, 409, 'conflict');
      expect(res.body.error).toEqual({ code: 'conflict', message: 'The exercise is paused: the case file can be changed again when it resumes', details: { reason: 'paused' } });
    }
    expect(await caseFileRows(env)).toEqual(before);
    expect((await red.client.get(base)).body).toMatchObject({ locked: 'paused', canSubmit: false, version: 1, entities: [{ value: '203.0.113.7' }] });

    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'resume' })).status).toBe(200);
    expect((await red.client.get(base)).body).toMatchObject({ locked: null, canSubmit: true });
    expect((await saved(red.client, base, 1, full(['mail']))).version).toBe(2);
    expect((await red.client.post(`${base}/entities`, { kind: 'wallet', value: 'bc1qresumed' })).status).toBe(201);
    expect((await red.client.get(`${base}/versions/2`)).body.document.charges[0].elements[0].citations.map((c: { exhibit: string }) => c.exhibit)).toEqual(['mail']);
  });

  it("locks the case file at the team's deadline, its extra time included, and when the exercise ends", async () => {
    const { red, blue, base, trainer, exerciseId } = await caseFileExercise(env, {}, { durationMinutes: 60 });
    await saved(red.client, base, 0, full());
    await saved(blue.client, base, 0, full());
    expect((await trainer.patch(`/api/exercises/${exerciseId}/teams/${blue.id}`, { extraMinutes: 10 })).status).toBe(200);
    env.clock.advance(61 * 60);
    const before = await caseFileRows(env);
    for (const res of [await save(red.client, base, 1, []), await red.client.post(`${base}/entities`, { kind: 'ip', value: '198.51.100.1' }), await red.client.post(`${base}/submit`, { version: 1 })]) {
      expectError(res, 409, 'conflict');
      expect(res.body.error.details).toEqual({ reason: 'locked', lock: 'deadline' });
    }
    expect(await caseFileRows(env)).toEqual(before);
    expect((await red.client.get(base)).body).toMatchObject({ locked: 'deadline', canSubmit: false, version: 1 });
    // Blue still has its ten minutes.
    expect((await blue.client.get(base)).body.locked).toBeNull();
    expect((await saved(blue.client, base, 1, full(['mail']))).version).toBe(2);
    // Ending the exercise locks every team.
    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'end' })).status).toBe(200);
    expectError(await blue.client.post(`${base}/submit`, { version: 2 }), 409, 'conflict');
    expect((await blue.client.get(base)).body.locked).toBe('deadline');
  });
});

describe('evaluation, readiness and points', () => {
  /** A submitted case file of Red: wallet solved, mail and image cited for "who", nothing for "gain", the image for "act". */
  async function submittedRun(over: Record<string, unknown> = {}) {
    const r = await caseFileExercise(env, over);
    const values = await valuesOf(env, r.red.id);
    expect((await answer(r.red.client, r.exerciseId, 'wallet', values.wallet!)).body.solved).toBe(true);
    await saved(r.red.client, r.base, 0, full());
    const file = (await r.trainer.get(`${r.base}?teamId=${r.red.id}`)).body;
    expect(file.charges[0].elements.map((e: { automatic: { status: string } }) => e.automatic.status)).toEqual(['supported', 'unsupported']);
    // Provisional: who (2) supported, gain (1) unsupported, act (1) supported: 3 / 4.
    expect(file.readiness).toMatchObject({ provisional: 0.75, final: null, points: 300, awardedPoints: null });
    expect(file.charges.map((c: { ready: boolean }) => c.ready)).toEqual([false, true]);
    return r;
  }
  const verdicts = (who: string, gain: string, act: string) => ({
    comment: 'Well argued.',
    elements: [
      { chargeId: 'extortion', elementId: 'who', verdict: who, comment: 'Clear.' },
      { chargeId: 'extortion', elementId: 'gain', verdict: gain },
      { chargeId: 'access', elementId: 'act', verdict: act },
    ],
  });
  const points = async (teamId: string) =>
    (await env.ctx.database.db.selectFrom('score_adjustments').select(['points', 'kind']).where('team_id', '=', teamId).where('kind', '=', 'case_file').orderBy('created_at').orderBy('id').execute()).map((r) => r.points);

  it('evaluates only submitted case files, every element of the charges brought', async () => {
    const { red, base, exerciseId, staff } = await submittedRun();
    const expert = await staff('expert');
    const url = `/api/exercises/${exerciseId}/case-files/${red.id}/evaluations`;
    expectError(await expert.client.post(url, verdicts('proven', 'proven', 'proven')), 409, 'conflict');
    expect((await red.client.post(`${base}/submit`, { version: 1 })).status).toBe(200);
    const before = await caseFileRows(env);
    const missing = await expert.client.post(url, { elements: verdicts('proven', 'proven', 'proven').elements.slice(0, 2) });
    expectError(missing, 400, 'validation_failed');
    expect(missing.body.error.details[0]).toMatchObject({ path: 'body.elements', message: expect.stringContaining('access/act') });
    expectError(await expert.client.post(url, { elements: [...verdicts('proven', 'proven', 'proven').elements, { chargeId: 'access', elementId: 'ghost', verdict: 'proven' }] }), 400, 'validation_failed');
    expectError(await red.client.post(url, verdicts('proven', 'proven', 'proven')), 403, 'forbidden');
    expect(await caseFileRows(env)).toEqual(before);
  });

  it('computes the final readiness and awards round(points × readiness), a later evaluation adding the difference', async () => {
    const { red, base, exerciseId, staff } = await submittedRun();
    const expert = await staff('expert');
    const trainer2 = await staff('trainer');
    expect((await red.client.post(`${base}/submit`, { version: 1 })).status).toBe(200);
    const url = `/api/exercises/${exerciseId}/case-files/${red.id}/evaluations`;

    // who proven (2 × 1), gain partly (1 × 0.5), act not proven (1 × 0): 2.5 / 4.
    const first = await expert.client.post(url, verdicts('proven', 'partly', 'not_proven'));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.readiness).toMatchObject({ provisional: 0.75, final: 0.625, evaluationsNeeded: 1, evaluationsDone: 1, awardedPoints: 188 });
    expect(first.body.charges.map((c: { ready: boolean }) => c.ready)).toEqual([false, true]);
    expect(await points(red.id)).toEqual([188]);

    // The team sees the result and the evaluation once final.
    const seen = (await red.client.get(base)).body;
    expect(seen.readiness.final).toBe(0.625);
    expect(seen.charges[0].elements.map((e: { verdict: string }) => e.verdict)).toEqual(['proven', 'partly']);
    expect(seen.evaluations).toMatchObject([{ round: 1, evaluator: { userId: expert.userId }, readiness: 0.625, comment: 'Well argued.' }]);

    // A later evaluation by someone else replaces the result (one evaluator needed: each one's latest counts, averaged).
    const second = await trainer2.client.post(url, verdicts('proven', 'proven', 'proven'));
    expect(second.body.readiness.final).toBeCloseTo((2 + (0.5 + 1) / 2 + 0.5) / 4, 10);
    expect(second.body.charges.map((c: { ready: boolean }) => c.ready)).toEqual([false, true]);
    const target = Math.round(300 * ((2 + 0.75 + 0.5) / 4));
    expect(await points(red.id)).toEqual([188, target - 188]);
    // The expert revises: its latest evaluation replaces its first.
    await expert.client.post(url, verdicts('proven', 'proven', 'proven'));
    expect(await points(red.id)).toEqual([188, target - 188, 300 - target]);
    expect((await red.client.get(base)).body.charges.map((c: { ready: boolean }) => c.ready)).toEqual([true, true]);

    const overview = (await expert.client.get(`/api/exercises/${exerciseId}/case-files`)).body;
    expect(overview.items.find((i: { teamId: string }) => i.teamId === red.id)).toMatchObject({ status: 'submitted', finalReadiness: 1, provisionalReadiness: 0.75, evaluations: 3, evaluationsNeeded: 1 });
    // The after-action report's readers.
    const activity = await caseFileActivity(env.ctx.database.db, exerciseId, red.id);
    expect(activity.map((a) => [a.kind, a.details.version ?? a.details.round])).toEqual([
      ['case_file_saved', 1],
      ['case_file_submitted', 2],
      ['case_file_evaluated', 1],
      ['case_file_evaluated', 2],
      ['case_file_evaluated', 3],
    ]);
    expect(await caseFileActivity(env.ctx.database.db, exerciseId, null)).toHaveLength(5);
    const summaries = await caseFileSummaries(env.ctx, exerciseId);
    expect(summaries.find((x) => x.teamId === red.id)).toEqual({
      teamId: red.id,
      status: 'submitted',
      submittedAt: expect.any(String),
      readiness: 1,
      provisionalReadiness: 0.75,
      charges: [
        { chargeId: 'extortion', ready: true },
        { chargeId: 'access', ready: true },
      ],
    });
    const audit = await env.ctx.database.db.selectFrom('audit_log').select('action').where('target_id', '=', red.id).where('action', 'in', ['case_file.evaluated', 'score.adjusted']).execute();
    expect(audit.filter((a) => a.action === 'case_file.evaluated')).toHaveLength(3);
    expect(audit.filter((a) => a.action === 'score.adjusted')).toHaveLength(3);
  });

  it('with a second evaluator, the result is final only after two different people evaluated', async () => {
    const { red, base, exerciseId, staff } = await submittedRun({ secondEvaluator: true });
    const expert = await staff('expert');
    const expert2 = await staff('expert');
    expect((await red.client.post(`${base}/submit`, { version: 1 })).status).toBe(200);
    const url = `/api/exercises/${exerciseId}/case-files/${red.id}/evaluations`;

    const one = (await expert.client.post(url, verdicts('proven', 'proven', 'proven'))).body;
    expect(one.readiness).toMatchObject({ final: null, evaluationsNeeded: 2, evaluationsDone: 1, awardedPoints: null });
    // The same person again does not make it final.
    expect((await expert.client.post(url, verdicts('proven', 'proven', 'proven'))).body.readiness).toMatchObject({ final: null, evaluationsDone: 1 });
    expect(await points(red.id)).toEqual([]);
    // Before it is final, the team sees neither verdicts nor evaluations.
    const hidden = (await red.client.get(base)).body;
    expect(hidden.evaluations).toEqual([]);
    expect(hidden.charges[0].elements[0].verdict).toBeNull();

    const two = (await expert2.client.post(url, verdicts('proven', 'not_proven', 'proven'))).body;
    // gain: proven and not proven → credit 0.5, verdict partly: (2 + 0.5 + 1) / 4.
    expect(two.readiness).toMatchObject({ final: 0.875, evaluationsDone: 2, awardedPoints: 263 });
    expect(two.charges[0].elements.map((e: { verdict: string }) => e.verdict)).toEqual(['proven', 'partly']);
    expect(two.charges[0].ready).toBe(false);
    expect(await points(red.id)).toEqual([263]);
    expect((await red.client.get(base)).body.evaluations).toHaveLength(3);
  });
});

/** The exercise id in a case-file base path. */
function run(base: string) {
  return base.split('/')[3]!;
}
