import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeOrganisation, makeUser, signedIn, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError } from '../../test/expect.ts';
import { correlationSettings } from './indicators.ts';
import { tlpLevels, type Tlp } from './schemas.ts';
import { stixIdOf, taxiiCollectionId } from './stix.ts';

// The central rule of information sharing, proven on every read path:
// list, total, single read, indicator read, search by value, correlations,
// STIX export (one report, a search), TAXII (objects, object by id, its
// versions, the manifest) and correlation notifications.

let env: TestEnv;
let admin: TestClient;
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const day = (offset: number) => new Date(env.clock.now().getTime() + offset * 86400_000).toISOString().slice(0, 10);
const seen = { firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-02-01T00:00:00Z' };

async function agreement(organisationId: string, over: Record<string, unknown> = {}) {
  const res = await admin.post('/api/partner-agreements', {
    organisationId,
    kind: 'data_sharing',
    title: 'Data sharing',
    reference: `DSA-${uniq()}`,
    startsOn: day(-10),
    endsOn: day(300),
    dataCategories: ['ransomware', 'phishing'],
    maxTlp: 'amber',
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await status(res.body.id, 'active');
  return res.body.id as string;
}
async function status(id: string, to: 'active' | 'suspended' | 'expired') {
  const res = await admin.post(`/api/partner-agreements/${id}/status`, { status: to });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function file(client: TestClient, body: Record<string, unknown>) {
  const res = await client.post('/api/sharing/reports', { title: 'Report', summary: 'Details', crimeType: 'ransomware', confidence: 70, regions: ['europe'], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  env = await startTestApp();
  admin = await adminClient(env);
});
afterAll(async () => env?.close());

type Viewers = Record<string, TestClient>;
/** A matrix walks every read path for every viewer and level: a few hundred requests. */
const matrixTimeout = 180_000;

type FiledReport = { id: string; uniqueValue: string; sharedIndicatorId: string; uniqueIndicatorId: string };

/** A TAXII client (API token, read scope) acting for the same user as a session client. */
const taxiiClients = new Map<TestClient, TestClient>();
async function taxiiFor(client: TestClient) {
  let t = taxiiClients.get(client);
  if (!t) {
    const res = await client.post('/api/me/tokens', { name: 'matrix feed', scopes: ['read'], expiresInDays: 30 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    t = new TestClient(env.baseUrl);
    t.bearer = res.body.token;
    taxiiClients.set(client, t);
  }
  return t;
}
const taxiiGet = async (client: TestClient, path: string) => (await taxiiFor(client)).request('GET', `/taxii2/api/collections/${taxiiCollectionId}/${path}`, undefined, { accept: 'application/taxii+json;version=2.1' });
/** Roles told of correlations (those that file reports). */
const analyst = new Set(['reporterOrganisation', 'partnerInScope', 'partnerExpired', 'policeOutOfScope', 'policeInScope', 'otherPartner']);

/** Asserts, on every read path, that each viewer sees exactly the expected reports of the set. */
async function assertMatrix(reporterOrgId: string, reports: Record<Tlp, FiledReport>, shared: string, viewers: Viewers, expected: Record<string, Tlp[]>) {
  for (const [name, client] of Object.entries(viewers)) {
    const sees = new Set(expected[name]);
    const want = tlpLevels.filter((t) => sees.has(t)).map((t) => reports[t].id).sort();
    const label = (what: string) => `${name} · ${what}`;
    // List and its total.
    const list = await client.get(`/api/sharing/reports?pageSize=200&reporterOrganisationId=${reporterOrgId}`);
    expect(list.status, label('list')).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id).sort(), label('list')).toEqual(want);
    expect(list.body.total, label('total')).toBe(want.length);
    for (const tlp of tlpLevels) {
      const r = reports[tlp];
      const visible = sees.has(tlp);
      // The total filtered by TLP counts it only when visible.
      const count = await client.get(`/api/sharing/reports?tlp=${tlp}&reporterOrganisationId=${reporterOrgId}`);
      expect(count.body.total, label(`count ${tlp}`)).toBe(visible ? 1 : 0);
      // Single read: 404 when invisible, as for a report that does not exist.
      const one = await client.get(`/api/sharing/reports/${r.id}`);
      expect(one.status, label(`read ${tlp}`)).toBe(visible ? 200 : 404);
      if (!visible) expectError(one, 404, 'not_found');
      const ind = await client.get(`/api/sharing/indicators/${r.sharedIndicatorId}`);
      expect(ind.status, label(`indicator ${tlp}`)).toBe(visible ? 200 : 404);
      // Search by value (in another case: normalised first).
      const search = await client.get(`/api/sharing/indicators?value=${encodeURIComponent(r.uniqueValue.toUpperCase())}`);
      expect(search.status, label(`search ${tlp}`)).toBe(200);
      expect(search.body.total, label(`search ${tlp}`)).toBe(visible ? 1 : 0);
      expect(search.body.items.map((i: { report: { id: string } }) => i.report.id), label(`search ${tlp}`)).toEqual(visible ? [r.id] : []);
    }
    // Search by the value all five share.
    const all = await client.get(`/api/sharing/indicators?value=${shared}&pageSize=200`);
    expect(all.body.items.map((i: { reportId: string }) => i.reportId).sort(), label('search shared')).toEqual(want);
    expect(all.body.total, label('search shared total')).toBe(want.length);
    // Paged: a full page, the last one and one past the end all count the same visible matches.
    for (const [page, pageSize] of [[1, 1], [want.length, 1], [2, want.length]] as const) {
      const paged = await client.get(`/api/sharing/indicators?value=${shared}&page=${page}&pageSize=${pageSize}`);
      expect(paged.body.total, label(`search shared total, page ${page} of ${pageSize}`)).toBe(want.length);
      expect(paged.body.items, label(`search shared items, page ${page} of ${pageSize}`)).toHaveLength(page * pageSize <= want.length ? pageSize : 0);
    }
    // Correlations from the CLEAR report's indicator: the others the viewer may see, and only them, counted alike.
    const corr = await client.get(`/api/sharing/indicators/${reports.clear.sharedIndicatorId}/correlations?pageSize=200`);
    expect(corr.status, label('correlations')).toBe(200);
    expect(corr.body.state).toBe('linked');
    expect(corr.body.items.map((i: { reportId: string }) => i.reportId).sort(), label('correlations')).toEqual(want.filter((id) => id !== reports.clear.id));
    expect(corr.body.total, label('correlations total')).toBe(want.length - 1);
    // STIX export of each report, and of a search: only the visible reports, and inside them only visible indicators.
    for (const tlp of tlpLevels) {
      const one = await client.get(`/api/sharing/reports/${reports[tlp].id}/stix`);
      expect(one.status, label(`stix ${tlp}`)).toBe(sees.has(tlp) ? 200 : 404);
    }
    const exported = await client.get(`/api/sharing/stix?reporterOrganisationId=${reporterOrgId}&pageSize=200`);
    expect(exported.status, label('stix search')).toBe(200);
    const setIds = new Map(tlpLevels.map((t) => [stixIdOf('report', reports[t].id), reports[t].id]));
    const exportedReports = exported.body.objects.filter((o: { type: string; id: string }) => o.type === 'report' && setIds.has(o.id)).map((o: { id: string }) => setIds.get(o.id));
    expect(exportedReports.sort(), label('stix search')).toEqual(want);
    const exportedText = JSON.stringify(exported.body);
    for (const tlp of tlpLevels) expect(exportedText.includes(reports[tlp].uniqueValue), label(`stix search value ${tlp}`)).toBe(sees.has(tlp));

    // TAXII: objects and manifest filtered to the set's indicators, each indicator by id and its versions.
    const indicatorIds = tlpLevels.flatMap((t) => [`indicator--${reports[t].sharedIndicatorId}`, `indicator--${reports[t].uniqueIndicatorId}`]);
    const wantIndicators = tlpLevels.filter((t) => sees.has(t)).flatMap((t) => [`indicator--${reports[t].sharedIndicatorId}`, `indicator--${reports[t].uniqueIndicatorId}`]).sort();
    const objects = await taxiiGet(client, `objects/?match[id]=${indicatorIds.join(',')}&limit=1000`);
    expect(objects.status, label('taxii objects')).toBe(200);
    expect(objects.body.objects.filter((o: { type: string }) => o.type === 'indicator').map((o: { id: string }) => o.id).sort(), label('taxii objects')).toEqual(wantIndicators);
    const manifest = await taxiiGet(client, `manifest/?match[id]=${indicatorIds.join(',')}&limit=1000`);
    expect(manifest.status, label('taxii manifest')).toBe(200);
    expect(manifest.body.objects.map((o: { id: string }) => o.id).sort(), label('taxii manifest')).toEqual(wantIndicators);
    for (const tlp of tlpLevels) {
      const id = `indicator--${reports[tlp].uniqueIndicatorId}`;
      const byId = await taxiiGet(client, `objects/${id}/`);
      expect(byId.status, label(`taxii object ${tlp}`)).toBe(sees.has(tlp) ? 200 : 404);
      if (sees.has(tlp)) expect(byId.body.objects.map((o: { id: string }) => o.id), label(`taxii object ${tlp}`)).toEqual([id]);
      const versions = await taxiiGet(client, `objects/${id}/versions/`);
      expect(versions.status, label(`taxii versions ${tlp}`)).toBe(sees.has(tlp) ? 200 : 404);
    }

    // Correlation notifications: the pairs of this set with both reports visible, for analysts; nothing else of the set.
    const notes = await client.get('/api/sharing/notifications?pageSize=200');
    expect(notes.status, label('notifications')).toBe(200);
    const setReportIds = new Set(tlpLevels.map((t) => reports[t].id));
    const pairs = notes.body.items
      .filter((n: { report: { id: string }; relatedReport: { id: string } }) => setReportIds.has(n.report.id) || setReportIds.has(n.relatedReport.id))
      .map((n: { report: { id: string }; relatedReport: { id: string } }) => `${n.report.id}>${n.relatedReport.id}`)
      .sort();
    const visibleInOrder = tlpLevels.filter((t) => sees.has(t)).map((t) => reports[t].id);
    const wantPairs = analyst.has(name) ? visibleInOrder.flatMap((later, i) => visibleInOrder.slice(0, i).map((earlier) => `${later}>${earlier}`)).sort() : [];
    expect(pairs, label('notifications')).toEqual(wantPairs);
    for (const n of notes.body.items) {
      for (const r of [n.report, n.relatedReport]) if (setReportIds.has(r.id)) expect(want, label('notification reveals')).toContain(r.id);
    }
    expect((await client.get('/api/sharing/notifications/unread')).body.unread, label('unread count')).toBe(notes.body.unread);

    // From an invisible indicator: not found, nothing told.
    for (const tlp of tlpLevels) {
      if (sees.has(tlp)) continue;
      const c = await client.get(`/api/sharing/indicators/${reports[tlp].sharedIndicatorId}/correlations`);
      expectError(c, 404, 'not_found');
      const s = await client.post(`/api/sharing/indicators/${reports[tlp].sharedIndicatorId}/sightings`, { kind: 'seen' });
      expectError(s, 404, 'not_found');
    }
  }
}

async function fileAllLevels(reporter: TestClient, recipient: string, tag: string) {
  const shared = `198.51.${Number.parseInt(uniq().slice(-2), 36) % 250}.${(seq % 250) + 1}`;
  const reports = {} as Record<Tlp, FiledReport>;
  for (const tlp of tlpLevels) {
    const uniqueValue = `${tag}-${tlp.replace('_', '-')}-${uniq()}.badguys.test`;
    const body = await file(reporter, {
      title: `${tag} ${tlp}`,
      tlp,
      recipientOrganisationIds: tlp === 'clear' || tlp === 'green' ? [] : [recipient],
      indicators: [
        { type: 'ipv4', value: shared, ...seen },
        { type: 'domain', value: uniqueValue, ...seen },
      ],
    });
    const sharedIndicator = body.indicators.find((i: { type: string }) => i.type === 'ipv4');
    const uniqueIndicator = body.indicators.find((i: { type: string }) => i.type === 'domain');
    reports[tlp] = { id: body.id, uniqueValue, sharedIndicatorId: sharedIndicator.id, uniqueIndicatorId: uniqueIndicator.id };
  }
  return { reports, shared };
}

describe('the TLP matrix', () => {
  let policeInScope: Awaited<ReturnType<typeof makeOrganisation>>;
  let policeOut: Awaited<ReturnType<typeof makeOrganisation>>;
  let policeRecipient: Awaited<ReturnType<typeof makeOrganisation>>;
  let partner: Awaited<ReturnType<typeof makeOrganisation>>;
  let partnerExpired: Awaited<ReturnType<typeof makeOrganisation>>;
  let otherPartner: Awaited<ReturnType<typeof makeOrganisation>>;
  let partnerAgreement: string;
  const c = {} as Record<'policeReporter' | 'policeColleague' | 'policeOut' | 'policeRecipient' | 'partner' | 'partnerColleague' | 'partnerExpired' | 'otherPartner', TestClient>;

  beforeAll(async () => {
    policeInScope = await makeOrganisation(env, { countryCode: 'FR' });
    policeOut = await makeOrganisation(env, { countryCode: 'BR' });
    policeRecipient = await makeOrganisation(env, { countryCode: 'KE' });
    partner = await makeOrganisation(env, { kind: 'partner', countryCode: 'GB' });
    partnerExpired = await makeOrganisation(env, { kind: 'partner', countryCode: 'DE' });
    otherPartner = await makeOrganisation(env, { kind: 'partner', countryCode: 'NL' });
    partnerAgreement = await agreement(partner.id, { scopeOrganisationIds: [policeInScope.id] });
    const expired = await agreement(partnerExpired.id, { scopeOrganisationIds: [policeInScope.id], maxTlp: 'red' });
    await status(expired, 'expired');
    await agreement(otherPartner.id, { scopeOrganisationIds: [policeInScope.id] });
    c.policeReporter = (await signedIn(env, { organisationId: policeInScope.id, roles: ['expert'] })).client;
    c.policeColleague = (await signedIn(env, { organisationId: policeInScope.id, roles: ['working_group_member'] })).client;
    c.policeOut = (await signedIn(env, { organisationId: policeOut.id, roles: ['expert'] })).client;
    c.policeRecipient = (await signedIn(env, { organisationId: policeRecipient.id, roles: ['participant'] })).client;
    c.partner = (await signedIn(env, { organisationId: partner.id, roles: ['partner_analyst'] })).client;
    c.partnerColleague = (await signedIn(env, { organisationId: partner.id, roles: ['partner_analyst'] })).client;
    c.partnerExpired = (await signedIn(env, { organisationId: partnerExpired.id, roles: ['partner_analyst'] })).client;
    c.otherPartner = (await signedIn(env, { organisationId: otherPartner.id, roles: ['partner_analyst'] })).client;
  });

  it('reports by a police unit: reaches exactly whom TLP 2.0 and the agreements allow, on every read path', async () => {
    const { reports, shared } = await fileAllLevels(c.policeReporter, policeRecipient.id, 'police');
    await assertMatrix(
      policeInScope.id,
      reports,
      shared,
      { reporterOrganisation: c.policeColleague, partnerInScope: c.partner, partnerExpired: c.partnerExpired, policeOutOfScope: c.policeOut, namedRecipient: c.policeRecipient },
      {
        reporterOrganisation: ['clear', 'green', 'amber', 'amber_strict', 'red'],
        partnerInScope: ['clear', 'green', 'amber'],
        partnerExpired: ['clear'],
        policeOutOfScope: ['clear', 'green'],
        namedRecipient: ['clear', 'green', 'amber', 'amber_strict', 'red'],
      },
    );
  }, matrixTimeout);

  it('reports by a partner: reach the police organisations in the scope of its agreement', async () => {
    const { reports, shared } = await fileAllLevels(c.partner, policeRecipient.id, 'partner');
    await assertMatrix(
      partner.id,
      reports,
      shared,
      { reporterOrganisation: c.partnerColleague, policeInScope: c.policeColleague, partnerExpired: c.partnerExpired, policeOutOfScope: c.policeOut, namedRecipient: c.policeRecipient, otherPartner: c.otherPartner },
      {
        reporterOrganisation: ['clear', 'green', 'amber', 'amber_strict', 'red'],
        policeInScope: ['clear', 'green', 'amber'],
        partnerExpired: ['clear'],
        policeOutOfScope: ['clear', 'green'],
        namedRecipient: ['clear', 'green', 'amber', 'amber_strict', 'red'],
        otherPartner: ['clear', 'green'],
      },
    );
  }, matrixTimeout);

  it('AMBER under an agreement covers only its data categories', async () => {
    const bec = await file(c.policeReporter, { tlp: 'amber', crimeType: 'bec', indicators: [] });
    expect((await c.partner.get(`/api/sharing/reports/${bec.id}`)).status).toBe(404);
    const ransom = await file(c.partner, { tlp: 'amber', crimeType: 'bec', indicators: [] });
    expect((await c.policeColleague.get(`/api/sharing/reports/${ransom.id}`)).status).toBe(404);
  });

  it('a suspended agreement stops the sharing it allowed at once, and resuming restores it', async () => {
    const fromPolice = await file(c.policeReporter, { tlp: 'amber', indicators: [] });
    const fromPartner = await file(c.partner, { tlp: 'amber', indicators: [] });
    const green = await file(c.policeReporter, { tlp: 'green', indicators: [] });
    expect((await c.partner.get(`/api/sharing/reports/${fromPolice.id}`)).status).toBe(200);
    expect((await c.policeColleague.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(200);
    await status(partnerAgreement, 'suspended');
    expect((await c.partner.get(`/api/sharing/reports/${fromPolice.id}`)).status).toBe(404);
    expect((await c.partner.get(`/api/sharing/reports/${green.id}`)).status).toBe(404);
    expect((await c.policeColleague.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(404);
    // The partner still sees its own report, and cannot file new ones.
    expect((await c.partner.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(200);
    expectError(await c.partner.post('/api/sharing/reports', { title: 'More', summary: 'x', crimeType: 'ransomware', confidence: 5, tlp: 'clear' }), 409, 'conflict');
    await status(partnerAgreement, 'active');
    expect((await c.partner.get(`/api/sharing/reports/${fromPolice.id}`)).status).toBe(200);
    expect((await c.policeColleague.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(200);
  });

  it('correlation notifications follow the rule: shown while both reports are visible, hidden (and not counted) once an agreement stops', async () => {
    const value = `notify-${uniq()}.badguys.test`;
    const earlier = await file(c.policeReporter, { tlp: 'amber', indicators: [{ type: 'domain', value, ...seen }] });
    const later = await file(c.policeReporter, { tlp: 'amber', title: 'Later', indicators: [{ type: 'domain', value, ...seen }] });
    const pairOf = async (client: TestClient) => {
      const list = await client.get('/api/sharing/notifications?pageSize=200');
      expect(list.status).toBe(200);
      return list.body.items.filter((n: { report: { id: string } }) => n.report.id === later.id);
    };
    const unread = async (client: TestClient) => (await client.get('/api/sharing/notifications/unread')).body.unread as number;
    // The partner in scope sees both AMBER reports: told; out of scope: not told, and nothing counted.
    const mine = await pairOf(c.partner);
    expect(mine.map((n: { relatedReport: { id: string } }) => n.relatedReport.id)).toEqual([earlier.id]);
    expect(await pairOf(c.policeOut)).toEqual([]);
    expect(await pairOf(c.partnerExpired)).toEqual([]);
    const before = await unread(c.partner);
    expect(before).toBeGreaterThanOrEqual(1);
    // The agreement stops: the notification is no longer shown nor counted; back when it resumes.
    await status(partnerAgreement, 'suspended');
    try {
      expect(await pairOf(c.partner)).toEqual([]);
      const hidden = await c.partner.get('/api/sharing/notifications?pageSize=200');
      expect(hidden.body.items.some((n: { report: { id: string }; relatedReport: { id: string } }) => [n.report.id, n.relatedReport.id].some((id) => id === earlier.id || id === later.id))).toBe(false);
      expect(await unread(c.partner)).toBeLessThan(before);
      expect(await unread(c.partner)).toBe(hidden.body.unread);
    } finally {
      await status(partnerAgreement, 'active');
    }
    expect(await pairOf(c.partner)).toHaveLength(1);
    expect(await unread(c.partner)).toBe(before);
    // Marking read: one's own only (another user's id changes nothing), then all.
    const other = await c.policeColleague.post('/api/sharing/notifications/read', { ids: [mine[0].id] });
    expect(other.body.updated).toBe(0);
    const read = await c.partner.post('/api/sharing/notifications/read', { ids: [mine[0].id] });
    expect(read.body.updated).toBe(1);
    expect(await unread(c.partner)).toBe(before - 1);
    expect((await pairOf(c.partner))[0].readAt).not.toBeNull();
    await c.partner.post('/api/sharing/notifications/read', {});
    expect(await unread(c.partner)).toBe(0);
  });

  it('an indicator may be stricter than its report, never looser, and a stricter one stays hidden', async () => {
    const looser = await c.policeReporter.post('/api/sharing/reports', {
      title: 'Looser',
      summary: 'x',
      crimeType: 'ransomware',
      confidence: 50,
      tlp: 'amber',
      indicators: [{ type: 'domain', value: 'loose.badguys.test', tlp: 'green', ...seen }],
    });
    expectError(looser, 400, 'validation_failed');
    expect(looser.body.error.message).toMatch(/body\.indicators\.0\.tlp: TLP:GREEN is looser than the report's TLP:AMBER/);
    const redValue = `secret-${uniq()}.badguys.test`;
    const report = await file(c.policeReporter, {
      tlp: 'amber',
      recipientOrganisationIds: [policeRecipient.id],
      indicators: [
        { type: 'domain', value: `open-${uniq()}.badguys.test`, ...seen },
        { type: 'domain', value: redValue, tlp: 'red', ...seen },
      ],
    });
    expect(report.indicators.map((i: { effectiveTlp: string }) => i.effectiveTlp)).toEqual(['amber', 'red']);
    // The partner in scope sees the AMBER report but not its RED indicator, on any path.
    const seenByPartner = await c.partner.get(`/api/sharing/reports/${report.id}`);
    expect(seenByPartner.status).toBe(200);
    expect(seenByPartner.body.indicators).toHaveLength(1);
    expect(seenByPartner.body.recipients).toBeNull();
    expect((await c.partner.get(`/api/sharing/indicators?value=${redValue}`)).body.total).toBe(0);
    expect((await c.partner.get(`/api/sharing/indicators/${report.indicators[1].id}`)).status).toBe(404);
    // The named recipient sees both.
    expect((await c.policeRecipient.get(`/api/sharing/reports/${report.id}`)).body.indicators).toHaveLength(2);
    expect((await c.policeRecipient.get(`/api/sharing/indicators?value=${redValue}`)).body.total).toBe(1);
    // Raising the report above an indicator's own marking is refused too.
    const raise = await c.policeReporter.patch(`/api/sharing/reports/${report.id}`, { tlp: 'amber_strict' });
    expect(raise.status).toBe(200);
    expect(raise.body.indicators.map((i: { effectiveTlp: string }) => i.effectiveTlp)).toEqual(['amber_strict', 'red']);
    const other = await file(c.policeReporter, { tlp: 'clear', indicators: [{ type: 'domain', value: `x-${uniq()}.badguys.test`, tlp: 'green', ...seen }] });
    expectError(await c.policeReporter.patch(`/api/sharing/reports/${other.id}`, { tlp: 'amber' }), 400, 'validation_failed');
  });

  it('refuses contradictory markings and invalid values, storing nothing', async () => {
    const base = { title: 'Bad', summary: 'x', crimeType: 'phishing', confidence: 10 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ tlp: 'red' }, /TLP:RED needs at least one named recipient/],
      [{ tlp: 'amber_strict' }, /TLP:AMBER\+STRICT needs at least one named recipient/],
      [{ tlp: 'green', recipientOrganisationIds: [policeRecipient.id] }, /TLP:GREEN is not addressed to named recipients/],
      [{ tlp: 'clear', recipientOrganisationIds: [policeRecipient.id] }, /TLP:CLEAR is not addressed/],
      [{ tlp: 'red', recipientOrganisationIds: [policeInScope.id] }, /reporting organisation always sees/],
      [{ tlp: 'red', recipientOrganisationIds: [partnerExpired.id] }, /no data-sharing agreement in force that allows TLP:RED/],
      [{ tlp: 'amber', indicators: [{ type: 'domain', value: 'x.badguys.test', tlp: 'red', ...seen }] }, /needs named recipients/],
      [{ tlp: 'clear', indicators: [{ type: 'domain', value: 'x.badguys.test', firstSeen: '2026-02-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z' }] }, /lastSeen: must be on or after firstSeen/],
      [{ tlp: 'clear', indicators: [{ type: 'bitcoin', value: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', ...seen }] }, /bitcoin address/],
      [{ tlp: 'clear', indicators: [{ type: 'iban', value: 'FR7630006000011234567890188', ...seen }] }, /IBAN/],
      [{ tlp: 'clear', indicators: [{ type: 'sha256', value: 'abc', ...seen }] }, /64 hexadecimal/],
      [{ tlp: 'clear', indicators: [{ type: 'ipv4', value: '300.1.1.1', ...seen }] }, /IPv4/],
    ];
    const before = await env.ctx.database.db.selectFrom('sharing_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [body, message] of cases) {
      const res = await c.policeReporter.post('/api/sharing/reports', { ...base, ...body });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toMatch(message);
    }
    const after = await env.ctx.database.db.selectFrom('sharing_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('normalises values per type', async () => {
    const report = await file(c.policeReporter, {
      tlp: 'clear',
      indicators: [
        { type: 'ipv6', value: '2001:0DB8:0000:0000:0000:0000:0000:0001', ...seen },
        { type: 'cidr', value: '192.0.2.77/24', ...seen },
        { type: 'domain', value: 'Evil.BadGuys.Test.', ...seen },
        { type: 'email', value: 'Boss@Evil.BadGuys.Test', ...seen },
        { type: 'sha256', value: 'A'.repeat(64), ...seen },
        { type: 'bitcoin', value: 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', ...seen },
        { type: 'iban', value: 'gb82 west 1234 5698 7654 32', ...seen },
        { type: 'phone', value: '+33 (1) 23-45-67-89', ...seen },
        { type: 'url', value: 'HTTPS://Evil.BadGuys.Test/Login?x=1', ...seen },
      ],
    });
    expect(report.indicators.map((i: { value: string }) => i.value)).toEqual([
      '2001:db8::1',
      '192.0.2.0/24',
      'evil.badguys.test',
      'boss@evil.badguys.test',
      'a'.repeat(64),
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      'GB82WEST12345698765432',
      '+33123456789',
      'https://evil.badguys.test/Login?x=1',
    ]);
    const found = await c.policeOut.get(`/api/sharing/indicators?value=${encodeURIComponent('2001:db8:0:0::1')}`);
    expect(found.body.items.map((i: { reportId: string }) => i.reportId)).toContain(report.id);
  });

  it('offers as recipients other active police units and partners with an agreement in force only', async () => {
    const reporter = await signedIn(env, { roles: ['expert'] });
    const unit = await makeOrganisation(env, { name: `Unit ${uniq()}` });
    const withAgreement = await makeOrganisation(env, { kind: 'partner', name: `Partner ${uniq()}` });
    const without = await makeOrganisation(env, { kind: 'partner', name: `Partner ${uniq()}` });
    await agreement(withAgreement.id, { scopeOrganisationIds: [unit.id] });
    const ids = ((await reporter.client.get('/api/sharing/recipients')).body.items as Array<{ id: string }>).map((o) => o.id);
    expect(ids).toContain(unit.id);
    expect(ids).toContain(withAgreement.id);
    expect(ids).not.toContain(without.id);
    expect(ids).not.toContain(reporter.user.organisation_id);
    const participant = await signedIn(env, { roles: ['participant'] });
    expect((await participant.client.get('/api/sharing/recipients')).status).toBe(403);
  });

  it('sightings are recorded by anyone who can see the indicator', async () => {
    const report = await file(c.partner, { tlp: 'green', indicators: [{ type: 'domain', value: `sight-${uniq()}.badguys.test`, ...seen }] });
    const id = report.indicators[0].id;
    expect((await c.policeOut.post(`/api/sharing/indicators/${id}/sightings`, { kind: 'seen' })).status).toBe(201);
    expect((await c.policeColleague.post(`/api/sharing/indicators/${id}/sightings`, { kind: 'false_positive', note: 'Our sinkhole' })).status).toBe(201);
    expectError(await c.partnerExpired.post(`/api/sharing/indicators/${id}/sightings`, { kind: 'seen' }), 404, 'not_found');
    const read = await c.partner.get(`/api/sharing/indicators/${id}`);
    expect(read.body.sightings).toEqual({ seen: 1, falsePositive: 1 });
  });

  it('only the reporting organisation (or an administrator) changes a report', async () => {
    const report = await file(c.policeReporter, { tlp: 'green', indicators: [] });
    expectError(await c.policeOut.patch(`/api/sharing/reports/${report.id}`, { title: 'Mine now' }), 403, 'forbidden');
    const hidden = await file(c.policeReporter, { tlp: 'red', recipientOrganisationIds: [policeRecipient.id], indicators: [] });
    expectError(await c.policeOut.patch(`/api/sharing/reports/${hidden.id}`, { title: 'Mine now' }), 404, 'not_found');
    expectError(await c.policeRecipient.patch(`/api/sharing/reports/${hidden.id}`, { title: 'Mine now' }), 403, 'forbidden');
    const ok = await c.policeColleague.patch(`/api/sharing/reports/${report.id}`, { title: 'Renamed', addIndicators: [{ type: 'md5', value: 'B'.repeat(32), ...seen }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ title: 'Renamed', indicators: [{ value: 'b'.repeat(32) }] });
  });
});

describe('correlation', () => {
  it('caps the indicators linked to one value and never correlates excluded values', async () => {
    const cap = correlationSettings.cap;
    correlationSettings.cap = 5;
    try {
      const { client } = await signedIn(env, { organisationId: (await makeOrganisation(env)).id, roles: ['expert'] });
      const value = `common-${uniq()}.badguys.test`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await file(client, { tlp: 'clear', indicators: [{ type: 'domain', value, ...seen }, { type: 'ipv4', value: '8.8.8.8', ...seen }] });
        ids.push(r.indicators[0].id);
      }
      const linked = await client.get(`/api/sharing/indicators/${ids[0]}/correlations`);
      expect(linked.body).toMatchObject({ state: 'linked', total: 4 });
      // One value, one dictionary row: no table of pairs.
      const rows = await env.ctx.database.db.selectFrom('sharing_values').selectAll().where('value', '=', value).execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.linked_count)).toBe(5);
      // The sixth goes past the cap: the value is too common and no longer correlated.
      const more = await file(client, { tlp: 'clear', indicators: [{ type: 'domain', value, ...seen }] });
      for (const id of [ids[0], more.indicators[0].id]) {
        expect((await client.get(`/api/sharing/indicators/${id}/correlations`)).body).toMatchObject({ state: 'too_common', total: 0, items: [] });
      }
      // Search still finds every visible indicator with the value.
      expect((await client.get(`/api/sharing/indicators?value=${value}`)).body.total).toBe(6);
      // 8.8.8.8 is on the exclusion list: never in the dictionary, never correlated.
      const dns = (await client.get(`/api/sharing/indicators?value=8.8.8.8&type=ipv4`)).body.items[0];
      expect((await client.get(`/api/sharing/indicators/${dns.id}/correlations`)).body).toMatchObject({ state: 'excluded', total: 0, items: [] });
      expect(await env.ctx.database.db.selectFrom('sharing_values').selectAll().where('value', '=', '8.8.8.8').execute()).toHaveLength(0);

      // A STIX import (set-based linking) holds the same caps: 3 reports with the value, then 4 more past the cap.
      const bulk = `bulk-${uniq()}.badguys.test`;
      const green = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
      const bundle = (n: number) => {
        const objects: Array<Record<string, unknown>> = [];
        for (let i = 0; i < n; i++) {
          const ind = { type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, pattern: `[domain-name:value = '${bulk}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', object_marking_refs: [green] };
          const dns = { ...ind, id: `indicator--${crypto.randomUUID()}`, pattern: "[ipv4-addr:value = '8.8.8.8']" };
          objects.push(ind, dns, { type: 'report', spec_version: '2.1', id: `report--${crypto.randomUUID()}`, name: `Bulk ${i}`, published: '2026-01-01T00:00:00Z', labels: ['phishing'], object_refs: [ind.id, dns.id], object_marking_refs: [green] });
        }
        return { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects };
      };
      expect((await client.post('/api/sharing/stix/bundles', bundle(3))).status).toBe(201);
      const first = await env.ctx.database.db.selectFrom('sharing_values').selectAll().where('value', '=', bulk).execute();
      expect(first.map((r) => [Number(r.linked_count), Number(r.too_common)])).toEqual([[3, 0]]);
      const hit = (await client.get(`/api/sharing/indicators?value=${bulk}&type=domain`)).body.items[0];
      expect((await client.get(`/api/sharing/indicators/${hit.id}/correlations`)).body).toMatchObject({ state: 'linked', total: 2 });
      expect((await client.post('/api/sharing/stix/bundles', bundle(4))).status).toBe(201);
      const after = await env.ctx.database.db.selectFrom('sharing_values').selectAll().where('value', '=', bulk).execute();
      expect(after.map((r) => [Number(r.linked_count), Number(r.too_common)])).toEqual([[7, 1]]);
      expect((await client.get(`/api/sharing/indicators/${hit.id}/correlations`)).body).toMatchObject({ state: 'too_common', total: 0 });
      expect(await env.ctx.database.db.selectFrom('sharing_values').selectAll().where('value', '=', '8.8.8.8').execute()).toHaveLength(0);
    } finally {
      correlationSettings.cap = cap;
    }
  });
});

describe('scope by region', () => {
  it('an agreement scoped to a region reaches the police units of that region at AMBER, both ways', async () => {
    const partner = await makeOrganisation(env, { kind: 'partner', countryCode: 'JP' });
    const singapore = await makeOrganisation(env, { countryCode: 'SG' });
    const france = await makeOrganisation(env, { countryCode: 'FR' });
    await agreement(partner.id, { scopeRegions: ['asia_south_pacific'], dataCategories: ['phishing'] });
    const { client: analyst } = await signedIn(env, { organisationId: partner.id, roles: ['partner_analyst'] });
    const { client: sg } = await signedIn(env, { organisationId: singapore.id, roles: ['expert'] });
    const { client: fr } = await signedIn(env, { organisationId: france.id, roles: ['expert'] });
    const fromPartner = await file(analyst, { tlp: 'amber', crimeType: 'phishing', indicators: [] });
    const fromSingapore = await file(sg, { tlp: 'amber', crimeType: 'phishing', indicators: [] });
    const fromFrance = await file(fr, { tlp: 'amber', crimeType: 'phishing', indicators: [] });
    expect((await sg.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(200);
    expect((await fr.get(`/api/sharing/reports/${fromPartner.id}`)).status).toBe(404);
    expect((await analyst.get(`/api/sharing/reports/${fromSingapore.id}`)).status).toBe(200);
    expect((await analyst.get(`/api/sharing/reports/${fromFrance.id}`)).status).toBe(404);
    // Police units do not see each other's AMBER without being named.
    expect((await fr.get(`/api/sharing/reports/${fromSingapore.id}`)).status).toBe(404);
  });
});

describe('the sharing log', () => {
  it('records creations, shares and every read of a RED item, chains them, and shows each organisation its own', async () => {
    const police = await makeOrganisation(env);
    const recipient = await makeOrganisation(env);
    const { client: reporter } = await signedIn(env, { organisationId: police.id, roles: ['expert'] });
    const { client: reader } = await signedIn(env, { organisationId: recipient.id, roles: ['expert'] });
    const red = await file(reporter, { tlp: 'red', recipientOrganisationIds: [recipient.id], indicators: [{ type: 'domain', value: `red-${uniq()}.badguys.test`, ...seen }] });
    expect((await reader.get(`/api/sharing/reports/${red.id}`)).status).toBe(200);
    await reader.get(`/api/sharing/reports?reporterOrganisationId=${police.id}`);
    await admin.get(`/api/sharing/reports/${red.id}`);

    const own = await reporter.get(`/api/sharing/log?reportId=${red.id}&pageSize=50`);
    expect(own.status).toBe(200);
    const entries = [...own.body.items].reverse();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['report.created', 'report.shared', 'report.read', 'report.read', 'report.read']);
    expect(entries.slice(2).map((e: { details: { path: string; basis: string } }) => [e.details.path, e.details.basis])).toEqual([
      ['read', 'recipient'],
      ['list', 'recipient'],
      ['read', 'administrator'],
    ]);
    // A reader sees no entries about another organisation's data.
    expect((await reader.get(`/api/sharing/log?reportId=${red.id}`)).body.total).toBe(0);
    // Participants have no access to the log; only administrators verify it.
    const { client: participant } = await signedIn(env, { roles: ['participant'] });
    expectError(await participant.get('/api/sharing/log'), 403, 'forbidden');
    expectError(await reporter.get('/api/sharing/log/verify'), 403, 'forbidden');
    const verify = await admin.get('/api/sharing/log/verify');
    expect(verify.body).toMatchObject({ valid: true, problems: [] });
    expect(verify.body.entries).toBeGreaterThanOrEqual(5);
    // Append-only: the database refuses changes.
    await expect(env.ctx.database.db.updateTable('sharing_log').set({ action: 'x' }).execute()).rejects.toThrow(/append-only/);
  });

  it('detects a changed entry once the append-only guard is bypassed', async () => {
    const { db, dialect } = env.ctx.database;
    const police = await makeOrganisation(env);
    const { client } = await signedIn(env, { organisationId: police.id, roles: ['expert'] });
    await file(client, { tlp: 'clear', indicators: [] });
    if (dialect === 'sqlite') await sql`drop trigger sharing_log_no_update`.execute(db);
    else await sql`alter table sharing_log disable trigger sharing_log_append_only`.execute(db);
    const last = await db.selectFrom('sharing_log').select(['id', 'position']).orderBy('position', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('sharing_log').set({ details: '{"forged":true}' }).where('id', '=', last.id).execute();
    const verify = await admin.get('/api/sharing/log/verify');
    expect(verify.body.valid).toBe(false);
    expect(verify.body.problems).toEqual([expect.objectContaining({ kind: 'hash_mismatch', position: Number(last.position) })]);
  });
});
