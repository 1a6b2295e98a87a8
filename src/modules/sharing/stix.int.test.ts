import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, signedIn, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, rowCount } from '../../test/expect.ts';
import { tlp1Ids, tlp2Ids, taxiiCollectionId } from './stix.ts';

// STIX 2.1 import/export and the TAXII 2.1 feed, through the central TLP rule.

let env: TestEnv;
let admin: TestClient;
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const day = (offset: number) => new Date(env.clock.now().getTime() + offset * 86400_000).toISOString().slice(0, 10);
const uuid = () => crypto.randomUUID();
const T = tlp2Ids;

async function agreement(e: TestEnv, a: TestClient, organisationId: string, over: Record<string, unknown> = {}) {
  const res = await a.post('/api/partner-agreements', {
    organisationId,
    kind: 'data_sharing',
    title: 'Data sharing',
    reference: `DSA-${uniq()}`,
    startsOn: new Date(e.clock.now().getTime() - 10 * 86400_000).toISOString().slice(0, 10),
    endsOn: new Date(e.clock.now().getTime() + 300 * 86400_000).toISOString().slice(0, 10),
    dataCategories: ['ransomware', 'phishing'],
    maxTlp: 'amber',
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const st = await a.post(`/api/partner-agreements/${res.body.id}/status`, { status: 'active' });
  expect(st.status).toBe(200);
  return res.body.id as string;
}

const ind = (pattern: string, marking: string | null, over: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${uuid()}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00.000Z',
  ...(marking ? { object_marking_refs: [marking] } : {}),
  ...over,
});
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${uuid()}`, objects });

/** A bundle exercising every kind of object we read: a report with indicators of each type, observed data, an identity, markings 1.0 and 2.0, unknown objects. */
function richBundle(tag: string) {
  const identity = { type: 'identity', spec_version: '2.1', id: `identity--${uuid()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'ACME CERT', identity_class: 'organization' };
  const statement = { type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${uuid()}`, created: '2026-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'Copyright ACME' } };
  const indicators = [
    ind(`[ipv4-addr:value = '203.0.113.${seq % 200}']`, T.amber),
    ind(`[ipv4-addr:value = '10.${seq % 200}.0.0/16']`, T.amber),
    ind("[ipv6-addr:value = '2001:DB8::1']", T.amber),
    ind(`[domain-name:value = '${tag}.Evil.test']`, T.amber),
    ind(`[url:value = 'http://${tag}.evil.test/login?a=\\'b']`, T.amber),
    ind(`[email-addr:value = 'phish@${tag}.evil.test']`, tlp1Ids ? 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed' : T.red),
    ind("[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']", T.amber),
    ind("[file:hashes.'SHA-1' = '0123456789abcdef0123456789abcdef01234567']", T.amber),
    ind("[file:hashes.'SHA-256' = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef']", T.amber_strict),
    ind("[cryptocurrency-wallet:value = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']", T.amber),
    ind("[x-cybercap-wallet:value = '0x52908400098527886E0F7030069857D2E4169EE7']", T.amber),
    ind("[phone-number:value = '+33 6 12 34 56 78']", T.amber, { created_by_ref: identity.id }),
    ind("[bank-account:iban = 'GB82 WEST 1234 5698 7654 32']", T.amber),
  ];
  const file = { type: 'file', spec_version: '2.1', id: `file--${uuid()}`, hashes: { 'SHA-256': 'aa'.repeat(32), 'SHA-512': 'bb'.repeat(64) } };
  const observed = { type: 'observed-data', spec_version: '2.1', id: `observed-data--${uuid()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', first_observed: '2026-01-02T00:00:00Z', last_observed: '2026-01-05T00:00:00Z', number_observed: 3, object_refs: [file.id], object_marking_refs: [T.amber] };
  const malware = { type: 'malware', spec_version: '2.1', id: `malware--${uuid()}`, name: 'LockBit', is_family: true };
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${uuid()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    created_by_ref: identity.id,
    name: `Ransomware campaign ${tag}`,
    description: 'Seen against banks',
    published: '2026-01-03T00:00:00Z',
    labels: ['ransomware'],
    confidence: 80,
    object_refs: [...indicators.map((i) => i.id), observed.id, malware.id],
    object_marking_refs: [T.amber, statement.id],
  };
  // Outside any report, TLP 1.0 GREEN.
  const loose = ind(`[domain-name:value = 'loose-${tag}.evil.test']`, 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da');
  return bundle([identity, statement, ...indicators, file, observed, malware, report, loose]);
}

type Row = { type: string; value: string; tlp: string };
/** Indicator (type, value, effective marking) of a bundle, read from its patterns and markings. */
function indicatorsOf(b: { objects: Array<Record<string, any>> }): Row[] {
  const tlpOf = new Map(Object.entries(tlp2Ids).map(([k, v]) => [v, k]));
  return b.objects
    .filter((o) => o.type === 'indicator')
    .map((o) => ({ type: o.x_cybercap_type, value: o.pattern, tlp: tlpOf.get(o.object_marking_refs[0])! }))
    .sort((a, b) => (a.value < b.value ? -1 : 1));
}

// A small upload cap here, to test it (the default is 1 GB).
const importCapMb = 1;

beforeAll(async () => {
  env = await startTestApp({ STIX_IMPORT_MAX_MB: String(importCapMb) });
  admin = await adminClient(env);
});
afterAll(async () => env?.close());

describe('STIX 2.1', () => {
  let police: Awaited<ReturnType<typeof makeOrganisation>>;
  let partner: Awaited<ReturnType<typeof makeOrganisation>>;
  let partnerOut: Awaited<ReturnType<typeof makeOrganisation>>;
  let recipientOrg: Awaited<ReturnType<typeof makeOrganisation>>;
  let importer: TestClient;
  let partnerClient: TestClient;
  let partnerOutClient: TestClient;

  beforeAll(async () => {
    police = await makeOrganisation(env, { countryCode: 'FR' });
    recipientOrg = await makeOrganisation(env, { countryCode: 'KE' });
    partner = await makeOrganisation(env, { kind: 'partner', countryCode: 'GB' });
    partnerOut = await makeOrganisation(env, { kind: 'partner', countryCode: 'NL' });
    await agreement(env, admin, partner.id, { scopeOrganisationIds: [police.id] });
    await agreement(env, admin, partnerOut.id, { scopeOrganisationIds: [recipientOrg.id] });
    importer = (await signedIn(env, { organisationId: police.id, roles: ['expert'] })).client;
    partnerClient = (await signedIn(env, { organisationId: partner.id, roles: ['partner_analyst'] })).client;
    partnerOutClient = (await signedIn(env, { organisationId: partnerOut.id, roles: ['partner_analyst'] })).client;
  });

  it('imports every kind of object, maps markings (1.0 and 2.0), and reports what it did not store', async () => {
    const b = richBundle(`a${uniq()}`);
    const res = await importer.post(`/api/sharing/stix/bundles?crimeType=phishing&recipientOrganisationIds=${recipientOrg.id}`, b);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.reports).toHaveLength(2);
    const [main, loose] = res.body.reports;
    expect(main).toMatchObject({ tlp: 'amber', indicators: 14 });
    expect(loose).toMatchObject({ stixId: null, tlp: 'green', indicators: 1 });
    const ignored = res.body.ignored.map((i: { type: string }) => i.type).sort();
    expect(ignored).toEqual(['file', 'identity', 'malware', 'marking-definition']);
    const report = (await importer.get(`/api/sharing/reports/${main.id}`)).body;
    expect(report.crimeType).toBe('ransomware');
    expect(report.confidence).toBe(80);
    const byType = Object.fromEntries(report.indicators.map((i: any) => [i.type === 'sha256' && i.value.startsWith('aa') ? 'sha256file' : i.type, i]));
    expect(byType.email.effectiveTlp).toBe('red'); // TLP 1.0 RED id
    expect(byType.sha256.effectiveTlp).toBe('amber_strict');
    expect(byType.domain.tlp).toBeNull();
    expect(byType.phone.value).toBe('+33612345678');
    expect(byType.iban.value).toBe('GB82WEST12345698765432');
    expect(byType.cidr.value).toMatch(/^10\.\d+\.0\.0\/16$/);
    expect(byType.url.value).toContain('a=%27b');
    expect(byType.sha256file).toMatchObject({ firstSeen: '2026-01-02T00:00:00.000Z', lastSeen: '2026-01-05T00:00:00.000Z' });
  });

  it('refuses malformed, truncated, oversized, deep and hostile bundles with a message naming the place, and stores nothing', async () => {
    const before = { reports: await rowCount(env, 'sharing_reports'), indicators: await rowCount(env, 'sharing_indicators'), log: await rowCount(env, 'sharing_log') };
    const good = () => richBundle(`h${uniq()}`);
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['not a bundle', { type: 'report', id: `bundle--${uuid()}`, objects: [] }, 400, /^type: /],
      ['bad id', { type: 'bundle', id: 'bundle--nope', objects: [] }, 400, /^id: /],
      ['complex pattern', bundle([ind("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.test']", T.green)]), 400, /^objects\[0\]\.pattern: .*single comparison/],
      ['other operator', bundle([ind("[ipv4-addr:value != '1.2.3.4']", T.green)]), 400, /^objects\[0\]\.pattern: /],
      ['unterminated', bundle([ind("[ipv4-addr:value = '1.2.3.4]", T.green)]), 400, /^objects\[0\]\.pattern: .*not terminated/],
      ['bad value', bundle([ind("[ipv4-addr:value = '999.2.3.4']", T.green)]), 400, /^objects\[0\]\.pattern: not an IPv4/],
      ['unknown path', bundle([ind("[process:pid = '12']", T.green)]), 400, /^objects\[0\]\.pattern: the object path/],
      ['no marking', bundle([ind("[ipv4-addr:value = '192.0.2.1']", null)]), 400, /^objects\[0\]\.object_marking_refs: no TLP marking/],
      ['two markings', bundle([ind("[ipv4-addr:value = '192.0.2.1']", null, { object_marking_refs: [T.green, T.red] })]), 400, /contradictory TLP/],
      ['unknown marking', bundle([ind("[ipv4-addr:value = '192.0.2.1']", `marking-definition--${uuid()}`)]), 400, /^objects\[0\]\.object_marking_refs\[0\]: /],
      ['unknown reference', (() => { const b = good(); (b.objects as any[]).find((o) => o.type === 'report').object_refs.push(`indicator--${uuid()}`); return b; })(), 400, /object_refs\[\d+\]: .* is not in the bundle/],
      ['duplicate id', (() => { const b = good(); (b.objects as any[]).push({ ...(b.objects as any[])[3] }); return b; })(), 400, /appears more than once/],
      ['not an object', bundle([ind("[ipv4-addr:value = '192.0.2.1']", T.green), 42]), 400, /^objects\[1\]: not a JSON object/],
      ['too deep', (() => { const b = good(); let x: any = {}; const root = x; for (let i = 0; i < 50; i++) { x.a = {}; x = x.a; } (b.objects as any[])[2].x_deep = root; return b; })(), 400, /nested deeper/],
      ['other pattern type', bundle([ind("[ipv4-addr:value = '1.2.3.4']", T.green, { pattern_type: 'snort' })]), 400, /^objects\[0\]\.pattern_type: /],
      ['empty', bundle([]), 400, /^objects: the bundle is empty/],
      ['created_by outside the bundle', bundle([ind("[ipv4-addr:value = '192.0.2.1']", T.green, { created_by_ref: `identity--${uuid()}` })]), 400, /^objects\[0\]\.created_by_ref: .* is not in the bundle/],
      ['RED without recipients', bundle([ind("[ipv4-addr:value = '192.0.2.7']", T.red)]), 400, /needs named recipients/],
      ['granular markings', bundle([ind("[ipv4-addr:value = '192.0.2.1']", T.green, { granular_markings: [{ selectors: ['pattern'], marking_ref: T.red }] })]), 400, /granular markings/],
    ];
    for (const [name, body, status, message] of cases) {
      const res = await importer.post('/api/sharing/stix/bundles?crimeType=phishing', body);
      expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(status);
      expect(res.body.error.message, name).toMatch(message);
    }
    // Written-then-refused: a partner recipient with no agreement allowing AMBER fails inside the transaction.
    const noAgreement = await makeOrganisation(env, { kind: 'partner', countryCode: 'BE' });
    // A GREEN report first (written), then the AMBER one refused in the database check: all rolled back.
    const greenInd = ind(`[domain-name:value = 'first-${uniq()}.evil.test']`, T.green);
    const greenReport = { type: 'report', spec_version: '2.1', id: `report--${uuid()}`, name: 'Written first', published: '2026-01-01T00:00:00Z', labels: ['phishing'], object_refs: [greenInd.id], object_marking_refs: [T.green] };
    const lateBundle = richBundle(`l${uniq()}`);
    lateBundle.objects.unshift(greenInd, greenReport);
    const late = await importer.post(`/api/sharing/stix/bundles?crimeType=phishing&recipientOrganisationIds=${noAgreement.id}`, lateBundle);
    expectError(late, 400, 'validation_failed');
    expect(late.body.error.message).toMatch(/recipientOrganisationIds: .*no data-sharing agreement/);
    // Truncated JSON and an oversized body.
    const text = JSON.stringify(good());
    const truncated = await importer.request('POST', '/api/sharing/stix/bundles', text.slice(0, text.length / 2));
    expect(truncated.status).toBe(400);
    const huge = await importer.request('POST', '/api/sharing/stix/bundles', JSON.stringify({ type: 'bundle', id: `bundle--${uuid()}`, objects: [], pad: 'x'.repeat(importCapMb * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect({ reports: await rowCount(env, 'sharing_reports'), indicators: await rowCount(env, 'sharing_indicators'), log: await rowCount(env, 'sharing_log') }).toEqual(before);
  });

  it('accepts a multipart upload, and a default TLP for unmarked objects', async () => {
    const b = bundle([ind(`[domain-name:value = 'mp-${uniq()}.evil.test']`, null)]);
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(b)], { type: 'application/json' }), 'bundle.json');
    const res = await fetch(`${env.baseUrl}/api/sharing/stix/bundles?crimeType=phishing&defaultTlp=green`, { method: 'POST', body: form, headers: { cookie: importer.cookie!, 'x-csrf-token': importer.csrf! } });
    const body: any = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.reports[0]).toMatchObject({ tlp: 'green', indicators: 1 });
  });

  it('exports what the caller may see, with TLP 2.0 markings and stable ids, logged; round-trips into a fresh app without loss', async () => {
    const imported = await importer.post(`/api/sharing/stix/bundles?crimeType=phishing&recipientOrganisationIds=${recipientOrg.id}`, richBundle(`rt${uniq()}`));
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const reportId = imported.body.reports[0].id;
    const first = await importer.get(`/api/sharing/reports/${reportId}/stix`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/stix+json');
    const second = await importer.get(`/api/sharing/reports/${reportId}/stix`);
    expect(second.body.objects.map((o: { id: string }) => o.id)).toEqual(first.body.objects.map((o: { id: string }) => o.id));
    const types = first.body.objects.map((o: { type: string }) => o.type);
    expect(types.filter((t: string) => t === 'indicator')).toHaveLength(14);
    expect(types).toContain('identity');
    const markingIds = first.body.objects.filter((o: any) => o.type === 'marking-definition').map((o: any) => o.id).sort();
    expect(markingIds).toEqual([T.amber, T.amber_strict, T.red].sort());
    const stixReport = first.body.objects.find((o: any) => o.type === 'report');
    expect(stixReport.object_marking_refs).toEqual([T.amber]);
    // Logged.
    const log = await admin.get(`/api/sharing/log?reportId=${reportId}`);
    expect(log.body.items.filter((e: { action: string }) => e.action === 'report.exported')).toHaveLength(2);

    // Into a fresh app: the same indicators and markings.
    const other = await startTestApp();
    try {
      const otherAdmin = await adminClient(other);
      const org = await makeOrganisation(other, { countryCode: 'FR' });
      const rcpt = await makeOrganisation(other, { countryCode: 'KE' });
      const c = (await signedIn(other, { organisationId: org.id, roles: ['expert'] })).client;
      void otherAdmin;
      const again = await c.post(`/api/sharing/stix/bundles?recipientOrganisationIds=${rcpt.id}`, first.body);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.ignored.map((i: { type: string }) => i.type)).toEqual(['identity']);
      const back = await c.get(`/api/sharing/reports/${again.body.reports[0].id}/stix`);
      expect(indicatorsOf(back.body)).toEqual(indicatorsOf(first.body));
      const r2 = back.body.objects.find((o: any) => o.type === 'report');
      expect({ name: r2.name, labels: r2.labels, confidence: r2.confidence, markings: r2.object_marking_refs }).toEqual({ name: stixReport.name, labels: stixReport.labels, confidence: stixReport.confidence, markings: stixReport.object_marking_refs });
    } finally {
      await other.close();
    }
  });

  it('never exports what the rule hides: invisible reports, stricter indicators, AMBER out of scope', async () => {
    const imported = await importer.post(`/api/sharing/stix/bundles?crimeType=phishing&recipientOrganisationIds=${recipientOrg.id}`, richBundle(`v${uniq()}`));
    const reportId = imported.body.reports[0].id;
    // A partner in scope sees the AMBER report but not its RED and AMBER+STRICT indicators.
    const inScope = await partnerClient.get(`/api/sharing/reports/${reportId}/stix`);
    expect(inScope.status).toBe(200);
    const tlps = new Set(indicatorsOf(inScope.body).map((i) => i.tlp));
    expect([...tlps]).toEqual(['amber']);
    expect(indicatorsOf(inScope.body)).toHaveLength(12);
    expect(inScope.body.objects.map((o: any) => o.id)).not.toContain(T.red);
    // Out of scope: 404, and the search export has no AMBER.
    expectError(await partnerOutClient.get(`/api/sharing/reports/${reportId}/stix`), 404, 'not_found');
    const search = await partnerOutClient.get(`/api/sharing/stix?reporterOrganisationId=${police.id}&pageSize=200`);
    expect(search.status).toBe(200);
    const markings = search.body.objects.flatMap((o: any) => o.object_marking_refs ?? []);
    expect(markings.every((m: string) => m === T.clear || m === T.green)).toBe(true);
    expect(Number(search.headers.get('x-total-count'))).toBe(search.body.objects.filter((o: any) => o.type === 'report').length);
  });
});

describe('TAXII 2.1', () => {
  let police: Awaited<ReturnType<typeof makeOrganisation>>;
  let importer: TestClient;
  let inToken: string;
  let outToken: string;
  const accept = { accept: 'application/taxii+json;version=2.1' };

  async function tokenFor(client: TestClient) {
    const res = await client.post('/api/me/tokens', { name: 'feed', scopes: ['read'], expiresInDays: 30 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token as string;
  }
  const taxii = (token: string | undefined, url: string) => {
    const c = new TestClient(env.baseUrl);
    c.bearer = token;
    return c.request('GET', url, undefined, accept);
  };

  beforeAll(async () => {
    police = await makeOrganisation(env, { countryCode: 'FR' });
    const partner = await makeOrganisation(env, { kind: 'partner', countryCode: 'GB' });
    const partnerOut = await makeOrganisation(env, { kind: 'partner', countryCode: 'NL' });
    await agreement(env, admin, partner.id, { scopeOrganisationIds: [police.id] });
    await agreement(env, admin, partnerOut.id, { scopeOrganisationIds: [] , scopeRegions: ['africa'] });
    importer = (await signedIn(env, { organisationId: police.id, roles: ['expert'] })).client;
    inToken = await tokenFor((await signedIn(env, { organisationId: partner.id, roles: ['partner_analyst'] })).client);
    outToken = await tokenFor((await signedIn(env, { organisationId: partnerOut.id, roles: ['partner_analyst'] })).client);
  });

  it('discovery, API root and the collection, API tokens only', async () => {
    const d = await taxii(inToken, '/taxii2/');
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toContain('application/taxii+json');
    expect(d.body.api_roots).toEqual(['/taxii2/api/']);
    expect((await taxii(inToken, '/taxii2/api/')).body.versions).toEqual(['application/taxii+json;version=2.1']);
    const cols = await taxii(inToken, '/taxii2/api/collections/');
    expect(cols.body.collections.map((c: { id: string }) => c.id)).toEqual([taxiiCollectionId]);
    expectError(await taxii(inToken, `/taxii2/api/collections/${crypto.randomUUID()}/objects/`), 404, 'not_found');
    expectError(await taxii(undefined, '/taxii2/api/collections/'), 401, 'unauthenticated');
    // A browser session is not a TAXII credential.
    expectError(await importer.get('/taxii2/api/collections/'), 401, 'unauthenticated');
  });

  it('serves exactly what the token owner may see, paged with limit/next and added_after, and logs every pull', async () => {
    const start = env.clock.now().toISOString();
    const values = Array.from({ length: 5 }, (_, i) => `taxii-${i}-${uniq()}.evil.test`);
    const file = (tlp: string, vs: string[]) =>
      importer.post('/api/sharing/reports', { title: `TAXII ${tlp}`, summary: 'x', crimeType: 'ransomware', confidence: 50, regions: [], tlp, indicators: vs.map((v) => ({ type: 'domain', value: v, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z' })) });
    env.clock.advance(1);
    expect((await file('amber', values.slice(0, 3))).status).toBe(201);
    env.clock.advance(1);
    expect((await file('green', values.slice(3))).status).toBe(201);
    const mine = (b: any) => b.objects.filter((o: any) => o.type === 'indicator' && values.some((v) => o.pattern.includes(v)));

    // Out of scope: none of the AMBER objects, on any page.
    const all: any[] = [];
    let url = `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=2&added_after=${start}`;
    for (let n = 0; n < 10; n++) {
      const page = await taxii(outToken, url);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      all.push(...page.body.objects);
      if (!page.body.more) break;
      url = `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=2&added_after=${start}&next=${page.body.next}`;
    }
    const outSeen = all.filter((o) => o.type === 'indicator' && values.some((v) => o.pattern.includes(v)));
    expect(outSeen).toHaveLength(2);
    expect(all.some((o) => (o.object_marking_refs ?? []).includes(T.amber) || o.id === T.amber)).toBe(false);
    expect(JSON.stringify(all)).not.toContain(values[0]);

    // In scope: all five, two per page, in order, no repeats; added_after cuts the older ones.
    const p1 = await taxii(inToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=2&added_after=${start}`);
    expect(p1.body.more).toBe(true);
    expect(mine(p1.body)).toHaveLength(2);
    expect(p1.headers.get('x-taxii-date-added-first')).toBeTruthy();
    const p2 = await taxii(inToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=2&added_after=${start}&next=${p1.body.next}`);
    const p3 = await taxii(inToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=2&added_after=${start}&next=${p2.body.next}`);
    expect(p3.body.more).toBe(false);
    const ids = [...mine(p1.body), ...mine(p2.body), ...mine(p3.body)].map((o: any) => o.id);
    expect(new Set(ids).size).toBe(5);
    const later = new Date(env.clock.now().getTime() - 500).toISOString();
    const after = await taxii(inToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?added_after=${later}`);
    expect(mine(after.body)).toHaveLength(2);
    expectError(await taxii(inToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?next=garbage`), 400, 'validation_failed');
    // Nothing is counted: the envelope is only more, next and the objects.
    expect(Object.keys(p1.body).sort()).toEqual(['more', 'next', 'objects']);
    // An agreement that lapses stops the feed at once: only CLEAR remains.
    const lapsing = await makeOrganisation(env, { kind: 'partner', countryCode: 'IE' });
    const a = await agreement(env, admin, lapsing.id, { scopeOrganisationIds: [police.id], maxTlp: 'red' });
    const lapsingToken = await tokenFor((await signedIn(env, { organisationId: lapsing.id, roles: ['partner_analyst'] })).client);
    const beforeLapse = await taxii(lapsingToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=1000&added_after=${start}`);
    expect(mine(beforeLapse.body)).toHaveLength(5);
    expect((await admin.post(`/api/partner-agreements/${a}/status`, { status: 'suspended' })).status).toBe(200);
    const afterLapse = await taxii(lapsingToken, `/taxii2/api/collections/${taxiiCollectionId}/objects/?limit=1000&added_after=${start}`);
    expect(mine(afterLapse.body)).toHaveLength(0);
    // A read-only token cannot import (write scope needed).
    const importWithToken = new TestClient(env.baseUrl);
    importWithToken.bearer = inToken;
    expectError(await importWithToken.post('/api/sharing/stix/bundles', { type: 'bundle' }), 403, 'forbidden');

    const log = await admin.get('/api/sharing/log?pageSize=200');
    expect(log.body.items.filter((e: { action: string }) => e.action === 'feed.pulled').length).toBeGreaterThanOrEqual(6);
    expect((await admin.get('/api/sharing/log/verify')).body.valid).toBe(true);
  });

  it('object by id, its versions, the manifest, match[id|type|version] and added_after, with the TAXII media type and date headers', async () => {
    const start = env.clock.now().toISOString();
    env.clock.advance(1);
    const v = `m-${uniq()}.evil.test`;
    const filed = await importer.post('/api/sharing/reports', { title: 'TAXII filters', summary: 'x', crimeType: 'ransomware', confidence: 50, regions: [], tlp: 'amber', indicators: [{ type: 'domain', value: v, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z' }] });
    expect(filed.status).toBe(201);
    const id = `indicator--${filed.body.indicators[0].id}`;
    const base = `/taxii2/api/collections/${taxiiCollectionId}`;
    // By id: the object, in an envelope, with the media type and the date headers.
    const one = await taxii(inToken, `${base}/objects/${id}/`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    expect(one.body.objects.map((o: { id: string }) => o.id)).toEqual([id]);
    expect(one.body.objects[0].pattern).toContain(v);
    expect(one.headers.get('x-taxii-date-added-first')).toBe(filed.body.indicators[0].createdAt);
    expect(one.headers.get('x-taxii-date-added-last')).toBe(filed.body.indicators[0].createdAt);
    // Versions: one (objects are not modified).
    const versions = await taxii(inToken, `${base}/objects/${id}/versions/`);
    expect(versions.body).toEqual({ more: false, versions: [filed.body.indicators[0].createdAt] });
    // match[version]: first/last/all, or the exact timestamp; another timestamp matches nothing.
    for (const m of ['last', 'first', 'all', filed.body.indicators[0].createdAt]) expect((await taxii(inToken, `${base}/objects/${id}/?match[version]=${m}`)).body.objects, m).toHaveLength(1);
    expect((await taxii(inToken, `${base}/objects/${id}/?match[version]=2020-01-01T00:00:00.000Z`)).body.objects).toHaveLength(0);
    expectError(await taxii(inToken, `${base}/objects/${id}/?match[version]=latest`), 400, 'validation_failed');
    // Out of scope (AMBER of a police unit the agreement does not name): not found, on every path.
    expectError(await taxii(outToken, `${base}/objects/${id}/`), 404, 'not_found');
    expectError(await taxii(outToken, `${base}/objects/${id}/versions/`), 404, 'not_found');
    expect((await taxii(outToken, `${base}/manifest/?match[id]=${id}`)).body.objects).toEqual([]);
    expect((await taxii(outToken, `${base}/objects/?match[id]=${id}`)).body.objects).toEqual([]);
    // The marking definition and the identity the indicator uses, by id; not to the one out of scope (it sees no AMBER).
    const amber = await taxii(inToken, `${base}/objects/${T.amber}/`);
    expect(amber.body.objects[0]).toMatchObject({ id: T.amber, type: 'marking-definition' });
    expectError(await taxii(outToken, `${base}/objects/${T.amber}/`), 404, 'not_found');
    const identityId = one.body.objects[0].created_by_ref;
    expect((await taxii(inToken, `${base}/objects/${identityId}/`)).body.objects[0]).toMatchObject({ id: identityId, type: 'identity' });
    expectError(await taxii(inToken, `${base}/objects/indicator--${crypto.randomUUID()}/`), 404, 'not_found');
    // Manifest: id, date added, version, media type; added_after and match[id] apply.
    const manifest = await taxii(inToken, `${base}/manifest/?added_after=${start}&match[id]=${id}`);
    expect(manifest.body.objects).toEqual([{ id, date_added: filed.body.indicators[0].createdAt, version: filed.body.indicators[0].createdAt, media_type: 'application/stix+json;version=2.1' }]);
    expect(manifest.headers.get('x-taxii-date-added-first')).toBeTruthy();
    // match[type]: indicators only; identities only (nothing paged: they come with indicators).
    const onlyIndicators = await taxii(inToken, `${base}/objects/?match[type]=indicator&added_after=${start}`);
    expect(new Set(onlyIndicators.body.objects.map((o: { type: string }) => o.type))).toEqual(new Set(['indicator']));
    const withIdentity = await taxii(inToken, `${base}/objects/?match[type]=indicator,identity&match[id]=${id},${identityId}`);
    expect(withIdentity.body.objects.map((o: { id: string }) => o.id).sort()).toEqual([id, identityId].sort());
    expect((await taxii(inToken, `${base}/objects/?match[type]=malware`)).body.objects).toEqual([]);
    expect((await taxii(inToken, `${base}/objects/?match[spec_version]=2.0`)).body.objects).toEqual([]);
    // Every path is logged.
    const log = await admin.get(`/api/sharing/log?reportId=${filed.body.id}&pageSize=200`);
    const paths = new Set(log.body.items.filter((e: { action: string }) => e.action === 'feed.pulled').map((e: { details: { path: string } }) => e.details.path));
    expect([...paths].sort()).toEqual(['manifest', 'object', 'objects', 'versions']);
  });
});
