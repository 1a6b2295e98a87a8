import rateLimit from '@fastify/rate-limit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors.ts';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { idParams } from '../shared-schemas.ts';
import {
  agreement,
  agreementCreate,
  agreementPage,
  agreementQuery,
  agreementStatusChange,
  agreementUpdate,
  application,
  applicationNote,
  applicationPage,
  applicationQuery,
  applicationReceived,
  applicationSubmit,
  applicationTransition,
  expiringList,
  expiringQuery,
  formToken,
  secondment,
  secondmentCreate,
  secondmentPage,
  secondmentQuery,
  secondmentUpdate,
} from './schemas.ts';
import { issueFormToken } from './form-token.ts';
import { createSecondment, getSecondment, listSecondments, updateSecondment } from './secondments.ts';
import { getApplication, listApplications, noteApplication, submitApplication, transitionApplication } from './applications.ts';
import { changeAgreementStatus, createAgreement, expiringAgreements, getAgreement, listAgreements, updateAgreement } from './agreements.ts';
import { partnerResourceRoutes } from './resource-routes.ts';

/** Per client address (behind a proxy, set TRUST_PROXY so that request.ip is the client's). Per process. */
export const applicationRateLimit = { max: 5, timeWindow: 60 * 60 * 1000 } as const;

export function partnerRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const tags = ['partners'];

  // The public form lives in its own scope, with a rate limit on these routes only.
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    await scope.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new AppError('too_many_requests', `Too many requests from this address: try again in ${context.after}`, { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
    });
    scope.get(
      '/api/partner-applications/form-token',
      {
        config: { access: { public: true }, rateLimit: { max: 60, timeWindow: 60 * 1000 } },
        schema: { tags, summary: 'Get a token for the "Become a partner" form (no account needed)', security: [], response: { 200: formToken } },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
        return issueFormToken(db, ctx.clock);
      },
    );
    scope.post(
      '/api/partner-applications',
      {
        config: { access: { public: true }, rateLimit: applicationRateLimit },
        schema: {
          tags,
          summary: 'Propose a partnership (no account needed)',
          description: `Needs a token from GET /api/partner-applications/form-token at least a few seconds old; the \`website\` field must stay empty. At most ${applicationRateLimit.max} per hour from one address.`,
          security: [],
          body: applicationSubmit,
          response: { 202: applicationReceived },
        },
      },
      async (request, reply) => {
        await submitApplication(db, ctx.clock, request.body, { ip: request.ip, requestId: request.id });
        // The same answer whether it was stored or discarded as spam.
        return reply.status(202).send({ received: true });
      },
    );
  });

  app.get(
    '/api/partner-applications',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'List partnership applications', querystring: applicationQuery, response: { 200: applicationPage } } },
    async (request) => listApplications(db, request.query),
  );
  app.get(
    '/api/partner-applications/:id',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Read an application with its history', params: idParams, response: { 200: application } } },
    async (request) => getApplication(db, request.params.id),
  );
  app.post(
    '/api/partner-applications/:id/transitions',
    {
      config: { access: { permission: 'partners.manage' } },
      schema: { tags, summary: 'Move an application along the pipeline (accepting it creates or links the partner organisation)', params: idParams, body: applicationTransition, response: { 200: application } },
    },
    async (request) => transitionApplication(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );
  app.post(
    '/api/partner-applications/:id/notes',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Add a note to an application', params: idParams, body: applicationNote, response: { 201: application } } },
    async (request, reply) => reply.status(201).send(await noteApplication(db, ctx.clock, request.params.id, request.body.note, auditContext(request))),
  );

  app.get(
    '/api/partner-agreements',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'List agreements (a partner analyst sees its own organisation’s)', querystring: agreementQuery, response: { 200: agreementPage } } },
    async (request) => listAgreements(db, ctx.clock, actorOf(request), request.query),
  );
  app.get(
    '/api/partner-agreements/expiring',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'Agreements ending within N days (default 30): the renewal reminders (a partner analyst’s own)', querystring: expiringQuery, response: { 200: expiringList } } },
    async (request) => expiringAgreements(db, ctx.clock, actorOf(request), request.query.days),
  );
  app.get(
    '/api/partner-agreements/:id',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'Read one agreement', params: idParams, response: { 200: agreement } } },
    async (request) => getAgreement(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-agreements',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Record an agreement (as a draft)', body: agreementCreate, response: { 201: agreement } } },
    async (request, reply) => reply.status(201).send(await createAgreement(db, ctx.clock, request.body, auditContext(request))),
  );
  app.patch(
    '/api/partner-agreements/:id',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Change an agreement', params: idParams, body: agreementUpdate, response: { 200: agreement } } },
    async (request) => updateAgreement(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );
  app.post(
    '/api/partner-agreements/:id/status',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Activate, suspend, resume or end an agreement', params: idParams, body: agreementStatusChange, response: { 200: agreement } } },
    async (request) => changeAgreementStatus(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );

  app.get(
    '/api/partner-secondments',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'List secondments of experts (a partner analyst sees its own organisation’s)', querystring: secondmentQuery, response: { 200: secondmentPage } } },
    async (request) => listSecondments(db, ctx.clock, actorOf(request), request.query),
  );
  app.get(
    '/api/partner-secondments/:id',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'Read one secondment', params: idParams, response: { 200: secondment } } },
    async (request) => getSecondment(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-secondments',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Record a secondment of an expert to a police unit', body: secondmentCreate, response: { 201: secondment } } },
    async (request, reply) => reply.status(201).send(await createSecondment(db, ctx.clock, request.body, auditContext(request))),
  );
  app.patch(
    '/api/partner-secondments/:id',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Change or cancel a secondment', params: idParams, body: secondmentUpdate, response: { 200: secondment } } },
    async (request) => updateSecondment(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );

  partnerResourceRoutes(app, ctx);
}
