import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, type TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, expectErrorShape, rowCount, signInAgain } from '../../test/expect.ts';
import type { Role } from '../accounts/roles.ts';
import { demoPassword, seedDemoData } from '../demo/seed.ts';
import { activeAccess } from './catalogue.ts';
import { seedDemoPartnerships } from './demo.ts';
import { documentMaxBytes } from './schemas.ts';
import { docx, odt, pdf, png } from './test-support.ts';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof makeUser>>;
let partner: Awaited<ReturnType<typeof makeOrganisation>>;
let otherPartner: Awaited<ReturnType<typeof makeOrganisation>>;
let unit: Awaited<ReturnType<typeof makeOrganisation>>;
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'] });
  partner = await makeOrganisation(env, { kind: 'partner' });
  otherPartner = await makeOrganisation(env, { kind: 'partner' });
  unit = await makeOrganisation(env);
});
afterAll(async () => env?.close());

const someId = '00000000-0000-4000-8000-000000000000';
const day = (offset: number) => new Date(env.clock.now().getTime() + offset * 86400_000).toISOString().slice(0, 10);
let refCounter = 0;
const reference = (prefix: string) => `${prefix}-${++refCounter}-${Date.now()}`;
const auditOf = (action: string) => env.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('occurred_at').execute();
const signInAs = async (roles: Role[], organisationId: string) => signInAgain(env, (await makeUser(env, { roles, organisationId })).email);

/** Every file in the blob store (outside its temporary folder). */
function blobFiles(): string[] {
  const root = env.ctx.storage.root;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (full !== path.join(root, 'tmp')) walk(full);
      } else out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** A multipart upload of one file, as the browser sends it, with the caller's session. */
async function upload(client: TestClient, url: string, data: Buffer, fileName: string, claimedType = 'application/octet-stream', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(data)], { type: claimedType }), fileName);
  const res = await fetch(env.baseUrl + url, { method: 'POST', body: form, headers: { cookie: client.cookie!, 'x-csrf-token': client.csrf! } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** An upload with other form fields sent before the file. */
async function uploadWith(client: TestClient, url: string, fields: Record<string, string>, data: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(data)]), 'a.pdf');
  const res = await fetch(env.baseUrl + url, { method: 'POST', body: form, headers: { cookie: client.cookie!, 'x-csrf-token': client.csrf! } });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function download(client: TestClient, url: string) {
  const res = await fetch(env.baseUrl + url, { headers: { cookie: client.cookie! } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function agreementOf(browser: TestClient, organisationId: string, kind: string, over: Record<string, unknown> = {}, activate = true) {
  const body =
    kind === 'data_sharing'
      ? { organisationId, kind, title: 'Data sharing', reference: reference('DSA'), startsOn: day(-10), endsOn: day(200), dataCategories: ['phishing'], maxTlp: 'amber', scopeRegions: ['europe'], ...over }
      : { organisationId, kind, title: `Agreement ${kind}`, reference: reference(kind.slice(0, 3).toUpperCase()), startsOn: day(-10), endsOn: day(200), ...over };
  const res = await browser.post('/api/partner-agreements', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (activate) expect((await browser.post(`/api/partner-agreements/${res.body.id}/status`, { status: 'active' })).status).toBe(200);
  return res.body as { id: string; reference: string };
}

describe('agreement documents', () => {
  it('stores PDF, DOCX, ODT and images under the type read from their content, shows them to administrators and the partner’s own analysts only', async () => {
    const browser = await adminClient(env, admin);
    const agreement = await agreementOf(browser, partner.id, 'data_sharing');
    const theirs = await agreementOf(browser, otherPartner.id, 'training_support');
    const files: Array<[Buffer, string, string, string, string]> = [
      // data, name given, type claimed by the client, type recognised, name stored
      [pdf('signed'), 'Signed agreement.pdf', 'text/html', 'application/pdf', 'Signed agreement.pdf'],
      [docx(), 'annex.docx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'annex.docx'],
      [odt(), 'annex-b.odt', 'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.text', 'annex-b.odt'],
      [png(), 'signature page.html', 'text/html', 'image/png', 'signature page.png'],
    ];
    const ids: string[] = [];
    for (const [data, name, claimed, type, stored] of files) {
      const res = await upload(browser, `/api/partner-agreements/${agreement.id}/documents`, data, name, claimed);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ agreementId: agreement.id, fileName: stored, mediaType: type, size: data.length, uploadedByName: admin.display_name });
      ids.push(res.body.id);
    }
    expect((await auditOf('partner_agreement.document_added')).filter((a) => a.target_id === agreement.id)).toHaveLength(4);

    const analyst = await signInAs(['partner_analyst'], partner.id);
    const outsider = await signInAs(['partner_analyst'], otherPartner.id);
    const police = await signInAs(['trainer'], unit.id);
    const list = await analyst.get(`/api/partner-agreements/${agreement.id}/documents`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());

    const got = await download(analyst, `/api/partner-agreements/${agreement.id}/documents/${ids[0]}/content`);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf('signed'))).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="Signed agreement.pdf"/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const image = await download(browser, `/api/partner-agreements/${agreement.id}/documents/${ids[3]}/content`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^attachment;/);

    // Another partner: as if the agreement did not exist. Police users: not for them.
    const hidden = await outsider.get(`/api/partner-agreements/${agreement.id}/documents`);
    expectError(hidden, 404, 'not_found');
    expect(hidden.body).toEqual((await outsider.get(`/api/partner-agreements/${someId}/documents`)).body);
    expect((await download(outsider, `/api/partner-agreements/${agreement.id}/documents/${ids[0]}/content`)).status).toBe(404);
    // A document id under another agreement is not found either.
    expect((await download(browser, `/api/partner-agreements/${theirs.id}/documents/${ids[0]}/content`)).status).toBe(404);
    expectError(await police.get(`/api/partner-agreements/${agreement.id}/documents`), 403, 'forbidden');
    expect((await download(police, `/api/partner-agreements/${agreement.id}/documents/${ids[0]}/content`)).status).toBe(403);

    // Read-only for the partner.
    expect((await upload(analyst, `/api/partner-agreements/${agreement.id}/documents`, pdf(), 'mine.pdf')).status).toBe(403);
    expectError(await analyst.delete(`/api/partner-agreements/${agreement.id}/documents/${ids[0]}`), 403, 'forbidden');

    const removed = await browser.delete(`/api/partner-agreements/${agreement.id}/documents/${ids[1]}`);
    expect(removed.status).toBe(204);
    expect((await browser.get(`/api/partner-agreements/${agreement.id}/documents`)).body.items).toHaveLength(3);
    expectError(await browser.delete(`/api/partner-agreements/${agreement.id}/documents/${ids[1]}`), 404, 'not_found');
    const [entry] = (await auditOf('partner_agreement.document_removed')).filter((a) => a.target_id === agreement.id);
    expect(JSON.parse(entry!.details)).toMatchObject({ documentId: ids[1], fileName: 'annex.docx' });
  });

  it('refuses a wrong type, an oversized or empty file, a missing file, unknown fields and an unknown agreement, storing nothing', async () => {
    const browser = await adminClient(env, admin);
    const agreement = await agreementOf(browser, partner.id, 'training_support');
    const url = `/api/partner-agreements/${agreement.id}/documents`;
    const before = { rows: await rowCount(env, 'partner_agreement_documents'), audit: await rowCount(env, 'audit_log'), blobs: blobFiles() };
    const cases: Array<[Promise<{ status: number; body: any }>, number, string, RegExp]> = [
      [upload(browser, url, Buffer.from('<html><script>alert(1)</script></html>'), 'agreement.pdf', 'application/pdf'), 400, 'validation_failed', /^file: not an accepted file type/],
      [upload(browser, url, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'), 'logo.svg', 'image/svg+xml'), 400, 'validation_failed', /^file: not an accepted/],
      [upload(browser, url, Buffer.from('MZ\x90\x00\x03'), 'tool.exe'), 400, 'validation_failed', /^file: not an accepted/],
      [upload(browser, url, Buffer.alloc(0), 'empty.pdf'), 400, 'validation_failed', /^file: the file is empty/],
      [upload(browser, url, Buffer.concat([pdf(), Buffer.alloc(documentMaxBytes)]), 'huge.pdf', 'application/pdf'), 413, 'payload_too_large', /^file: larger than/],
      [upload(browser, url, pdf(), 'a.pdf', 'application/pdf', 'document'), 400, 'validation_failed', /^file: a file is required/],
      [uploadWith(browser, url, { agreementId: someId }, pdf()), 400, 'validation_failed', /^body\.agreementId: unknown field/],
      [browser.post(url, { fileName: 'a.pdf', content: 'JVBERi0=' }), 415, 'unsupported_media_type', /^file: send the file as multipart/],
      [upload(browser, `/api/partner-agreements/${someId}/documents`, pdf(), 'a.pdf'), 404, 'not_found', /Agreement not found/],
    ];
    for (const [pending, status, code, message] of cases) {
      const res = await pending;
      expect({ status: res.status, code: res.body?.error?.code }, JSON.stringify(res.body)).toEqual({ status, code });
      expectErrorShape(res.body);
      expect(res.body.error.message).toMatch(message);
    }
    expect({ rows: await rowCount(env, 'partner_agreement_documents'), audit: await rowCount(env, 'audit_log'), blobs: blobFiles() }).toEqual(before);
    expect(readdirSync(path.join(env.ctx.config.dataDir, 'tmp'))).toEqual([]);
  });
});

describe('secondment reports', () => {
  it('are written by administrators and the sending partner’s analysts, read by them only, with one optional attachment', async () => {
    const browser = await adminClient(env, admin);
    const secondment = await browser.post('/api/partner-secondments', {
      organisationId: partner.id,
      hostOrganisationId: unit.id,
      expertName: 'Noor Haddad',
      startsOn: day(-30),
      endsOn: day(60),
      objectives: 'Set up the ransomware triage desk',
    });
    expect(secondment.status, JSON.stringify(secondment.body)).toBe(201);
    const id = secondment.body.id;
    const analyst = await signInAs(['partner_analyst'], partner.id);
    const colleague = await signInAs(['partner_analyst'], partner.id);
    const outsider = await signInAs(['partner_analyst'], otherPartner.id);
    const hostStaff = await signInAs(['trainer'], unit.id);

    const report = { periodStart: day(-30), periodEnd: day(-1), body: 'Month one: triage playbook written; 14 samples analysed with the unit.' };
    const written = await analyst.post(`/api/partner-secondments/${id}/reports`, report);
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body).toMatchObject({ secondmentId: id, periodStart: day(-30), periodEnd: day(-1), authorOrganisationName: partner.name, attachment: null, canAttach: true });
    const byAdmin = await browser.post(`/api/partner-secondments/${id}/reports`, { periodStart: day(-5), periodEnd: day(-1), body: 'Review by the programme office.' });
    expect(byAdmin.status).toBe(201);
    expect((await auditOf('partner_secondment.report_added')).filter((a) => a.target_id === id)).toHaveLength(2);

    // Bad input: named, nothing written.
    const before = await rowCount(env, 'partner_secondment_reports');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...report, periodEnd: day(-31) }, /^body\.periodEnd: must be on or after periodStart/],
      [{ ...report, periodStart: day(-40) }, /^body\.periodStart: the period must lie within the secondment/],
      [{ ...report, periodEnd: day(61) }, /^body\.periodStart: the period must lie within/],
      [{ ...report, periodStart: day(1), periodEnd: day(20) }, /^body\.periodStart: a report covers a period that has begun/],
      [{ ...report, body: '  ' }, /^body\.body/],
      [{ ...report, rating: 5 }, /^body/],
      [{ ...report, periodStart: 'last month' }, /^body\.periodStart/],
    ];
    for (const [body, message] of cases) {
      const res = await analyst.post(`/api/partner-secondments/${id}/reports`, body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await rowCount(env, 'partner_secondment_reports')).toBe(before);

    // Need-to-know: another partner sees nothing, police users have no access to partnership records.
    expectError(await outsider.get(`/api/partner-secondments/${id}/reports`), 404, 'not_found');
    expectError(await outsider.post(`/api/partner-secondments/${id}/reports`, report), 404, 'not_found');
    expectError(await hostStaff.get(`/api/partner-secondments/${id}/reports`), 403, 'forbidden');
    expectError(await hostStaff.post(`/api/partner-secondments/${id}/reports`, report), 403, 'forbidden');
    expect(await rowCount(env, 'partner_secondment_reports')).toBe(before);

    // The attachment: by the author (or an administrator), once, checked like documents.
    const attachUrl = `/api/partner-secondments/${id}/reports/${written.body.id}/attachment`;
    expect((await upload(colleague, attachUrl, pdf(), 'notes.pdf')).status).toBe(403);
    expect((await upload(outsider, attachUrl, pdf(), 'notes.pdf')).status).toBe(404);
    const wrong = await upload(analyst, attachUrl, Buffer.from('#!/bin/sh\nrm -rf /'), 'notes.pdf', 'application/pdf');
    expect(wrong.status).toBe(400);
    const attached = await upload(analyst, attachUrl, pdf('month one'), 'Month 1.pdf', 'application/pdf');
    expect(attached.status, JSON.stringify(attached.body)).toBe(200);
    expect(attached.body).toMatchObject({ attachment: { fileName: 'Month 1.pdf', mediaType: 'application/pdf' }, canAttach: false });
    expectError(await upload(analyst, attachUrl, pdf(), 'again.pdf'), 409, 'conflict');
    expect((await upload(browser, `/api/partner-secondments/${id}/reports/${byAdmin.body.id}/attachment`, png(), 'photo.png')).status).toBe(200);
    expect(await auditOf('partner_secondment.report_attachment_added')).toHaveLength(2);

    const got = await download(colleague, attachUrl);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf('month one'))).toBe(true);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download(outsider, attachUrl)).status).toBe(404);
    expect((await download(hostStaff, attachUrl)).status).toBe(403);

    const list = await colleague.get(`/api/partner-secondments/${id}/reports`);
    expect(list.body.canWrite).toBe(true);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([byAdmin.body.id, written.body.id]);

    // A cancelled secondment takes no more reports.
    await browser.patch(`/api/partner-secondments/${id}`, { cancelled: true });
    expectError(await analyst.post(`/api/partner-secondments/${id}/reports`, report), 409, 'conflict');
    expect((await analyst.get(`/api/partner-secondments/${id}/reports`)).body.canWrite).toBe(false);
  });
});

describe('tools and datasets', () => {
  it('offers only under an active analysis-tools-and-data agreement, refusing bad input', async () => {
    const browser = await adminClient(env, admin);
    const tools = await agreementOf(browser, partner.id, 'analysis_tools_and_data');
    const sharing = await agreementOf(browser, partner.id, 'data_sharing');
    const draft = await agreementOf(browser, partner.id, 'analysis_tools_and_data', {}, false);
    const offer = { agreementId: tools.id, kind: 'tool', name: 'Wallet clustering', description: 'Clusters bitcoin addresses.', licenceTerms: 'Law enforcement use only; no redistribution.' };
    const before = await rowCount(env, 'partner_offers');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...offer, agreementId: sharing.id }, /^body\.agreementId: not an analysis-tools-and-data agreement/],
      [{ ...offer, agreementId: draft.id }, /^body\.agreementId: the agreement is not in force/],
      [{ ...offer, agreementId: someId }, /^body\.agreementId: no such agreement/],
      [{ ...offer, kind: 'service' }, /^body\.kind/],
      [{ ...offer, name: 'x' }, /^body\.name/],
      [{ ...offer, organisationId: otherPartner.id }, /^body/],
      [{ ...offer, licenceTerms: '' }, /^body\.licenceTerms/],
    ];
    for (const [body, message] of cases) {
      const res = await browser.post('/api/partner-offers', body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await rowCount(env, 'partner_offers')).toBe(before);
    const created = await browser.post('/api/partner-offers', offer);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ organisationId: partner.id, status: 'available', open: true, agreement: { id: tools.id, status: 'active' } });
    expect(await auditOf('partner_offer.created')).toHaveLength(1);
    const analyst = await signInAs(['partner_analyst'], partner.id);
    expectError(await analyst.post('/api/partner-offers', offer), 403, 'forbidden');
    expectError(await analyst.patch(`/api/partner-offers/${created.body.id}`, { status: 'withdrawn' }), 403, 'forbidden');
  });

  it('lets police users request access, the offering partner decide with an expiry; nobody sees another’s requests, and grants lapse with their expiry or agreement', async () => {
    const browser = await adminClient(env, admin);
    const tools = await agreementOf(browser, partner.id, 'analysis_tools_and_data', { endsOn: day(120) });
    const otherTools = await agreementOf(browser, otherPartner.id, 'analysis_tools_and_data');
    const dataset = (await browser.post('/api/partner-offers', { agreementId: tools.id, kind: 'dataset', name: 'Phishing kit corpus', description: '40,000 phishing kits, 2019–2026.', licenceTerms: 'Research and investigation only.' })).body;
    const theirOffer = (await browser.post('/api/partner-offers', { agreementId: otherTools.id, kind: 'tool', name: 'Mule account graph', description: 'Links mule accounts.', licenceTerms: 'Per-case use.' })).body;

    const analyst = await signInAs(['partner_analyst'], partner.id);
    const outsider = await signInAs(['partner_analyst'], otherPartner.id);
    const investigator = await makeUser(env, { roles: ['participant'], organisationId: unit.id });
    const first = await signInAgain(env, investigator.email);
    const second = await signInAs(['expert'], unit.id);

    // The catalogue: police users see the open offers, without agreement details; a partner only its own.
    const seen = await first.get('/api/partner-offers?pageSize=200');
    expect(seen.status).toBe(200);
    expect(seen.body.items.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([dataset.id, theirOffer.id]));
    expect(seen.body.items.find((o: { id: string }) => o.id === dataset.id)).toMatchObject({ agreement: null, myRequest: null, open: true });
    expect((await first.get('/api/partner-offers?search=PHISHING%20kit')).body.items.map((o: { id: string }) => o.id)).toEqual([dataset.id]);
    const own = await outsider.get('/api/partner-offers?pageSize=200');
    expect(new Set(own.body.items.map((o: { organisationId: string }) => o.organisationId))).toEqual(new Set([otherPartner.id]));
    expectError(await outsider.get(`/api/partner-offers/${dataset.id}`), 404, 'not_found');

    // Requests.
    const purpose = { purpose: 'Attribution of the phishing campaign in case 2026/114.' };
    const mine = await first.post(`/api/partner-offers/${dataset.id}/requests`, purpose);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body).toMatchObject({ state: 'pending', userId: investigator.id, offerName: 'Phishing kit corpus', canDecide: false });
    expectError(await first.post(`/api/partner-offers/${dataset.id}/requests`, purpose), 409, 'conflict');
    const theirs = await second.post(`/api/partner-offers/${dataset.id}/requests`, { purpose: 'Training the unit on kit forensics.' });
    expect(theirs.status).toBe(201);
    const elsewhere = await second.post(`/api/partner-offers/${theirOffer.id}/requests`, { purpose: 'Mule network in case 2026/120.' });
    expect(elsewhere.status).toBe(201);
    const before = await rowCount(env, 'partner_access_requests');
    for (const [body, message] of [
      [{ purpose: 'short' }, /^body\.purpose/],
      [{ purpose: 'A long enough purpose here', userId: investigator.id }, /^body/],
      [{}, /^body\.purpose/],
    ] as const) {
      const res = await second.post(`/api/partner-offers/${dataset.id}/requests`, body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toMatch(message);
    }
    expectError(await analyst.post(`/api/partner-offers/${dataset.id}/requests`, purpose), 403, 'forbidden');
    expect(await rowCount(env, 'partner_access_requests')).toBe(before);
    expect((await auditOf('partner_access.requested')).length).toBeGreaterThanOrEqual(3);

    // A user sees their own requests only.
    const firstList = await first.get('/api/partner-access-requests');
    expect(firstList.body.items.map((r: { id: string }) => r.id)).toEqual([mine.body.id]);
    expectError(await first.get(`/api/partner-access-requests/${theirs.body.id}`), 404, 'not_found');
    expect((await first.get(`/api/partner-access-requests?offerId=${dataset.id}`)).body.total).toBe(1);
    // A partner sees the requests on its own offers only, and decides those only.
    const partnerList = await analyst.get('/api/partner-access-requests?pageSize=200');
    expect(partnerList.body.items.map((r: { id: string }) => r.id).sort()).toEqual([mine.body.id, theirs.body.id].sort());
    expect(partnerList.body.items.every((r: { canDecide: boolean }) => r.canDecide)).toBe(true);
    const outsiderList = await outsider.get('/api/partner-access-requests?pageSize=200');
    expect(outsiderList.body.items.map((r: { id: string }) => r.id)).toEqual([elsewhere.body.id]);
    expectError(await outsider.get(`/api/partner-access-requests/${mine.body.id}`), 404, 'not_found');
    expectError(await outsider.post(`/api/partner-access-requests/${mine.body.id}/decision`, { decision: 'approve', expiresOn: day(30) }), 404, 'not_found');
    expectError(await first.post(`/api/partner-access-requests/${mine.body.id}/decision`, { decision: 'approve', expiresOn: day(30) }), 403, 'forbidden');

    // Decisions.
    for (const [body, message] of [
      [{ decision: 'approve' }, /^body\.expiresOn: an approval needs an expiry date/],
      [{ decision: 'refuse', expiresOn: day(3) }, /^body\.expiresOn: only an approval/],
      [{ decision: 'approve', expiresOn: day(-1) }, /^body\.expiresOn: must be today or later/],
      [{ decision: 'approve', expiresOn: day(121) }, /^body\.expiresOn: must not be after the agreement ends/],
      [{ decision: 'maybe', expiresOn: day(3) }, /^body\.decision/],
    ] as const) {
      const res = await analyst.post(`/api/partner-access-requests/${mine.body.id}/decision`, body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await first.get(`/api/partner-access-requests/${mine.body.id}`)).body.state).toBe('pending');
    const approved = await analyst.post(`/api/partner-access-requests/${mine.body.id}/decision`, { decision: 'approve', expiresOn: day(30), note: 'For case 2026/114 only' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', state: 'active', expiresOn: day(30) });
    const refused = await browser.post(`/api/partner-access-requests/${theirs.body.id}/decision`, { decision: 'refuse', note: 'Training use is not covered by the licence' });
    expect(refused.body).toMatchObject({ status: 'refused', state: 'refused' });
    expectError(await analyst.post(`/api/partner-access-requests/${theirs.body.id}/decision`, { decision: 'approve', expiresOn: day(5) }), 409, 'conflict');
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(true);
    expect((await first.get(`/api/partner-offers/${dataset.id}`)).body.myRequest).toMatchObject({ state: 'active', expiresOn: day(30) });
    expect((await first.get('/api/partner-access-requests?state=active')).body.total).toBe(1);
    expect((await auditOf('partner_access.approved')).map((a) => JSON.parse(a.details))).toEqual([{ offerId: dataset.id, userId: investigator.id, expiresOn: day(30), note: 'For case 2026/114 only' }]);
    expect(await auditOf('partner_access.refused')).toHaveLength(1);

    // Suspending the agreement stops the grant at once and closes the offer; resuming restores it.
    await browser.post(`/api/partner-agreements/${tools.id}/status`, { status: 'suspended' });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(false);
    expect((await first.get(`/api/partner-access-requests/${mine.body.id}`)).body.state).toBe('lapsed');
    expect((await first.get('/api/partner-access-requests?state=lapsed')).body.total).toBe(1);
    expect((await first.get('/api/partner-access-requests?state=active')).body.total).toBe(0);
    expect((await first.get('/api/partner-offers?pageSize=200')).body.items.map((o: { id: string }) => o.id)).not.toContain(dataset.id);
    expectError(await second.post(`/api/partner-offers/${dataset.id}/requests`, purpose), 404, 'not_found');
    expect((await analyst.get(`/api/partner-offers/${dataset.id}`)).body).toMatchObject({ open: false, agreement: { status: 'suspended' } });
    await browser.post(`/api/partner-agreements/${tools.id}/status`, { status: 'active' });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(true);

    // Withdrawing the offer stops it too.
    await browser.patch(`/api/partner-offers/${dataset.id}`, { status: 'withdrawn' });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(false);
    await browser.patch(`/api/partner-offers/${dataset.id}`, { status: 'available' });
    expect(await auditOf('partner_offer.updated')).toHaveLength(2);

    // Past its expiry date the grant is no longer active.
    env.clock.advance(31 * 86400);
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(false);
    const later = await signInAgain(env, investigator.email);
    expect((await later.get(`/api/partner-access-requests/${mine.body.id}`)).body.state).toBe('expired');
    expect((await later.get('/api/partner-access-requests?state=expired')).body.total).toBe(1);

    // A new request after expiry; approved, then revoked by an administrator.
    const renewed = await later.post(`/api/partner-offers/${dataset.id}/requests`, purpose);
    expect(renewed.status).toBe(201);
    const partnerAgain = await signInAgain(env, (await makeUser(env, { roles: ['partner_analyst'], organisationId: partner.id })).email);
    await partnerAgain.post(`/api/partner-access-requests/${renewed.body.id}/decision`, { decision: 'approve', expiresOn: day(10) });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(true);
    const adminAgain = await adminClient(env, admin);
    // Nobody decides their own request, not even an administrator.
    const adminsOwn = await adminAgain.post(`/api/partner-offers/${dataset.id}/requests`, { purpose: 'Checking the dataset before the regional workshop.' });
    expect(adminsOwn.status).toBe(201);
    expect(adminsOwn.body.canDecide).toBe(false);
    expectError(await adminAgain.post(`/api/partner-access-requests/${adminsOwn.body.id}/decision`, { decision: 'approve', expiresOn: day(5) }), 403, 'forbidden');
    const revoked = await adminAgain.post(`/api/partner-access-requests/${renewed.body.id}/revoke`, { note: 'Case closed' });
    expect(revoked.body).toMatchObject({ status: 'revoked', state: 'revoked' });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(false);
    expectError(await adminAgain.post(`/api/partner-access-requests/${renewed.body.id}/revoke`, {}), 409, 'conflict');

    // Ending the agreement: the offer leaves the catalogue for good.
    const fresh = await later.post(`/api/partner-offers/${dataset.id}/requests`, purpose);
    await partnerAgain.post(`/api/partner-access-requests/${fresh.body.id}/decision`, { decision: 'approve', expiresOn: day(10) });
    await adminAgain.post(`/api/partner-agreements/${tools.id}/status`, { status: 'expired' });
    expect(await activeAccess(env.ctx.database.db, investigator.id, dataset.id, env.clock.now())).toBe(false);
    expect((await later.get(`/api/partner-access-requests/${fresh.body.id}`)).body.state).toBe('lapsed');
    expect((await adminAgain.patch(`/api/partner-offers/${dataset.id}`, { status: 'withdrawn' })).status).toBe(200);
    const reopened = await adminAgain.patch(`/api/partner-offers/${dataset.id}`, { status: 'available' });
    expectError(reopened, 400, 'validation_failed');
    expect(reopened.body.error.message).toMatch(/^body\.agreementId: the agreement is not in force/);
  });
});

describe('expiry reminders', () => {
  it('show administrators every agreement ending soon, and a partner analyst its own only', async () => {
    const browser = await adminClient(env, admin);
    const mine = await agreementOf(browser, partner.id, 'training_support', { endsOn: day(12) });
    const theirs = await agreementOf(browser, otherPartner.id, 'training_support', { endsOn: day(12) });
    const analyst = await signInAs(['partner_analyst'], partner.id);
    const own = await analyst.get('/api/partner-agreements/expiring?days=30');
    expect(own.status).toBe(200);
    const ids = own.body.items.map((a: { id: string }) => a.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(new Set(own.body.items.map((a: { organisationId: string }) => a.organisationId))).toEqual(new Set([partner.id]));
    expect((await browser.get('/api/partner-agreements/expiring?days=30')).body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expectError(await (await signInAs(['trainer'], unit.id)).get('/api/partner-agreements/expiring'), 403, 'forbidden');
  });
});

describe('demo partnerships', () => {
  it('give the demo partner analyst offers, a request to decide, a secondment with a report and a reminder; once only', async () => {
    expect(await seedDemoData(env.ctx.database.db, env.clock)).toBe(true);
    expect(await seedDemoPartnerships(env.ctx.database.db, env.clock)).toBe(false);
    const analyst = await signInAgain(env, 'analyst@demo.cybercap.org', demoPassword);
    expect((await analyst.get('/api/partner-offers')).body.total).toBe(2);
    expect((await analyst.get('/api/partner-access-requests?state=pending')).body.items.map((r: { canDecide: boolean }) => r.canDecide)).toEqual([true]);
    expect((await analyst.get('/api/partner-agreements/expiring')).body.items.map((a: { reference: string }) => a.reference)).toEqual(['DEMO-SEC-2026-01']);
    const [secondment] = (await analyst.get('/api/partner-secondments')).body.items;
    expect((await analyst.get(`/api/partner-secondments/${secondment.id}/reports`)).body.items).toHaveLength(1);
    const investigator = await signInAgain(env, 'investigator.sg@demo.cybercap.org', demoPassword);
    const catalogue = await investigator.get('/api/partner-offers?search=wallet%20clustering%20service');
    expect(catalogue.body.items[0]).toMatchObject({ name: 'Wallet clustering service', myRequest: { state: 'pending' } });
  });
});
