import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { can } from '../../core/permissions.ts';
import type { SharingIndicatorTable } from '../../core/db/schema.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { tlpLevels, type Tlp } from './schemas.ts';
import { identityObject, indicatorObject, taxiiCollectionId, tlpMarking, type StixObject } from './stix.ts';
import { indicatorsVisibleTo, sharingViewer } from './visibility.ts';

// TAXII 2.1 (read-only) over the central rule: one collection, "visible-to-me",
// whose objects are exactly the indicators the token's owner may see now
// (with their TLP 2.0 marking definitions and the reporting organisations'
// identities). API tokens only (read scope); every pull is in the sharing log.

export const taxiiMediaType = 'application/taxii+json;version=2.1';
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
  description: 'The indicators the API token owner may see under the TLP rule of docs/sharing.md, at the moment of each request.',
  can_read: true,
  can_write: false,
  media_types: ['application/stix+json;version=2.1'],
};

const objectsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  next: z.string().max(300).optional(),
  added_after: z.iso.datetime({ offset: true }).optional(),
});
const collectionParams = z.strictObject({ id: z.string().max(100) });
const maxLimit = 1000;

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

export function taxiiRoutes(app: App, ctx: AppContext) {
  const { db, dialect } = ctx.database;
  const tags = ['taxii'];
  const send = <T>(reply: { type: (t: string) => { send: (b: T) => unknown } }, body: T) => reply.type(taxiiMediaType).send(body);

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
    { schema: { tags, summary: 'The objects of a TAXII 2.1 collection, paged (limit, next, added_after; API token)', params: collectionParams, querystring: objectsQuery } },
    async (request, reply) => {
      const actor = taxiiActor(request);
      if (request.params.id !== taxiiCollectionId) throw notFound('Collection');
      const { limit, next, added_after } = request.query;
      const viewer = await sharingViewer(db, actor, ctx.clock.now());
      let q = indicatorsVisibleTo(db, viewer);
      if (added_after) q = q.where('sharing_indicators.created_at', '>', new Date(added_after).toISOString());
      if (next) {
        const c = decodeCursor(next);
        q = q.where((eb) => eb.or([eb('sharing_indicators.created_at', '>', c.at), eb.and([eb('sharing_indicators.created_at', '=', c.at), eb('sharing_indicators.id', '>', c.id)])]));
      }
      const rows: Array<SharingIndicatorTable & { reporter_organisation_id: string; reporter_organisation_name: string }> = await q
        .selectAll('sharing_indicators')
        .select(['sharing_reports.reporter_organisation_id', 'reporter_org.name as reporter_organisation_name'])
        .orderBy('sharing_indicators.created_at')
        .orderBy('sharing_indicators.id')
        .limit(Math.min(limit, maxLimit) + 1)
        .execute();
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const markings = new Set<Tlp>(page.map((r) => r.effective_tlp));
      const identities = new Map(page.map((r) => [r.reporter_organisation_id, r.reporter_organisation_name]));
      const objects: StixObject[] = [...tlpLevels.filter((t) => markings.has(t)).map(tlpMarking), ...[...identities].map(([id, name]) => identityObject(id, name)), ...page.map((r) => indicatorObject(r, r.reporter_organisation_id))];
      // Every pull is recorded (one entry per report served, or one for an empty page); no log, no answer.
      const perReport = new Map<string, { reporter: string; n: number; tlps: Set<Tlp> }>();
      for (const r of page) {
        const e = perReport.get(r.report_id) ?? { reporter: r.reporter_organisation_id, n: 0, tlps: new Set<Tlp>() };
        e.n += 1;
        e.tlps.add(r.effective_tlp);
        perReport.set(r.report_id, e);
      }
      const base = { actorUserId: actor.userId, actorOrganisationId: actor.organisationId };
      const details = { collection: taxiiCollectionId, limit, addedAfter: added_after ?? null, cursor: next ? true : false };
      const entries: SharingLogInput[] =
        perReport.size > 0
          ? [...perReport].map(([reportId, e]) => ({ action: 'feed.pulled', reportId, reporterOrganisationId: e.reporter, ...base, details: { ...details, indicators: e.n, tlps: [...e.tlps] } }))
          : [{ action: 'feed.pulled', reportId: null, reporterOrganisationId: null, ...base, details: { ...details, indicators: 0 } }];
      await db.transaction().execute((tx) => appendSharingLog(tx, dialect, ctx.clock, entries));
      if (page.length > 0) {
        void reply.header('X-TAXII-Date-Added-First', page[0]!.created_at);
        void reply.header('X-TAXII-Date-Added-Last', page[page.length - 1]!.created_at);
      }
      return send(reply, { more, ...(more ? { next: encodeCursor(page[page.length - 1]!) } : {}), objects });
    },
  );
}
