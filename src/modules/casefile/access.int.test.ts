import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestEnv } from '../../test/harness.ts';
import { expectError } from '../../test/expect.ts';
import { download } from '../evidence/test-support.ts';
import { caseFileExercise, caseFileRows, saved } from './test-support.ts';

// Need-to-know on the case file: a team reads and changes only its own, on
// every path; the exercise's experts and trainers read every team's; partner
// analysts and strangers get 404.

let env: TestEnv;
let run: Awaited<ReturnType<typeof caseFileExercise>>;
let blueEntity: string;
let blueEvent: string;
beforeAll(async () => {
  env = await startTestApp();
  run = await caseFileExercise(env);
  const { blue, base } = run;
  await saved(blue.client, base, 0, [{ chargeId: 'extortion', elements: [{ elementId: 'who', finding: 'Blue secret finding', exhibits: ['mail'] }] }]);
  blueEntity = (await blue.client.post(`${base}/entities`, { kind: 'wallet', value: 'bc1-blue-secret', exhibit: 'mail' })).body.id;
  blueEvent = (await blue.client.post(`${base}/events`, { at: '2025-03-10T07:42:00Z', description: 'Blue secret event' })).body.id;
});
afterAll(async () => env?.close());

describe('case file access', () => {
  it('lets a team read its own case file on every path', async () => {
    const { blue, base } = run;
    const file = await blue.client.get(base);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ teamId: blue.id, version: 1, entities: [{ value: 'bc1-blue-secret' }], timeline: [{ description: 'Blue secret event' }] });
    // Its own team id is accepted too.
    expect((await blue.client.get(`${base}?teamId=${blue.id}`)).status).toBe(200);
    expect((await blue.client.get(`${base}/versions`)).body.items).toHaveLength(1);
    expect((await blue.client.get(`${base}/versions/1`)).body.document.charges[0].elements[0].finding).toBe('Blue secret finding');
    const pdf = await download(env, blue.client, `${base}/report.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("never shows team B's case file to team A, on any read path", async () => {
    const { red, blue, base } = run;
    // Without ?teamId=, Red reads its own (empty) case file: nothing of Blue's.
    const own = await red.client.get(base);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ teamId: red.id, version: 0, entities: [], timeline: [] });
    expect(JSON.stringify(own.body)).not.toContain('secret');
    for (const path of [`${base}?teamId=${blue.id}`, `${base}/versions?teamId=${blue.id}`, `${base}/versions/1?teamId=${blue.id}`, `${base}/report.pdf?teamId=${blue.id}`]) {
      expectError(await red.client.get(path), 404, 'not_found');
    }
    // Red's own versions: none, and Blue's version 1 is not Red's.
    expect((await red.client.get(`${base}/versions`)).body).toEqual({ items: [], current: 0 });
    expectError(await red.client.get(`${base}/versions/1`), 404, 'not_found');
    // The staff overview and evaluations are staff-only.
    expectError(await red.client.get(`/api/exercises/${run.exerciseId}/case-files`), 403, 'forbidden');
  });

  it("never lets team A change team B's case file", async () => {
    const { red, blue, base, exerciseId } = run;
    const before = await caseFileRows(env);
    expectError(await red.client.delete(`${base}/entities/${blueEntity}`), 404, 'not_found');
    expectError(await red.client.delete(`${base}/events/${blueEvent}`), 404, 'not_found');
    expectError(await red.client.post(`/api/exercises/${exerciseId}/case-files/${blue.id}/evaluations`, { elements: [] }), 403, 'forbidden');
    // Red's refused deletes created nothing: not even an empty case file of its own.
    expect(await caseFileRows(env)).toEqual(before);
    // A write with ?teamId= of another team still only touches the writer's own case file.
    const res = await red.client.put(`${base}?teamId=${blue.id}`, { baseVersion: 0, charges: [] });
    expect(res.status).toBe(200);
    expect(res.body.teamId).toBe(red.id);
    expect((await blue.client.get(base)).body.version).toBe(1);
  });

  it('lets the exercise’s experts and trainers read any team, but not change it', async () => {
    const { blue, base, trainer, staff, exerciseId } = run;
    const expert = await staff('expert');
    const other = await caseFileExercise(env);
    for (const client of [trainer, expert.client]) {
      const file = await client.get(`${base}?teamId=${blue.id}`);
      expect(file.status).toBe(200);
      expect(file.body.charges[0].elements[0]).toMatchObject({ finding: 'Blue secret finding', citations: [{ exhibit: 'mail', relevant: true }] });
      expect((await client.get(`${base}/versions?teamId=${blue.id}`)).body.items).toHaveLength(1);
      expect((await client.get(`${base}/versions/1?teamId=${blue.id}`)).status).toBe(200);
      expect((await download(env, client, `${base}/report.pdf?teamId=${blue.id}`)).status).toBe(200);
      expect((await client.get(`/api/exercises/${exerciseId}/case-files`)).body.items).toHaveLength(2);
      // Staff must say which team.
      expectError(await client.get(base), 400, 'validation_failed');
      // A team of another exercise is not found here.
      expectError(await client.get(`${base}?teamId=${other.red.id}`), 404, 'not_found');
      // Staff play in no team: they cannot write a case file.
      expectError(await client.put(base, { baseVersion: 0, charges: [] }), 403, 'forbidden');
      expectError(await client.post(`${base}/entities`, { kind: 'ip', value: '10.0.0.1' }), 403, 'forbidden');
    }
    // The team does not see the scenario's lists of relevant facts and exhibits.
    expect((await blue.client.get(base)).body.charges[0].elements[0].citations[0].relevant).toBeNull();
  });

  it('never lets a team infer which exhibits and facts the scenario lists for an element, until the exercise ends', async () => {
    const { red, base, trainer, exerciseId } = await caseFileExercise(env);
    // Citing one exhibit at a time would tell, from the automatic check's counts, the readiness or the charge's readiness, whether the scenario lists it.
    const file = await saved(red.client, base, 0, [{ chargeId: 'access', elements: [{ elementId: 'act', exhibits: ['image'] }] }]);
    for (const seen of [file, (await red.client.get(base)).body]) {
      expect(seen.charges.flatMap((c: { elements: Array<{ automatic: unknown }> }) => c.elements.map((e) => e.automatic))).toEqual([null, null, null]);
      expect(seen.readiness.provisional).toBeNull();
      expect(seen.charges.map((c: { ready: boolean }) => c.ready)).toEqual([false, false]);
    }
    const report = (await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report`)).body;
    expect(report.caseFile).toMatchObject({ provisionalReadiness: null, charges: [{ ready: false }, { ready: false }] });
    // Staff see it all along.
    const staffView = (await trainer.get(`${base}?teamId=${red.id}`)).body;
    expect(staffView.charges[1]).toMatchObject({ ready: true, elements: [{ automatic: { status: 'supported', exhibits: 1 } }] });
    expect(staffView.readiness.provisional).toBe(0.25);
    // Once the exercise has ended, the team sees the automatic check in its debrief.
    expect((await trainer.post(`/api/exercises/${exerciseId}/control`, { action: 'end' })).status).toBe(200);
    const after = (await red.client.get(base)).body;
    expect(after.charges[1]).toMatchObject({ ready: true, elements: [{ automatic: { status: 'supported', exhibits: 1 } }] });
    expect(after.readiness.provisional).toBe(0.25);
    expect((await red.client.get(`/api/exercises/${exerciseId}/teams/${red.id}/report`)).body.caseFile.provisionalReadiness).toBe(0.25);
  });

  it('answers 404 to partner analysts and to users with no part in the exercise', async () => {
    const { blue, base, exerciseId } = run;
    const analyst = (await signedIn(env, { roles: ['partner_analyst'] })).client;
    const stranger = (await signedIn(env, { roles: ['participant'] })).client;
    const expertElsewhere = (await signedIn(env, { roles: ['expert'] })).client;
    const before = await caseFileRows(env);
    for (const client of [analyst, stranger, expertElsewhere]) {
      for (const path of [base, `${base}?teamId=${blue.id}`, `${base}/versions?teamId=${blue.id}`, `${base}/versions/1?teamId=${blue.id}`, `${base}/report.pdf?teamId=${blue.id}`, `/api/exercises/${exerciseId}/case-files`]) {
        expectError(await client.get(path), 404, 'not_found');
      }
      expectError(await client.put(base, { baseVersion: 1, charges: [] }), 404, 'not_found');
      expectError(await client.post(`${base}/entities`, { kind: 'ip', value: '10.0.0.1' }), 404, 'not_found');
      expectError(await client.delete(`${base}/events/${blueEvent}`), 404, 'not_found');
      expectError(await client.post(`${base}/submit`, { version: 1 }), 404, 'not_found');
      expectError(await client.post(`/api/exercises/${exerciseId}/case-files/${blue.id}/evaluations`, { elements: [] }), 404, 'not_found');
    }
    expect(await caseFileRows(env)).toEqual(before);
  });
});
