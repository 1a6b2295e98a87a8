import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { announcement, announcementCreate, exerciseControl, exerciseCreate, exerciseParams, exerciseSummary, joinBody, memberAdd, memberParams, staffAdd, staffMember, team, teamCreate, teamParams, teamUpdate } from './schemas.ts';
import { addStaff, controlExercise, createExercise, getExercise, listExercises, listStaff } from './service.ts';
import { assignMember, createTeam, getTeam, joinWithCode, listTeams, removeMember, updateTeam } from './teams.ts';
import { advanceExercise, fireInject } from './releases.ts';
import { teamView } from './play.ts';
import { announce, listAnnouncements } from './announcements.ts';

export function exerciseRoutes(app: App, ctx: AppContext) {
  const tags = ['exercises'];
  const signedIn = { access: {} };

  app.get('/api/exercises', { config: signedIn, schema: { tags, summary: 'The exercises I take part in (administrators: all)', response: { 200: z.array(exerciseSummary) } } }, async (request) =>
    listExercises(ctx, actorOf(request)),
  );
  app.post('/api/exercises', { config: { access: { permission: 'exercises.create' } }, schema: { tags, summary: 'Create an exercise from an imported scenario version', body: exerciseCreate, response: { 201: exerciseSummary } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await createExercise(ctx, actor, request.body, meta));
  });
  app.get('/api/exercises/:id', { config: signedIn, schema: { tags, summary: 'One exercise and its clock', params: exerciseParams, response: { 200: exerciseSummary } } }, async (request) =>
    getExercise(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/control', { config: signedIn, schema: { tags, summary: 'Start, pause, resume, extend or end (trainers)', params: exerciseParams, body: exerciseControl, response: { 200: exerciseSummary } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    const result = await controlExercise(ctx, actor, request.params.id, request.body, meta);
    await advanceExercise(ctx, request.params.id);
    ctx.events.publish({ channel: `exercise:${request.params.id}`, type: 'clock', data: { exerciseId: request.params.id, action: request.body.action } });
    return result;
  });
  app.get('/api/exercises/:id/staff', { config: signedIn, schema: { tags, summary: 'Trainers and experts of the exercise', params: exerciseParams, response: { 200: z.array(staffMember) } } }, async (request) =>
    listStaff(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/staff', { config: signedIn, schema: { tags, summary: 'Attach a trainer or an expert (trainers)', params: exerciseParams, body: staffAdd, response: { 200: z.array(staffMember) } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return addStaff(ctx, actor, request.params.id, request.body, meta);
  });
  app.get('/api/exercises/:id/teams', { config: signedIn, schema: { tags, summary: 'Teams and their members', params: exerciseParams, response: { 200: z.array(team) } } }, async (request) =>
    listTeams(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/teams', { config: signedIn, schema: { tags, summary: 'Create a team (trainers)', params: exerciseParams, body: teamCreate, response: { 201: team } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await createTeam(ctx, actor, request.params.id, request.body.name, meta));
  });
  app.get('/api/exercises/:id/teams/:teamId', { config: signedIn, schema: { tags, summary: 'One team', params: teamParams, response: { 200: team } } }, async (request) =>
    getTeam(ctx, actorOf(request), request.params.id, request.params.teamId),
  );
  app.patch('/api/exercises/:id/teams/:teamId', { config: signedIn, schema: { tags, summary: 'Rename, choose the captain, give extra time (trainers)', params: teamParams, body: teamUpdate, response: { 200: team } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return updateTeam(ctx, actor, request.params.id, request.params.teamId, request.body, meta);
  });
  app.post('/api/exercises/:id/teams/:teamId/members', { config: signedIn, schema: { tags, summary: 'Assign a participant to the team (trainers)', params: teamParams, body: memberAdd, response: { 200: team } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return assignMember(ctx, actor, request.params.id, request.params.teamId, request.body.userId, meta);
  });
  app.delete('/api/exercises/:id/teams/:teamId/members/:userId', { config: signedIn, schema: { tags, summary: 'Remove a member (trainers)', params: memberParams, response: { 200: team } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return removeMember(ctx, actor, request.params.id, request.params.teamId, request.params.userId, meta);
  });
  app.post('/api/teams/join', { config: { access: { permission: 'exercises.join' } }, schema: { tags, summary: 'Join a team with its invitation code', body: joinBody, response: { 200: z.object({ exerciseId: z.string(), team }) } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return joinWithCode(ctx, actor, request.body.code, meta);
  });
  app.post('/api/exercises/:id/injects', { config: signedIn, schema: { tags, summary: 'Fire an inject for every team or one (trainers)', params: exerciseParams, body: z.strictObject({ inject: z.string().min(1).max(63), teamId: z.uuid().nullable().default(null) }), response: { 204: z.null() } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    await fireInject(ctx, actor, request.params.id, request.body.inject, request.body.teamId, meta);
    return reply.status(204).send(null);
  });
  app.get('/api/exercises/:id/announcements', { config: signedIn, schema: { tags, summary: 'Announcements of the trainers, newest first', params: exerciseParams, response: { 200: z.array(announcement) } } }, async (request) =>
    listAnnouncements(ctx, actorOf(request), request.params.id),
  );
  app.post('/api/exercises/:id/announcements', { config: signedIn, schema: { tags, summary: 'Announce a message to every team, live (trainers)', params: exerciseParams, body: announcementCreate, response: { 201: announcement } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await announce(ctx, actor, request.params.id, request.body.message, meta));
  });
  app.get('/api/exercises/:id/play', { config: signedIn, schema: { tags, summary: "My team's view: briefing, clock, evidence, objectives, hints, injects", params: exerciseParams } }, async (request) =>
    teamView(ctx, actorOf(request), request.params.id),
  );
}
