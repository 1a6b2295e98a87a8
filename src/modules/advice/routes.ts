import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { exerciseParams } from '../exercises/schemas.ts';
import {
  adviceBroadcast,
  adviceBroadcastResult,
  adviceCreate,
  adviceDesk,
  adviceHintGrant,
  adviceMessage,
  adviceMessageCreate,
  adviceParams,
  adviceQueue,
  adviceQueueQuery,
  adviceRequest,
  adviceStatsResponse,
  adviceThread,
} from './schemas.ts';
import { adviceQueue as readQueue, broadcast, closeRequest, deskStats, grantHint, penalise, postMessage, raiseRequest, readThread, setClaim, teamDesk } from './service.ts';

export function adviceRoutes(app: App, ctx: AppContext) {
  const tags = ['advice'];
  const signedIn = { access: {} };
  const noBody = z.strictObject({}).optional();

  app.get('/api/exercises/:id/advice', { config: signedIn, schema: { tags, summary: "The team's advice desk: its requests and the penalty asking may cost (members of a team)", params: exerciseParams, response: { 200: adviceDesk } } }, async (request) =>
    teamDesk(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/advice', { config: signedIn, schema: { tags, summary: "Ask the experts for advice, optionally showing an exhibit of the team's locker (members of a team)", params: exerciseParams, body: adviceCreate, response: { 201: adviceThread } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await raiseRequest(ctx, actor, request.params.id, request.body, meta));
  });
  app.get(
    '/api/exercises/:id/advice/queue',
    { config: signedIn, schema: { tags, summary: 'The advice queue across teams, filtered by status or team (trainers and experts)', params: exerciseParams, querystring: adviceQueueQuery, response: { 200: adviceQueue } } },
    async (request) => readQueue(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get('/api/exercises/:id/advice/stats', { config: signedIn, schema: { tags, summary: 'Advice load and time to first reply (trainers and experts)', params: exerciseParams, response: { 200: adviceStatsResponse } } }, async (request) =>
    deskStats(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/advice/broadcast', { config: signedIn, schema: { tags, summary: 'A message to every team, read with the announcements (trainers and experts)', params: exerciseParams, body: adviceBroadcast, response: { 201: adviceBroadcastResult } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await broadcast(ctx, actor, request.params.id, request.body.message, meta));
  });
  app.get('/api/exercises/:id/advice/:requestId', { config: signedIn, schema: { tags, summary: "One request and its thread (staff: any team's; a participant: its team's)", params: adviceParams, response: { 200: adviceThread } } }, async (request) =>
    readThread(ctx, actorOf(request), request.params.id, request.params.requestId),
  );
  app.post(
    '/api/exercises/:id/advice/:requestId/messages',
    { config: signedIn, schema: { tags, summary: "A message in the thread: the team's follow-up, or a staff reply", params: adviceParams, body: adviceMessageCreate, response: { 201: adviceMessage } } },
    async (request, reply) => {
      const { actor, ...meta } = auditContext(request);
      return reply.status(201).send(await postMessage(ctx, actor, request.params.id, request.params.requestId, request.body, meta));
    },
  );
  app.post('/api/exercises/:id/advice/:requestId/claim', { config: signedIn, schema: { tags, summary: 'Take the request (or take it over) (trainers and experts)', params: adviceParams, body: noBody, response: { 200: adviceRequest } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return setClaim(ctx, actor, request.params.id, request.params.requestId, true, meta);
  });
  app.post('/api/exercises/:id/advice/:requestId/unclaim', { config: signedIn, schema: { tags, summary: 'Let the request go back to the queue (trainers and experts)', params: adviceParams, body: noBody, response: { 200: adviceRequest } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return setClaim(ctx, actor, request.params.id, request.params.requestId, false, meta);
  });
  app.post('/api/exercises/:id/advice/:requestId/hints', { config: signedIn, schema: { tags, summary: "Unlock one of the scenario's hints for the team, free of charge (trainers and experts)", params: adviceParams, body: adviceHintGrant, response: { 200: adviceThread } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return grantHint(ctx, actor, request.params.id, request.params.requestId, request.body.hintKey, meta);
  });
  app.post('/api/exercises/:id/advice/:requestId/penalty', { config: signedIn, schema: { tags, summary: "Apply the scenario's advice penalty, once per request (trainers and experts)", params: adviceParams, body: noBody, response: { 200: adviceThread } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return penalise(ctx, actor, request.params.id, request.params.requestId, meta);
  });
  app.post('/api/exercises/:id/advice/:requestId/close', { config: signedIn, schema: { tags, summary: 'Close the request (trainers and experts)', params: adviceParams, body: noBody, response: { 200: adviceRequest } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return closeRequest(ctx, actor, request.params.id, request.params.requestId, meta);
  });
}
