import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { idParams } from '../shared-schemas.ts';
import { passwordResetIssued, rolePolicies, rolePolicy, rolePolicyUpdate, roleParams, userCreate, userCreated, userPage, userQuery, userSummary, userUpdate } from './schemas.ts';
import { createUser, getUser, issueResetLink, listRolePolicies, listUsers, resetTotp, revokeSessionsOf, setRolePolicy, updateUser } from './service.ts';

export function userRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const tags = ['users'];
  const manage = { access: { permission: 'users.manage' as const } };
  const noContent = { 204: z.null().describe('No content') };

  app.get('/api/users', { config: { access: { permission: 'users.read' } }, schema: { tags, summary: 'List users', querystring: userQuery, response: { 200: userPage } } }, async (request) =>
    listUsers(db, actorOf(request), request.query),
  );
  app.get('/api/users/:id', { config: { access: { permission: 'users.read' } }, schema: { tags, summary: 'Read one user', params: idParams, response: { 200: userSummary } } }, async (request) =>
    getUser(db, actorOf(request), request.params.id),
  );
  app.post('/api/users', { config: manage, schema: { tags, summary: 'Create an account', body: userCreate, response: { 201: userCreated } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    return reply.status(201).send(await createUser(ctx, actor, request.body, meta));
  });
  app.patch('/api/users/:id', { config: manage, schema: { tags, summary: 'Update an account: name, organisation, roles, status', params: idParams, body: userUpdate, response: { 200: userSummary } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return updateUser(ctx, actor, request.params.id, request.body, meta);
  });
  app.post('/api/users/:id/password-reset', { config: manage, schema: { tags, summary: 'Issue a one-time password reset link', params: idParams, response: { 200: passwordResetIssued } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return issueResetLink(ctx, actor, request.params.id, meta);
  });
  app.post('/api/users/:id/totp-reset', { config: manage, schema: { tags, summary: "Remove a user's second factor", params: idParams, response: noContent } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    await resetTotp(ctx, actor, request.params.id, meta);
    return reply.status(204).send(null);
  });
  app.post('/api/users/:id/sessions/revoke', { config: manage, schema: { tags, summary: "End all of a user's sessions", params: idParams, response: noContent } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    await revokeSessionsOf(ctx, actor, request.params.id, meta);
    return reply.status(204).send(null);
  });

  const security = { access: { permission: 'security.manage' as const } };
  app.get('/api/security/role-policies', { config: security, schema: { tags: ['security'], summary: 'Which roles must use two-factor authentication', response: { 200: rolePolicies } } }, async () =>
    listRolePolicies(db),
  );
  app.put('/api/security/role-policies/:role', { config: security, schema: { tags: ['security'], summary: 'Require (or not) two-factor authentication for a role', params: roleParams, body: rolePolicyUpdate, response: { 200: rolePolicy } } }, async (request) => {
    const { actor, ...meta } = auditContext(request);
    return setRolePolicy(ctx, actor, request.params.role, request.body.requireTotp, meta);
  });
}
