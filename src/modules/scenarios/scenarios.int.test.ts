import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { signedIn, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { rawZip } from '../../test/zip.ts';
import { miniDefinition, miniFiles, uploadPackage } from '../../test/scenario-fixture.ts';

let env: TestEnv;
let trainer: TestClient;

beforeAll(async () => {
  env = await startTestApp({ SCENARIO_MAX_FILES: '6', SCENARIO_MAX_FILE_MB: '1' });
  trainer = (await signedIn(env, { roles: ['trainer'] })).client;
});
afterAll(async () => env?.close());

const definition = miniDefinition;
const files = miniFiles;
// Cases that replace the objectives drop what refers to the original ones.
const bare = () => ({ hints: [], injects: [], evidence: miniDefinition().evidence.slice(0, 3) });
const upload = (client: TestClient, zip: Buffer, url?: string) => uploadPackage(env.baseUrl, client, zip, url);

async function counts() {
  const db = env.ctx.database.db;
  const n = async (t: 'scenarios' | 'scenario_files' | 'blobs') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { scenarios: await n('scenarios'), files: await n('scenario_files'), blobs: await n('blobs') };
}

describe('scenario packages', () => {
  it('refuses hostile and broken packages with a message naming the problem, importing nothing', async () => {
    const before = await counts();
    const ok = stringify(definition());
    const bomb = Buffer.alloc(4 * 1024 * 1024 - 1);
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['path traversal', rawZip(files(ok, [{ name: '../../etc/evil.txt', data: Buffer.from('x') }])), /leaves the package/],
      ['absolute path', rawZip(files(ok, [{ name: '/etc/passwd', data: Buffer.from('x') }])), /absolute path|leaves the package/],
      ['link', rawZip(files(ok, [{ name: 'evidence/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }])), /links are not allowed/],
      ['zip bomb', rawZip(files(ok, [{ name: 'evidence/zeros.bin', data: bomb.subarray(0, 512 * 1024), compress: true }])), /compression ratio|zip bomb/],
      ['encrypted entry', rawZip(files(ok, [{ name: 'evidence/secret.bin', data: randomBytes(13), declaredSize: 1, encrypted: true }])), /encrypted/],
      ['duplicate entry', rawZip(files(ok, [{ name: 'evidence/mail.eml', data: Buffer.from('again') }])), /appears twice/],
      ['too many files', rawZip(files(ok, Array.from({ length: 5 }, (_, i) => ({ name: `extra/${i}.txt`, data: Buffer.from('x') })))), /more than 6 files/],
      ['file over the size limit', rawZip(files(ok, [{ name: 'evidence/big.bin', data: randomBytes(1024 * 1024 + 1) }])), /larger than the limit/],
      ['yaml alias bomb', rawZip(files(laughs.join('\n'))), /alias/i],
      ['malformed yaml', rawZip(files('format: [unclosed\nid: x')), /scenario\.yaml line \d+, column \d+/],
      ['not a zip', randomBytes(300), /not a readable zip/],
      ['no scenario.yaml', rawZip([{ name: 'readme.txt', data: Buffer.from('hi') }]), /no scenario\.yaml/],
      ['invalid regex', rawZip(files(stringify(definition({ ...bare(), objectives: [{ id: 'q', prompt: { en: 'Q' }, answer: { type: 'regex', pattern: '(unclosed' }, points: 1 }] })))), /objectives\[0\]\.answer\.pattern: .*(regular expression|regex|pattern)/i],
      ['unknown template variable', rawZip(files(ok).map((f) => (f.name === 'evidence/mail.eml' ? { ...f, data: Buffer.from('Pay to {{ walet }}') } : f))), /evidence\[0\].*walet/],
      ['missing evidence file', rawZip(files(ok).filter((f) => f.name !== 'evidence/logo.bin')), /evidence\[1\]\.file: no file "evidence\/logo\.bin"/],
      ['unknown prerequisite', rawZip(files(stringify(definition({ ...bare(), objectives: [{ id: 'q', prompt: { en: 'Q' }, answer: { type: 'exact', value: 'x' }, points: 1, requires: ['nope'] }] })))), /objectives\[0\]\.requires\[0\]: no objective "nope"/],
      ['unknown field', rawZip(files(stringify(definition({ surprise: true })))), /surprise/],
    ];
    for (const [name, zip, message] of cases) {
      const res = await upload(trainer, zip);
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      expect(res.body.error.message, name).toMatch(message);
      expect(JSON.stringify(res.body), name).not.toMatch(/\n\s+at /);
    }
    expect(await counts()).toEqual(before);
  });

  it('validates without importing, listing every problem with its place', async () => {
    const broken = definition({ ...bare(), objectives: [{ id: 'q', prompt: { en: 'Q' }, answer: { type: 'regex', pattern: '[' }, points: 1, requires: ['q', 'ghost'] }] });
    const res = await upload(trainer, rawZip(files(stringify(broken))), '/api/scenarios/validate');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const paths = res.body.problems.map((p: { path: string }) => p.path);
    expect(paths).toContain('objectives[0].requires[0]');
    expect(paths).toContain('objectives[0].requires[1]');
    const good = await upload(trainer, rawZip(files(stringify(definition()))), '/api/scenarios/validate');
    expect(good.body).toMatchObject({ ok: true, problems: [], summary: { id: 'mini-case', objectives: 3, evidence: 4 } });
    expect((await counts()).scenarios).toBe(0);
  });

  it('imports a package, never exposes answers, and exports an equivalent package', async () => {
    const res = await upload(trainer, rawZip(files(stringify(definition()))));
    expect(res.status).toBe(201);
    const scenario = res.body.scenario;
    expect(scenario).toMatchObject({ slug: 'mini-case', version: '1.0.0', objectiveCount: 3, evidenceCount: 4, fileCount: 4 });
    expect(scenario.evidence[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const detail = await trainer.get(`/api/scenarios/${scenario.id}`);
    expect(JSON.stringify(detail.body)).not.toContain('{{ wallet }}');
    expect(detail.body.objectives[0]).not.toHaveProperty('answer');

    const exported = await fetch(`${env.baseUrl}/api/scenarios/${scenario.id}/export`, { headers: { cookie: trainer.cookie! } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('mini-case-1.0.0.zip');
    const zip = Buffer.from(await exported.arrayBuffer());
    const check = await upload(trainer, zip, '/api/scenarios/validate');
    expect(check.body).toMatchObject({ ok: true, summary: { id: 'mini-case', version: '1.0.0' } });
    const again = await upload(trainer, zip);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/version/);
  });

  it('keeps earlier versions when a new version is imported', async () => {
    const res = await upload(trainer, rawZip(files(stringify(definition({ version: '1.1.0', title: { en: 'Mini case, revised' } })))));
    expect(res.status).toBe(201);
    const list = await trainer.get('/api/scenarios');
    expect(list.body.map((s: { version: string }) => s.version).sort()).toEqual(['1.0.0', '1.1.0']);
  });

  it('lets only trainers and administrators import, and experts read', async () => {
    const zip = rawZip(files(stringify(definition({ version: '9.0.0' }))));
    const participant = (await signedIn(env, { roles: ['participant'] })).client;
    expect((await upload(participant, zip)).status).toBe(403);
    expect((await participant.get('/api/scenarios')).status).toBe(403);
    expect((await upload(new TestClient(env.baseUrl), zip)).status).toBe(401);
    const expert = (await signedIn(env, { roles: ['expert'] })).client;
    expect((await expert.get('/api/scenarios')).status).toBe(200);
    expect((await upload(expert, zip)).status).toBe(403);
  });
});
