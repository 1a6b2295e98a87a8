import type { App, AppContext } from '../../core/http/types.ts';
import { idParams } from '../shared-schemas.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { organisation, organisationCreate, organisationPage, organisationQuery, organisationUpdate } from './schemas.ts';
import { createOrganisation, getOrganisation, listOrganisations, updateOrganisation } from './service.ts';

export function organisationRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const tags = ['organisations'];

  app.get(
    '/api/organisations',
    { config: { access: { permission: 'organisations.read' } }, schema: { tags, summary: 'List organisations', querystring: organisationQuery, response: { 200: organisationPage } } },
    async (request) => listOrganisations(db, actorOf(request), request.query),
  );

  app.get(
    '/api/organisations/:id',
    { config: { access: { permission: 'organisations.read' } }, schema: { tags, summary: 'Read one organisation', params: idParams, response: { 200: organisation } } },
    async (request) => getOrganisation(db, actorOf(request), request.params.id),
  );

  app.post(
    '/api/organisations',
    { config: { access: { permission: 'organisations.manage' } }, schema: { tags, summary: 'Create an organisation', body: organisationCreate, response: { 201: organisation } } },
    async (request, reply) => reply.status(201).send(await createOrganisation(db, ctx.clock, request.body, auditContext(request))),
  );

  app.patch(
    '/api/organisations/:id',
    { config: { access: { permission: 'organisations.manage' } }, schema: { tags, summary: 'Update an organisation', params: idParams, body: organisationUpdate, response: { 200: organisation } } },
    async (request) => updateOrganisation(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );
}
