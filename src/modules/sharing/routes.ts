import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { pageQuery } from '../shared-schemas.ts';
import { idParams } from '../shared-schemas.ts';
import { chainReport, correlations, indicatorHit, indicatorPage, indicatorSearchQuery, logPage, logQuery, markedRead, notificationPage, notificationQuery, notificationsRead, report, reportCreate, reportPage, reportQuery, reportUpdate, sighting, sightingCreate, unreadCount } from './schemas.ts';
import { listNotifications, markNotificationsRead, unreadNotifications } from './notifications.ts';
import { createReport, getIndicator, getReport, indicatorCorrelations, listReports, listSharingLog, recordSighting, searchIndicators, updateReport } from './service.ts';
import { verifySharingLog } from './log.ts';
import { recipientOptions } from './recipients.ts';
import { stixRoutes } from './stix-routes.ts';
import { taxiiRoutes } from './taxii.ts';

export function sharingRoutes(app: App, ctx: AppContext) {
  const { db, dialect } = ctx.database;
  const s = { db, dialect, clock: ctx.clock };
  const tags = ['sharing'];
  const rule = 'Only what the central TLP rule lets the caller see (docs/sharing.md); anything else is not found.';

  // Organisations a report may name as recipients: other active police units, and
  // partners with a data-sharing agreement in force (the TLP ceiling is checked on save).
  app.get(
    '/api/sharing/recipients',
    {
      config: { access: { permission: 'sharing.report' } },
      schema: {
        tags,
        summary: 'Organisations that can be named as recipients of a report',
        querystring: z.object({ search: z.string().trim().max(160).optional() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['police_unit', 'partner']), countryCode: z.string() })) }) },
      },
    },
    async (request) => ({ items: await recipientOptions(db, ctx.clock.now(), actorOf(request).organisationId, request.query.search) }),
  );

  app.post(
    '/api/sharing/reports',
    { config: { access: { permission: 'sharing.report' } }, schema: { tags, summary: 'File a report with its indicators', description: 'RED and AMBER+STRICT need named recipients; CLEAR and GREEN take none; an indicator may be stricter than its report, never looser.', body: reportCreate, response: { 201: report } } },
    async (request, reply) => reply.status(201).send(await createReport(s, request.body, auditContext(request))),
  );
  app.get(
    '/api/sharing/reports',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'List the reports the caller may see', description: rule, querystring: reportQuery, response: { 200: reportPage } } },
    async (request) => listReports(s, actorOf(request), request.query),
  );
  app.get(
    '/api/sharing/reports/:id',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Read a report with the indicators the caller may see', description: rule, params: idParams, response: { 200: report } } },
    async (request) => getReport(s, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/sharing/reports/:id',
    { config: { access: { permission: 'sharing.report' } }, schema: { tags, summary: 'Change a report of your organisation, or add indicators', params: idParams, body: reportUpdate, response: { 200: report } } },
    async (request) => updateReport(s, request.params.id, request.body, auditContext(request)),
  );
  app.get(
    '/api/sharing/indicators',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Search indicators by value (exact, after normalisation)', description: rule, querystring: indicatorSearchQuery, response: { 200: indicatorPage } } },
    async (request) => searchIndicators(s, actorOf(request), request.query),
  );
  app.get(
    '/api/sharing/indicators/:id',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Read an indicator', description: rule, params: idParams, response: { 200: indicatorHit } } },
    async (request) => getIndicator(s, actorOf(request), request.params.id),
  );
  app.get(
    '/api/sharing/indicators/:id/correlations',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'The other indicators with the same value that the caller may see', description: rule, params: idParams, querystring: pageQuery, response: { 200: correlations } } },
    async (request) => indicatorCorrelations(s, actorOf(request), request.params.id, request.query),
  );
  app.post(
    '/api/sharing/indicators/:id/sightings',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Record a sighting (seen or false positive) of an indicator you can see', params: idParams, body: sightingCreate, response: { 201: sighting } } },
    async (request, reply) => reply.status(201).send(await recordSighting(s, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/sharing/log',
    { config: { access: { permission: 'sharing.log.read' } }, schema: { tags, summary: 'The sharing log (administrators: all; a reporting organisation: entries about its own data)', querystring: logQuery, response: { 200: logPage } } },
    async (request) => listSharingLog(db, actorOf(request), request.query),
  );
  app.get(
    '/api/sharing/log/verify',
    { config: { access: { permission: 'sharing.log.verify' } }, schema: { tags, summary: 'Verify the hash chain of the sharing log', response: { 200: chainReport } } },
    async () => verifySharingLog(db),
  );
  // Correlation notifications: the reader's own, each shown only while the rule lets them see both reports.
  app.get(
    '/api/sharing/notifications',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'My correlation notifications (newest first), with the unread count', description: rule, querystring: notificationQuery, response: { 200: notificationPage } } },
    async (request) => listNotifications(s, actorOf(request), request.query),
  );
  app.get(
    '/api/sharing/notifications/unread',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'How many of my correlation notifications are unread', description: rule, response: { 200: unreadCount } } },
    async (request) => unreadNotifications(s, actorOf(request)),
  );
  app.post(
    '/api/sharing/notifications/read',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Mark some (ids) or all of my correlation notifications read', body: notificationsRead, response: { 200: markedRead } } },
    async (request) => markNotificationsRead(s, actorOf(request), request.body),
  );
  stixRoutes(app, ctx);
  taxiiRoutes(app, ctx);
}
