import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured, useTestAppEnvironment } from './test/cli.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startTestApp, TestClient, type TestEnv } from './test/harness.ts';
import { miniDefinition, miniFiles } from './test/scenario-fixture.ts';

let env: TestEnv;
const cliEnv = useTestAppEnvironment(() => env);
beforeAll(async () => {
  env = await startTestApp();
  cliEnv.apply();
});
afterAll(async () => {
  cliEnv.restore();
  await env?.close();
});

const run = runCaptured;

describe('cli', () => {
  it('creates the first administrator, who can then sign in and manage users', async () => {
    const res = await run('create-admin', '--email', 'First.Admin@Example.org', '--name', 'First Admin', '--organisation', 'Cyber HQ', '--country', 'ke', '--password', 'a sufficiently long one');
    expect(res.code).toBe(0);
    const client = new TestClient(env.baseUrl);
    const signIn = await client.signIn('first.admin@example.org', 'a sufficiently long one');
    expect(signIn.body.session.user.roles).toEqual(['administrator']);
    expect(signIn.body.session.user.organisation).toMatchObject({ name: 'Cyber HQ', countryCode: 'KE' });
    expect((await client.get('/api/users')).status).toBe(200);
  });

  it('prints a one-time link when no password is given, and the link sets it', async () => {
    const res = await run('reset-password', '--email', 'first.admin@example.org');
    expect(res.code).toBe(0);
    const token = /reset-password\/([\w-]+)/.exec(res.output)?.[1];
    expect(token).toBeTruthy();
    const client = new TestClient(env.baseUrl);
    expect((await client.post(`/api/auth/password-reset/${token}`, { password: 'another long password' })).status).toBe(204);
    await client.signIn('first.admin@example.org', 'another long password');
  });

  it('refuses bad arguments with a message naming them, and writes nothing', async () => {
    const before = await env.ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: Array<[string[], RegExp]> = [
      [['create-admin', '--email', 'not-an-email', '--name', 'X Y', '--organisation', 'Org'], /--email/],
      [['create-admin', '--email', 'a@example.org', '--name', 'X Y', '--organisation', 'Org', '--country', 'KP'], /--country: not an INTERPOL member/],
      [['create-admin', '--email', 'a@example.org', '--name', 'X Y', '--organisation', 'Org', '--password', 'short'], /--password/],
      [['create-admin', '--email', 'first.admin@example.org', '--name', 'X Y', '--organisation', 'Org'], /already exists/],
      [['reset-password', '--email', 'ghost@example.org'], /no account/],
      [['reset-password', '--email', 'a@example.org', '--unknown', 'x'], /Unknown option '--unknown'/],
      [['explode'], /Unknown command "explode"/],
    ];
    for (const [args, message] of cases) {
      const res = await run(...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.output).toMatch(message);
      expect(res.output).not.toMatch(/\n\s+at /);
    }
    const after = await env.ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('validates and imports a scenario package from a folder, reporting problems with their place', async () => {
    const writePackage = (definition: object) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cybercap-pkg-'));
      for (const f of miniFiles(stringify(definition))) {
        mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
        writeFileSync(path.join(dir, f.name), f.data);
      }
      return dir;
    };
    const broken = await run('validate-scenario', writePackage(miniDefinition({ version: 'one' })));
    expect(broken.code).toBe(2);
    expect(broken.output).toMatch(/problem {2}version: a version like 1\.0\.0/);
    expect(broken.output).toMatch(/nothing imported/);
    const good = writePackage(miniDefinition({ version: '2.0.0' }));
    expect((await run('validate-scenario', good)).output).toMatch(/Valid: mini-case 2\.0\.0/);
    const imported = await run('import-scenario', good);
    expect(imported.code).toBe(0);
    expect(imported.output).toMatch(/Imported mini-case 2\.0\.0/);
    const row = await env.ctx.database.db.selectFrom('scenarios').select('version').where('slug', '=', 'mini-case').executeTakeFirst();
    expect(row?.version).toBe('2.0.0');
    expect((await run('import-scenario', good)).output).toMatch(/already imported/);
    expect((await run('import-scenario', '/nonexistent/package')).code).toBe(2);
    expect((await run('validate-scenario')).output).toMatch(/give the path/);
  });
});
