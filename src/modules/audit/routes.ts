import type { App, AppContext } from '../../core/http/types.ts';
import { auditPage, auditQuery } from './schemas.ts';
import { listAuditEntries } from './service.ts';

export function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/audit',
    {
      config: { access: { permission: 'audit.read' } },
      schema: { tags: ['audit'], summary: 'Search the audit log', querystring: auditQuery, response: { 200: auditPage } },
    },
    async (request) => listAuditEntries(ctx.database.db, request.query),
  );
}
