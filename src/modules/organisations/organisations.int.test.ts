import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, rowCount, rowCounts, signInAgain } from '../../test/expect.ts';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'] });
});
afterAll(async () => env?.close());

const orgRow = (id: string) => env.ctx.database.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('organisation administration', () => {
  it('creates a police unit with its unit type and creation date', async () => {
    const browser = await adminClient(env, admin);
    const res = await browser.post('/api/organisations', { kind: 'police_unit', name: ' National Cyber Unit ', countryCode: 'ke', unitType: 'national_cybercrime_unit', unitEstablishedOn: '2021-07-12' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'National Cyber Unit',
      kind: 'police_unit',
      countryCode: 'KE',
      region: 'africa',
      unitType: 'national_cybercrime_unit',
      unitEstablishedOn: '2021-07-12',
      sector: null,
      status: 'active',
      memberCount: 0,
    });
    const row = await orgRow(res.body.id);
    expect({ name: row.name, country: row.country_code, unit: row.unit_type, sector: row.sector }).toEqual({ name: 'National Cyber Unit', country: 'KE', unit: 'national_cybercrime_unit', sector: null });
    expect((await browser.get(`/api/organisations/${res.body.id}`)).body).toEqual(res.body);
  });

  it('creates a partner with its sector and no unit fields', async () => {
    const browser = await adminClient(env, admin);
    const res = await browser.post('/api/organisations', { kind: 'partner', name: 'Meridian Bank', countryCode: 'GB', sector: 'banking' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'partner', sector: 'banking', unitType: null, unitEstablishedOn: null, region: 'europe' });
  });

  it('refuses fields that do not belong to the kind, bad countries and future dates, writing nothing', async () => {
    const browser = await adminClient(env, admin);
    const before = await rowCounts(env);
    const tomorrow = new Date(env.clock.now().getTime() + 2 * 86400_000).toISOString().slice(0, 10);
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'partner', name: 'Bank', countryCode: 'GB', sector: 'banking', unitType: 'regional_unit' }, /unitType/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'FR', unitType: 'regional_unit', sector: 'banking' }, /sector/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'FR' }, /^body\.unitType/],
      [{ kind: 'partner', name: 'Bank', countryCode: 'GB' }, /^body\.sector/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'XX', unitType: 'regional_unit' }, /^body\.countryCode: not an INTERPOL member/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'FRA', unitType: 'regional_unit' }, /^body\.countryCode/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'FR', unitType: 'regional_unit', unitEstablishedOn: tomorrow }, /^body\.unitEstablishedOn: cannot be in the future/],
      [{ kind: 'police_unit', name: 'Unit', countryCode: 'FR', unitType: 'regional_unit', unitEstablishedOn: '12/07/2021' }, /^body\.unitEstablishedOn/],
      [{ kind: 'police_unit', name: 'x'.repeat(10_000), countryCode: 'FR', unitType: 'regional_unit' }, /^body\.name/],
      [{ kind: 'ngo', name: 'Unit', countryCode: 'FR' }, /^body\.kind/],
    ];
    for (const [body, message] of cases) {
      const res = await browser.post('/api/organisations', body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body).slice(0, 100)).toMatch(message);
    }
    expect(await rowCounts(env)).toEqual(before);
  });

  it('refuses a duplicate name with 409, on creation and on rename', async () => {
    const browser = await adminClient(env, admin);
    const first = await makeOrganisation(env, { name: 'Cyber Crime Unit North' });
    const second = await makeOrganisation(env, { name: 'Cyber Crime Unit South' });
    const before = await rowCount(env, 'organisations');
    const dup = await browser.post('/api/organisations', { kind: 'police_unit', name: first.name, countryCode: 'FR', unitType: 'regional_unit' });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toMatch(/^name/);
    expect(dup.body.error.details).toEqual([{ path: 'body.name', message: 'already exists' }]);
    expect(await rowCount(env, 'organisations')).toBe(before);
    expectError(await browser.patch(`/api/organisations/${second.id}`, { name: first.name }), 409, 'conflict');
    expect((await orgRow(second.id)).name).toBe('Cyber Crime Unit South');
  });

  it('updates fields of the right kind only', async () => {
    const browser = await adminClient(env, admin);
    const unit = await makeOrganisation(env, { kind: 'police_unit' });
    const res = await browser.patch(`/api/organisations/${unit.id}`, { name: 'Renamed Unit', countryCode: 'BR', unitType: 'digital_forensics_lab', unitEstablishedOn: '2011-05-16', status: 'archived' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed Unit', countryCode: 'BR', region: 'americas', unitType: 'digital_forensics_lab', unitEstablishedOn: '2011-05-16', status: 'archived' });
    expect((await orgRow(unit.id)).status).toBe('archived');

    const before = await orgRow(unit.id);
    expectError(await browser.patch(`/api/organisations/${unit.id}`, { sector: 'banking' }), 409, 'conflict');
    const partner = await makeOrganisation(env, { kind: 'partner' });
    expectError(await browser.patch(`/api/organisations/${partner.id}`, { unitType: 'regional_unit' }), 409, 'conflict');
    expectError(await browser.patch(`/api/organisations/${unit.id}`, { countryCode: 'ZZ' }), 400, 'validation_failed');
    expectError(await browser.patch(`/api/organisations/${unit.id}`, {}), 400, 'validation_failed');
    expect(await orgRow(unit.id)).toEqual(before);
    expectError(await browser.patch('/api/organisations/00000000-0000-4000-8000-000000000000', { name: 'Nowhere' }), 404, 'not_found');
  });

  it('are only for administrators', async () => {
    const participant = await makeUser(env);
    const browser = await signInAgain(env, participant.email);
    const before = await rowCounts(env);
    expectError(await browser.post('/api/organisations', { kind: 'partner', name: 'Sneaky Partner', countryCode: 'GB', sector: 'it' }), 403, 'forbidden');
    expectError(await browser.patch(`/api/organisations/${participant.organisation_id}`, { name: 'Taken Over' }), 403, 'forbidden');
    expect(await rowCounts(env)).toEqual(before);
    expect((await orgRow(participant.organisation_id)).name).not.toBe('Taken Over');
  });
});

describe('organisation lists', () => {
  const prefix = 'Listed';
  beforeAll(async () => {
    const specs = [
      { name: `${prefix} Delta Unit`, kind: 'police_unit', countryCode: 'FR' },
      { name: `${prefix} alpha Bank`, kind: 'partner', countryCode: 'GB' },
      { name: `${prefix} Charlie Lab`, kind: 'police_unit', countryCode: 'SG' },
      { name: `${prefix} Bravo Partner`, kind: 'partner', countryCode: 'BR' },
    ] as const;
    for (const spec of specs) {
      env.clock.advance(1);
      await makeOrganisation(env, spec);
    }
  });

  const list = async (query: string, search = prefix) => {
    const res = await (await adminClient(env, admin)).get(`/api/organisations?search=${encodeURIComponent(search)}&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Array<{ name: string; countryCode: string; memberCount: number }>; total: number; page: number; pageSize: number };
  };
  const namesIn = (page: { items: Array<{ name: string }> }) => page.items.map((o) => o.name.replace(`${prefix} `, ''));

  it('sort by name without regard to case, by country and by creation time', async () => {
    expect(namesIn(await list('sort=name'))).toEqual(['alpha Bank', 'Bravo Partner', 'Charlie Lab', 'Delta Unit']);
    expect(namesIn(await list('sort=-name'))).toEqual(['Delta Unit', 'Charlie Lab', 'Bravo Partner', 'alpha Bank']);
    expect((await list('sort=countryCode')).items.map((o) => o.countryCode)).toEqual(['BR', 'FR', 'GB', 'SG']);
    expect(namesIn(await list('sort=createdAt'))).toEqual(['Delta Unit', 'alpha Bank', 'Charlie Lab', 'Bravo Partner']);
    expect(namesIn(await list('sort=-createdAt'))).toEqual(['Bravo Partner', 'Charlie Lab', 'alpha Bank', 'Delta Unit']);
  });

  it('filter by kind, country and a search in any case', async () => {
    expect(namesIn(await list('kind=partner'))).toEqual(['alpha Bank', 'Bravo Partner']);
    expect(namesIn(await list('countryCode=sg'))).toEqual(['Charlie Lab']);
    const res = await (await adminClient(env, admin)).get('/api/organisations?search=listed%20CHARLIE');
    expect(res.body.items.map((o: { name: string }) => o.name)).toEqual([`${prefix} Charlie Lab`]);
  });

  it('page with total, page and pageSize', async () => {
    const page = await list('sort=name&pageSize=3&page=2');
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(namesIn(page)).toEqual(['Delta Unit']);
  });

  it('count members', async () => {
    const org = await makeOrganisation(env, { name: `${prefix} Echo Members` });
    await makeUser(env, { organisationId: org.id });
    await makeUser(env, { organisationId: org.id });
    expect((await list('', `${prefix} Echo Members`)).items.map((o) => o.memberCount)).toEqual([2]);
  });

  it('show a participant only their own organisation', async () => {
    const participant = await makeUser(env);
    const browser = await signInAgain(env, participant.email);
    const res = await browser.get('/api/organisations?pageSize=200');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([participant.organisation_id]);
    expect(await rowCount(env, 'organisations')).toBeGreaterThan(4);
    // A trainer reads them all.
    const trainer = await signInAgain(env, (await makeUser(env, { roles: ['trainer'] })).email);
    expect((await trainer.get('/api/organisations?pageSize=200')).body.total).toBe(await rowCount(env, 'organisations'));
  });
});
