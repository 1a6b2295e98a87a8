import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { exerciseParams } from '../exercises/schemas.ts';
import {
  adjustment,
  adjustmentCreate,
  adjustmentPage,
  answerBody,
  answerResult,
  board,
  hintParams,
  hintUnlockPage,
  hintUnlockResult,
  listQuery,
  objectiveParams,
  scoreboard,
  submissionPage,
  submissionsQuery,
  teamParams,
} from './schemas.ts';
import { submitAnswer } from './answers.ts';
import { listHintUnlocks, unlockHint } from './hints.ts';
import { createAdjustment, listAdjustments } from './adjustments.ts';
import { listSubmissions } from './submissions.ts';
import { getScoreboard } from './standings.ts';
import { getBoard } from './board.ts';
import { createStreams } from './stream.ts';
import { scoreboardsOf } from './scoreboard.ts';

export function scoringRoutes(app: App, ctx: AppContext) {
  const tags = ['scoring'];
  const signedIn = { access: {} };
  const streams = createStreams(ctx);
  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', async () => scoreboardsOf(ctx).close());

  app.post(
    '/api/exercises/:id/objectives/:objectiveKey/answers',
    { config: signedIn, schema: { tags, summary: "Answer an objective (a member of a team); the answer is graded with the team's values and never stored in clear", params: objectiveParams, body: answerBody, response: { 200: answerResult } } },
    async (request) => submitAnswer(ctx, actorOf(request), request.params.id, request.params.objectiveKey, request.body.answer),
  );
  app.post(
    '/api/exercises/:id/hints/:hintKey/unlock',
    { config: signedIn, schema: { tags, summary: "Unlock a hint (a member of a team): its cost counts once; the text is rendered with the team's values", params: hintParams, response: { 200: hintUnlockResult } } },
    async (request) => unlockHint(ctx, actorOf(request), request.params.id, request.params.hintKey),
  );

  app.get('/api/exercises/:id/submissions', { config: signedIn, schema: { tags, summary: "Answers given, without their values (staff: every team's; a participant: its team's)", params: exerciseParams, querystring: submissionsQuery, response: { 200: submissionPage } } }, async (request) =>
    listSubmissions(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get('/api/exercises/:id/teams/:teamId/submissions', { config: signedIn, schema: { tags, summary: "One team's answers (staff, or the team's members)", params: teamParams, querystring: submissionsQuery.omit({ teamId: true }), response: { 200: submissionPage } } }, async (request) =>
    listSubmissions(ctx, actorOf(request), request.params.id, { ...request.query, teamId: request.params.teamId }),
  );
  app.get('/api/exercises/:id/hint-unlocks', { config: signedIn, schema: { tags, summary: "Hints unlocked (staff: every team's; a participant: its team's)", params: exerciseParams, querystring: listQuery, response: { 200: hintUnlockPage } } }, async (request) =>
    listHintUnlocks(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get('/api/exercises/:id/teams/:teamId/hint-unlocks', { config: signedIn, schema: { tags, summary: "One team's hint unlocks (staff, or the team's members)", params: teamParams, querystring: listQuery.omit({ teamId: true }), response: { 200: hintUnlockPage } } }, async (request) =>
    listHintUnlocks(ctx, actorOf(request), request.params.id, { ...request.query, teamId: request.params.teamId }),
  );
  app.get('/api/exercises/:id/adjustments', { config: signedIn, schema: { tags, summary: "Score adjustments and advice penalties (staff: every team's; a participant: its team's)", params: exerciseParams, querystring: listQuery, response: { 200: adjustmentPage } } }, async (request) =>
    listAdjustments(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get('/api/exercises/:id/teams/:teamId/adjustments', { config: signedIn, schema: { tags, summary: "One team's score adjustments (staff, or the team's members)", params: teamParams, querystring: listQuery.omit({ teamId: true }), response: { 200: adjustmentPage } } }, async (request) =>
    listAdjustments(ctx, actorOf(request), request.params.id, { ...request.query, teamId: request.params.teamId }),
  );
  app.post('/api/exercises/:id/teams/:teamId/adjustments', { config: signedIn, schema: { tags, summary: 'Add or take away points, with a reason (trainers; audited)', params: teamParams, body: adjustmentCreate, response: { 201: adjustment } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await createAdjustment(ctx, actor, request.params.id, request.params.teamId, request.body, meta));
  });

  app.get('/api/exercises/:id/scoreboard', { config: signedIn, schema: { tags, summary: 'Ranking, first solves and scores over time (participants: frozen in the last minutes of a competition; none in training)', params: exerciseParams, response: { 200: scoreboard } } }, async (request) =>
    getScoreboard(ctx, actorOf(request), request.params.id),
  );
  app.get('/api/exercises/:id/board', { config: signedIn, schema: { tags, summary: 'Live board: teams × objectives, clocks, adjustments (trainers and experts)', params: exerciseParams, response: { 200: board } } }, async (request) =>
    getBoard(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/api/exercises/:id/events',
    {
      config: signedIn,
      schema: {
        tags,
        summary: "Live updates as Server-Sent Events (text/event-stream): a participant hears its team's and the exercise's events, staff the staff and the exercise's; `scoreboard` events say when to read the scoreboard again",
        params: exerciseParams,
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (request, reply) => streams.stream(request, reply, request.params.id),
  );
}
