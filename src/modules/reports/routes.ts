import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf } from '../../core/http/access.ts';
import { exerciseParams, teamParams } from '../exercises/schemas.ts';
import { exerciseCsv, exercisePdf, teamCsv, teamPdf } from './exports.ts';
import { exerciseReport, teamReport } from './service.ts';
import { exerciseReport as exerciseReportSchema, teamReport as teamReportSchema, type ExerciseReport, type TeamReport } from './schemas.ts';
import { downloadDisposition } from './file-names.ts';

// The after-action reports and their exports. The same access rules for every
// format: a team reads its own team's report only (another team's: 404), the
// exercise's trainers and experts read every team's and the exercise's.

/** The report's file: `report-<team>-<day>` or `exercise-report-<title>-<day>`, the id standing for a name without Latin letters. */
function attachment(reply: FastifyReply, file: { prefix: string; name: string; id: string }, generatedAt: string, extension: string) {
  const disposition = downloadDisposition({ prefix: file.prefix, name: file.name, fallback: file.id, suffix: generatedAt.slice(0, 10), extension });
  return reply.header('content-disposition', disposition).header('cache-control', 'no-store');
}
const exerciseFile = (report: ExerciseReport) => ({ prefix: 'exercise-report', name: report.exerciseTitle, id: report.exerciseId });
const teamFile = (report: TeamReport) => ({ prefix: 'report', name: report.teamName, id: report.teamId });

export function reportRoutes(app: App, ctx: AppContext) {
  const tags = ['reports'];
  const signedIn = { access: {} };
  const csv = 'text/csv; charset=utf-8';
  const pdf = 'application/pdf';

  for (const suffix of ['', '.json']) {
    app.get(
      `/api/exercises/:id/report${suffix}`,
      { config: signedIn, schema: { tags, summary: 'The exercise’s after-action report: objectives across teams, hardest objectives, advice load and reply times, teams compared (trainers and experts)', params: exerciseParams, response: { 200: exerciseReportSchema } } },
      async (request, reply) => {
        const report = await exerciseReport(ctx, actorOf(request), request.params.id);
        if (suffix) attachment(reply, exerciseFile(report), report.generatedAt, 'json');
        return report;
      },
    );
    app.get(
      `/api/exercises/:id/teams/:teamId/report${suffix}`,
      { config: signedIn, schema: { tags, summary: "A team's after-action report: replay timeline, objectives with times, skills profile, case-file evaluation (staff: any team; a participant: its own)", params: teamParams, response: { 200: teamReportSchema } } },
      async (request, reply) => {
        const report = await teamReport(ctx, actorOf(request), request.params.id, request.params.teamId);
        if (suffix) attachment(reply, teamFile(report), report.generatedAt, 'json');
        return report;
      },
    );
  }

  app.get(
    '/api/exercises/:id/report.csv',
    { config: signedIn, schema: { tags, summary: 'The exercise report as CSV: one row per objective and team', params: exerciseParams, response: { 200: z.string().describe(csv) } } },
    async (request, reply) => {
      const report = await exerciseReport(ctx, actorOf(request), request.params.id);
      return attachment(reply, exerciseFile(report), report.generatedAt, 'csv').type(csv).send(exerciseCsv(report));
    },
  );
  app.get(
    '/api/exercises/:id/report.pdf',
    { config: signedIn, schema: { tags, summary: 'The exercise report as PDF, in the reader’s language', params: exerciseParams, response: { 200: z.string().describe(pdf) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const report = await exerciseReport(ctx, actor, request.params.id);
      return attachment(reply, exerciseFile(report), report.generatedAt, 'pdf').type(pdf).send(await exercisePdf(report, actor.locale));
    },
  );
  app.get(
    '/api/exercises/:id/teams/:teamId/report.csv',
    { config: signedIn, schema: { tags, summary: "A team's replay timeline as CSV: one row per item (answers by outcome only)", params: teamParams, response: { 200: z.string().describe(csv) } } },
    async (request, reply) => {
      const report = await teamReport(ctx, actorOf(request), request.params.id, request.params.teamId);
      return attachment(reply, teamFile(report), report.generatedAt, 'csv').type(csv).send(teamCsv(report));
    },
  );
  app.get(
    '/api/exercises/:id/teams/:teamId/report.pdf',
    { config: signedIn, schema: { tags, summary: "A team's after-action report as PDF, in the reader's language", params: teamParams, response: { 200: z.string().describe(pdf) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const report = await teamReport(ctx, actor, request.params.id, request.params.teamId);
      return attachment(reply, teamFile(report), report.generatedAt, 'pdf').type(pdf).send(await teamPdf(report, actor.locale));
    },
  );
}
