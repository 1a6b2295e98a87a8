import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import {
  caseFile,
  caseFileOverview,
  caseFileParams,
  caseFileQuery,
  caseFileSave,
  caseFileSubmit,
  caseFileVersion,
  entity,
  entityCreate,
  evaluationCreate,
  itemParams,
  reportQuery,
  teamParams,
  timelineEvent,
  timelineEventCreate,
  versionList,
  versionParams,
} from './schemas.ts';
import { addEntity, addEvent, getCaseFile, getVersion, listVersions, removeItem, saveDraft, submitCaseFile } from './service.ts';
import { caseFileOverview as overview, evaluateCaseFile } from './evaluations.ts';
import { caseFileReport } from './report.ts';

export function caseFileRoutes(app: App, ctx: AppContext) {
  const tags = ['case file'];
  const signedIn = { access: {} };
  const noContent = { 204: z.null().describe('No content') };

  app.get(
    '/api/exercises/:id/case-file',
    { config: signedIn, schema: { tags, summary: "A team's case file: charges and elements with findings, facts and citations (with admissibility), entities, timeline, readiness (the team its own; staff ?teamId=)", params: caseFileParams, querystring: caseFileQuery, response: { 200: caseFile } } },
    async (request) => getCaseFile(ctx, actorOf(request), request.params.id, request.query.teamId),
  );
  app.put(
    '/api/exercises/:id/case-file',
    { config: signedIn, schema: { tags, summary: 'Save a draft of the findings (members of the team); a new version, refused when baseVersion is not the current one', params: caseFileParams, body: caseFileSave, response: { 200: caseFile } } },
    async (request) => saveDraft(ctx, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/exercises/:id/case-file/entities',
    { config: signedIn, schema: { tags, summary: 'Add a person, account, wallet, address… to the case file, optionally citing the exhibit it comes from', params: caseFileParams, body: entityCreate, response: { 201: entity } } },
    async (request, reply) => reply.status(201).send(await addEntity(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    '/api/exercises/:id/case-file/events',
    { config: signedIn, schema: { tags, summary: 'Add an event to the timeline, optionally citing an exhibit', params: caseFileParams, body: timelineEventCreate, response: { 201: timelineEvent } } },
    async (request, reply) => reply.status(201).send(await addEvent(ctx, actorOf(request), request.params.id, request.body)),
  );
  for (const [items, table, summary] of [
    ['entities', 'case_file_entities', 'Remove an entity from the case file'],
    ['events', 'case_file_events', 'Remove an event from the timeline'],
  ] as const) {
    app.delete(`/api/exercises/:id/case-file/${items}/:itemId`, { config: signedIn, schema: { tags, summary, params: itemParams, response: noContent } }, async (request, reply) => {
      await removeItem(ctx, actorOf(request), request.params.id, table, request.params.itemId);
      return reply.status(204).send(null);
    });
  }
  app.get(
    '/api/exercises/:id/case-file/versions',
    { config: signedIn, schema: { tags, summary: 'The saved versions of a case file, newest first', params: caseFileParams, querystring: caseFileQuery, response: { 200: versionList } } },
    async (request) => listVersions(ctx, actorOf(request), request.params.id, request.query.teamId),
  );
  app.get(
    '/api/exercises/:id/case-file/versions/:version',
    { config: signedIn, schema: { tags, summary: 'One saved version as it was', params: versionParams, querystring: caseFileQuery, response: { 200: caseFileVersion } } },
    async (request) => getVersion(ctx, actorOf(request), request.params.id, request.params.version, request.query.teamId),
  );
  app.post(
    '/api/exercises/:id/case-file/submit',
    { config: signedIn, schema: { tags, summary: "Submit the final case file (the team's captain, once, before the team's deadline); it is then locked", params: caseFileParams, body: caseFileSubmit, response: { 200: caseFile } } },
    async (request) => {
      const { actor, ...meta } = auditContext(request);
      return submitCaseFile(ctx, actor, request.params.id, request.body.version, meta);
    },
  );
  app.get(
    '/api/exercises/:id/case-file/report.pdf',
    { config: signedIn, schema: { tags, summary: 'The printable prosecution report of a case file (PDF; the team its own, staff ?teamId=)', params: caseFileParams, querystring: reportQuery } },
    async (request, reply) => {
      const { pdf, disposition } = await caseFileReport(ctx, actorOf(request), request.params.id, request.query);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', disposition)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
  app.get(
    '/api/exercises/:id/case-files',
    { config: signedIn, schema: { tags, summary: "Every team's case file in brief: status, readiness, evaluations (trainers and experts)", params: caseFileParams, response: { 200: caseFileOverview } } },
    async (request) => overview(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/exercises/:id/case-files/:teamId/evaluations',
    { config: signedIn, schema: { tags, summary: 'Evaluate a submitted case file: a verdict and comment for every element of the charges brought (experts and trainers)', params: teamParams, body: evaluationCreate, response: { 200: caseFile } } },
    async (request) => {
      const { actor, ...meta } = auditContext(request);
      return evaluateCaseFile(ctx, actor, request.params.id, request.params.teamId, request.body, meta);
    },
  );
}
