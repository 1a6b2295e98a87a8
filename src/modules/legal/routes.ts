import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { legalParams, legalParty, legalRequest, legalRequestCreate, legalRequestPage, legalRequestParams, legalRequestsQuery, legalSummary } from './schemas.ts';
import { getRequest, legalSummary as summaryOf, listParties, listRequests, sendRequest } from './service.ts';

export function legalRoutes(app: App, ctx: AppContext) {
  const tags = ['legal'];
  const signedIn = { access: {} };

  app.get(
    '/api/exercises/:id/legal/parties',
    { config: signedIn, schema: { tags, summary: 'The parties a team can send legal requests to, and the request types each answers (never what it grants)', params: legalParams, response: { 200: z.array(legalParty) } } },
    async (request) => listParties(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/api/exercises/:id/legal/requests',
    {
      config: signedIn,
      schema: { tags, summary: "Legal requests (a participant: its team's, the outcome once the reply arrives; staff: every team's, with the response matched)", params: legalParams, querystring: legalRequestsQuery, response: { 200: legalRequestPage } },
    },
    async (request) => listRequests(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get(
    '/api/exercises/:id/legal/requests/:requestId',
    { config: signedIn, schema: { tags, summary: "One legal request (staff, or the members of its team)", params: legalRequestParams, response: { 200: legalRequest } } },
    async (request) => getRequest(ctx, actorOf(request), request.params.id, request.params.requestId),
  );
  app.post(
    '/api/exercises/:id/legal/requests',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Send a legal request (a member of a team, while the exercise runs); the party replies after its in-game delay (audited)',
        params: legalParams,
        body: legalRequestCreate,
        response: { 201: legalRequest },
      },
    },
    async (request, reply) => {
      const { actor, ...meta } = auditContext(request);
      return reply.status(201).send(await sendRequest(ctx, actor, request.params.id, request.body, meta));
    },
  );
  app.get(
    '/api/exercises/:id/legal/summary',
    { config: signedIn, schema: { tags, summary: 'Per party: requests sent, granted, refused and their points (trainers and experts)', params: legalParams, response: { 200: legalSummary } } },
    async (request) => summaryOf(ctx, actorOf(request), request.params.id),
  );
}
