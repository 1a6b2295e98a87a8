import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/index.ts';
import type { App, AppContext } from '../../core/http/types.ts';
import { AppError, notFound, validationError } from '../../core/errors.ts';
import { can } from '../../core/permissions.ts';
import type { SharingIndicatorTable } from '../../core/db/schema.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { tlpLevels, type Tlp } from './schemas.ts';
import { identityEpoch, identityObject, indicatorObject, indicatorStixId, stixIdOf, taxiiCollectionId, tlp2Ids, tlpMarking, type StixObject } from './stix.ts';
import { indicatorsVisibleTo, sharingViewer, type Viewer } from './visibility.ts';

// TAXII 2.1 (read-only) over the central rule: one collection, "visible-to-me",
// whose entries are exactly the indicators the token's owner may see now; the
// TLP 2.0 marking definitions and the reporting organisations' identities they
// use come with them (and can be read by id). Objects, object by id, its
// versions, and the manifest, with added_after, match[id|type|version|
// spec_version] and limit/next. API tokens only (read scope); every pull is in
// the sharing log.

export const taxiiMediaType = 'application/taxii+json;version=2.1';
const stixMediaType = 'application/stix+json;version=2.1';
const acceptable = /^(\*\/\*|application\/\*|application\/json|application\/taxii\+json(;\s*version=2\.1)?)$/i;

function taxiiActor(request: FastifyRequest) {
  const auth = request.auth;
  if (!auth || auth.kind !== 'token') throw new AppError('unauthenticated', 'TAXII needs an API token: Authorization: Bearer cct_…');
  if (!auth.scopes.includes('read')) throw new AppError('forbidden', 'This API token has no read scope');
  if (!can(auth.user, 'sharing.read')) throw new AppError('forbidden', 'You are not allowed to do this');
  const accept = request.headers.accept;
  if (accept && !accept.split(',').some((a) => acceptable.test(a.split(';q=')[0]!.trim()))) {
    throw new AppError('bad_request', `Accept: this server answers ${taxiiMediaType}`);
  }
  return auth.user;
}

const collection = {
  id: taxiiCollectionId,
  title: 'Visible to me',
  description: 'The indicators the API token owner may see under the TLP rule of docs/sharing.md, at the moment of each request, with the marking definitions and identities they use.',
  can_read: true,
  can_write: false,
  media_types: [stixMediaType],
};

const list = (max: number) =>
  z
    .string()
    .max(4000)
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.string().max(200)).max(max).optional());

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  next: z.string().max(300).optional(),
  added_after: z.iso.datetime({ offset: true }).optional(),
  'match[version]': list(20),
  'match[spec_version]': list(5),
});
const objectsQuery = pageQuery.extend({ 'match[id]': list(100), 'match[type]': list(20) });
type ObjectsQuery = z.infer<typeof objectsQuery>;
const collectionParams = z.strictObject({ id: z.string().max(100) });
const objectParams = z.strictObject({ id: z.string().max(100), objectId: z.string().max(200) });

function decodeCursor(next: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && typeof id === 'string' && at.length < 40 && id.length < 40) return { at, id };
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', 'querystring.next: not a cursor given by this server', [{ path: 'querystring.next', message: 'invalid' }]);
}
const encodeCursor = (i: { created_at: string; id: string }) => Buffer.from(JSON.stringify([i.created_at, i.id])).toString('base64url');

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Row = SharingIndicatorTable & { reporter_organisation_id: string; reporter_organisation_name: string };

/** Version filter: one version per object here (never modified: version = date added); "first", "last", "all" all match it. */
function versionInstants(versions: string[] | undefined): string[] | null {
  if (!versions || versions.some((v) => v === 'all' || v === 'first' || v === 'last')) return null;
  return versions.map((v) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw validationError('querystring.match[version]', `${v.slice(0, 40)}: "first", "last", "all" or a timestamp`);
    return d.toISOString();
  });
}

/** A page of the indicators the viewer may see, with the filters of the request. */
async function indicatorPage(db: Db, viewer: Viewer, query: ObjectsQuery, onlyStixId?: string) {
  const types = query['match[type]'];
  const specs = query['match[spec_version]'];
  if ((types && !types.includes('indicator')) || (specs && !specs.includes('2.1'))) return { rows: [] as Row[], more: false };
  let q = indicatorsVisibleTo(db, viewer);
  const ids = onlyStixId ? [onlyStixId] : query['match[id]']?.filter((i) => i.startsWith('indicator--'));
  if (ids) {
    if (ids.length === 0) return { rows: [] as Row[], more: false };
    const own = ids.map((i) => i.slice('indicator--'.length)).filter((u) => uuidRe.test(u));
    q = q.where((eb) => eb.or([eb('sharing_indicators.stix_id', 'in', ids), ...(own.length > 0 ? [eb.and([eb('sharing_indicators.stix_id', 'is', null), eb('sharing_indicators.id', 'in', own)])] : [])]));
  }
  if (query.added_after) q = q.where('sharing_indicators.created_at', '>', new Date(query.added_after).toISOString());
  const versions = versionInstants(query['match[version]']);
  if (versions) q = q.where('sharing_indicators.created_at', 'in', versions);
  if (query.next) {
    const c = decodeCursor(query.next);
    // A row-value comparison, so that both engines read the (created_at, id) index from the cursor on.
    q = q.where((eb) => eb(eb.refTuple('sharing_indicators.created_at', 'sharing_indicators.id'), '>', eb.tuple(c.at, c.id)));
  }
  const rows: Row[] = await q
    .selectAll('sharing_indicators')
    .select(['sharing_reports.reporter_organisation_id', 'reporter_org.name as reporter_organisation_name'])
    .orderBy('sharing_indicators.created_at')
    .orderBy('sharing_indicators.id')
    .limit(query.limit + 1)
    .execute();
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit };
}

/** The marking definitions and identities the indicators of a page use, if the type filter lets them through. */
function companions(rows: Row[], query: ObjectsQuery): StixObject[] {
  const types = query['match[type]'];
  const ids = query['match[id]'];
  const allowed = (o: StixObject) => (!types || types.includes(o.type)) && (!ids || ids.includes(o.id));
  const markings = new Set<Tlp>(rows.map((r) => r.effective_tlp));
  const identities = new Map(rows.map((r) => [r.reporter_organisation_id, r.reporter_organisation_name]));
  return [...tlpLevels.filter((t) => markings.has(t)).map(tlpMarking), ...[...identities].map(([id, name]) => identityObject(id, name))].filter(allowed);
}

export function taxiiRoutes(app: App, ctx: AppContext) {
  const { db, dialect } = ctx.database;
  const tags = ['taxii'];
  // Sent as bytes so that the media type goes out exactly as TAXII 2.1 names it (Fastify would rewrite a JSON type's parameters).
  const send = <T>(reply: FastifyReply, body: T) => reply.header('content-type', taxiiMediaType).send(Buffer.from(JSON.stringify(body)));
  const dateHeaders = (reply: FastifyReply, dates: string[]) => {
    if (dates.length === 0) return;
    void reply.header('X-TAXII-Date-Added-First', dates[0]!);
    void reply.header('X-TAXII-Date-Added-Last', dates[dates.length - 1]!);
  };

  /** Every pull is recorded (one entry per report served, or one for an empty answer); no log, no answer. */
  async function logPull(viewer: Viewer, path: string, rows: Row[], details: Record<string, unknown>) {
    const perReport = new Map<string, { reporter: string; n: number; tlps: Set<Tlp> }>();
    for (const r of rows) {
      const e = perReport.get(r.report_id) ?? { reporter: r.reporter_organisation_id, n: 0, tlps: new Set<Tlp>() };
      e.n += 1;
      e.tlps.add(r.effective_tlp);
      perReport.set(r.report_id, e);
    }
    const base = { actorUserId: viewer.actor.userId, actorOrganisationId: viewer.organisationId };
    const all = { collection: taxiiCollectionId, path, ...details };
    const entries: SharingLogInput[] =
      perReport.size > 0
        ? [...perReport].map(([reportId, e]) => ({ action: 'feed.pulled', reportId, reporterOrganisationId: e.reporter, ...base, details: { ...all, indicators: e.n, tlps: [...e.tlps] } }))
        : [{ action: 'feed.pulled', reportId: null, reporterOrganisationId: null, ...base, details: { ...all, indicators: 0 } }];
    await db.transaction().execute((tx) => appendSharingLog(tx, dialect, ctx.clock, entries));
  }

  const viewerOf = async (request: FastifyRequest, collectionId: string) => {
    const actor = taxiiActor(request);
    if (collectionId !== taxiiCollectionId) throw notFound('Collection');
    return sharingViewer(db, actor, ctx.clock.now());
  };
  const details = (q: ObjectsQuery) => ({
    limit: q.limit,
    addedAfter: q.added_after ?? null,
    cursor: q.next ? true : false,
    ...(q['match[id]'] ? { matchId: q['match[id]'].length } : {}),
    ...(q['match[type]'] ? { matchType: q['match[type]'] } : {}),
    ...(q['match[version]'] ? { matchVersion: q['match[version]'] } : {}),
  });

  /** A marking definition or identity by id: served if some indicator the viewer may see uses it. */
  async function companionById(viewer: Viewer, objectId: string): Promise<StixObject | null> {
    if (objectId.startsWith('marking-definition--')) {
      const tlp = tlpLevels.find((t) => tlp2Ids[t] === objectId);
      if (!tlp) return null;
      const used = await indicatorsVisibleTo(db, viewer).select('sharing_indicators.id').where('sharing_indicators.effective_tlp', '=', tlp).limit(1).executeTakeFirst();
      return used ? tlpMarking(tlp) : null;
    }
    if (objectId.startsWith('identity--')) {
      const orgs = await db.selectFrom('organisations').select(['id', 'name']).execute();
      const org = orgs.find((o) => stixIdOf('identity', o.id) === objectId);
      if (!org) return null;
      const used = await indicatorsVisibleTo(db, viewer).select('sharing_indicators.id').where('sharing_reports.reporter_organisation_id', '=', org.id).limit(1).executeTakeFirst();
      return used ? identityObject(org.id, org.name) : null;
    }
    return null;
  }
  const versionOf = (o: StixObject) => (o.type === 'identity' ? identityEpoch : (o.created as string));

  app.get('/taxii2/', { schema: { tags, summary: 'TAXII 2.1 discovery (API token)' } }, async (request, reply) => {
    taxiiActor(request);
    return send(reply, { title: 'Cybercap TAXII 2.1', description: 'Cybercrime information shared under TLP 2.0', default: '/taxii2/api/', api_roots: ['/taxii2/api/'] });
  });
  app.get('/taxii2/api/', { schema: { tags, summary: 'TAXII 2.1 API root (API token)' } }, async (request, reply) => {
    taxiiActor(request);
    return send(reply, { title: 'Cybercap', versions: [taxiiMediaType], max_content_length: 0 });
  });
  app.get('/taxii2/api/collections/', { schema: { tags, summary: 'TAXII 2.1 collections (API token)' } }, async (request, reply) => {
    taxiiActor(request);
    return send(reply, { collections: [collection] });
  });
  app.get('/taxii2/api/collections/:id/', { schema: { tags, summary: 'A TAXII 2.1 collection (API token)', params: collectionParams } }, async (request, reply) => {
    taxiiActor(request);
    if (request.params.id !== taxiiCollectionId) throw notFound('Collection');
    return send(reply, collection);
  });

  app.get(
    '/taxii2/api/collections/:id/objects/',
    { schema: { tags, summary: 'The objects of a TAXII 2.1 collection, paged (limit, next, added_after, match[id|type|version|spec_version]; API token)', params: collectionParams, querystring: objectsQuery } },
    async (request, reply) => {
      const viewer = await viewerOf(request, request.params.id);
      const { rows, more } = await indicatorPage(db, viewer, request.query);
      const objects: StixObject[] = [...companions(rows, request.query), ...rows.map((r) => indicatorObject(r, r.reporter_organisation_id))];
      await logPull(viewer, 'objects', rows, details(request.query));
      dateHeaders(reply, rows.map((r) => r.created_at));
      return send(reply, { more, ...(more ? { next: encodeCursor(rows[rows.length - 1]!) } : {}), objects });
    },
  );

  app.get(
    '/taxii2/api/collections/:id/manifest/',
    { schema: { tags, summary: 'The manifest of a TAXII 2.1 collection: id, date added, version and media type of each indicator (API token)', params: collectionParams, querystring: objectsQuery } },
    async (request, reply) => {
      const viewer = await viewerOf(request, request.params.id);
      const { rows, more } = await indicatorPage(db, viewer, request.query);
      await logPull(viewer, 'manifest', rows, details(request.query));
      dateHeaders(reply, rows.map((r) => r.created_at));
      const objects = rows.map((r) => ({ id: indicatorStixId(r), date_added: r.created_at, version: r.created_at, media_type: stixMediaType }));
      return send(reply, { more, ...(more ? { next: encodeCursor(rows[rows.length - 1]!) } : {}), objects });
    },
  );

  app.get(
    '/taxii2/api/collections/:id/objects/:objectId/',
    { schema: { tags, summary: 'One object of a TAXII 2.1 collection, by STIX id (added_after, match[version]; API token)', params: objectParams, querystring: pageQuery } },
    async (request, reply) => {
      const viewer = await viewerOf(request, request.params.id);
      const { objectId } = request.params;
      if (!objectId.startsWith('indicator--')) {
        const o = await companionById(viewer, objectId);
        if (!o) throw notFound('Object');
        await logPull(viewer, 'object', [], { objectId });
        dateHeaders(reply, [versionOf(o)]);
        return send(reply, { more: false, objects: [o] });
      }
      const exists = await indicatorPage(db, viewer, { limit: 1, 'match[id]': undefined, 'match[type]': undefined, 'match[version]': undefined, 'match[spec_version]': undefined }, objectId);
      if (exists.rows.length === 0) throw notFound('Object');
      const { rows } = await indicatorPage(db, viewer, { ...request.query, 'match[id]': undefined, 'match[type]': undefined }, objectId);
      await logPull(viewer, 'object', rows, { objectId });
      dateHeaders(reply, rows.map((r) => r.created_at));
      return send(reply, { more: false, objects: rows.map((r) => indicatorObject(r, r.reporter_organisation_id)) });
    },
  );

  app.get(
    '/taxii2/api/collections/:id/objects/:objectId/versions/',
    { schema: { tags, summary: 'The versions of one object of a TAXII 2.1 collection (one each here: objects are not modified; API token)', params: objectParams, querystring: pageQuery } },
    async (request, reply) => {
      const viewer = await viewerOf(request, request.params.id);
      const { objectId } = request.params;
      let versions: string[];
      if (!objectId.startsWith('indicator--')) {
        const o = await companionById(viewer, objectId);
        if (!o) throw notFound('Object');
        versions = [versionOf(o)];
      } else {
        const { rows } = await indicatorPage(db, viewer, { limit: 1, 'match[id]': undefined, 'match[type]': undefined, 'match[version]': undefined, 'match[spec_version]': undefined }, objectId);
        if (rows.length === 0) throw notFound('Object');
        versions = [rows[0]!.created_at];
        await logPull(viewer, 'versions', rows, { objectId });
      }
      const after = request.query.added_after ? new Date(request.query.added_after).toISOString() : null;
      versions = versions.filter((v) => !after || v > after);
      dateHeaders(reply, versions);
      return send(reply, { more: false, versions });
    },
  );
}
