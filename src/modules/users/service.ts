import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, notFound, validationError } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { hashPassword } from '../../core/auth/passwords.ts';
import { forgetSessions, revokeUserSessions } from '../../core/auth/sessions.ts';
import { newSecret } from '../../core/ids.ts';
import { recordAudit, type AuditInput } from '../audit/service.ts';
import { issuePasswordReset } from '../accounts/password-reset.ts';
import { roles as allRoles, type Role } from '../accounts/roles.ts';
import type { UserCreate, UserQuery, UserSummary, UserUpdate } from './schemas.ts';

type Meta = { ip: string | null; requestId: string };

/** The users the actor may read: the one rule used by every read path of this module. */
function visibleUsers(db: Db | Tx, actor: Actor) {
  const reach = reachOf(actor, 'users.read');
  let q = db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.status',
      'users.locale',
      'users.totp_enabled',
      'users.last_sign_in_at',
      'users.created_at',
      'organisations.id as org_id',
      'organisations.name as org_name',
      'organisations.country_code as org_country',
    ]);
  if (reach === 'organisation') q = q.where('users.organisation_id', '=', actor.organisationId);
  else if (reach !== 'all') q = q.where('users.id', '=', actor.userId);
  return q;
}

async function rolesByUser(db: Db | Tx, ids: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', ids).execute();
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role as Role]);
  for (const list of map.values()) list.sort((a, b) => allRoles.indexOf(a) - allRoles.indexOf(b));
  return map;
}

type Row = Awaited<ReturnType<ReturnType<typeof visibleUsers>['executeTakeFirstOrThrow']>>;
function present(row: Row, roles: Role[]): UserSummary {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    organisation: { id: row.org_id, name: row.org_name, countryCode: row.org_country },
    roles,
    status: row.status,
    locale: row.locale,
    totpEnabled: row.totp_enabled === 1,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  };
}

const sortColumns = {
  displayName: 'users.display_name',
  email: 'users.email',
  createdAt: 'users.created_at',
  lastSignInAt: 'users.last_sign_in_at',
} as const;

export async function listUsers(db: Db, actor: Actor, query: UserQuery) {
  let q = visibleUsers(db, actor);
  if (query.search) {
    const term = `%${query.search.toLowerCase().replace(/[%_]/g, '')}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['users.display_name']), 'like', term), eb('users.email', 'like', term)]));
  }
  if (query.role) q = q.where('users.id', 'in', (eb) => eb.selectFrom('user_roles').select('user_id').where('role', '=', query.role!));
  if (query.organisationId) q = q.where('users.organisation_id', '=', query.organisationId);
  if (query.status) q = q.where('users.status', '=', query.status);
  const { total } = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const key = query.sort.replace('-', '') as keyof typeof sortColumns;
  const desc = query.sort.startsWith('-');
  // Names sort without regard to case, and accounts that never signed in come
  // last either way: SQLite and PostgreSQL disagree on both by default.
  const column = key === 'displayName' ? sql<string>`lower(${sql.ref(sortColumns[key])})` : sql.ref(sortColumns[key]);
  const rows = await q
    .orderBy(column, (ob) => (desc ? ob.desc() : ob.asc()).nullsLast())
    .orderBy('users.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const roles = await rolesByUser(db, rows.map((r) => r.id));
  return { items: rows.map((r) => present(r, roles.get(r.id) ?? [])), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getUser(db: Db | Tx, actor: Actor, id: string): Promise<UserSummary> {
  const row = await visibleUsers(db, actor).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('User');
  return present(row, (await rolesByUser(db, [id])).get(id) ?? []);
}

async function assertOrganisationExists(tx: Tx, organisationId: string) {
  const org = await tx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  if (!org) throw validationError('body.organisationId', 'no such organisation');
}

export async function createUser(ctx: AppContext, admin: AuthenticatedUser, input: UserCreate, meta: Meta) {
  const { db } = ctx.database;
  // Without a chosen password the account gets an unusable random one and a reset link.
  const hash = await hashPassword(input.password ?? newSecret());
  const id = newId();
  const now = iso(ctx.clock.now());
  try {
    const passwordReset = await db.transaction().execute(async (tx) => {
      await assertOrganisationExists(tx, input.organisationId);
      await tx
        .insertInto('users')
        .values({
          id,
          organisation_id: input.organisationId,
          email: input.email,
          display_name: input.displayName,
          password_hash: hash,
          locale: input.locale,
          status: 'active',
          totp_secret: null,
          totp_pending_secret: null,
          totp_enabled: 0,
          totp_last_step: null,
          password_changed_at: now,
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await tx.insertInto('user_roles').values(input.roles.map((role) => ({ user_id: id, role }))).execute();
      const base: AuditInput = { action: 'user.created', outcome: 'success', actor: admin, target: { type: 'user', id }, ip: meta.ip, requestId: meta.requestId };
      await recordAudit(tx, ctx.clock, { ...base, details: { email: input.email, roles: input.roles, organisationId: input.organisationId } });
      if (input.password) return null;
      const reset = await issuePasswordReset(tx, ctx.clock, ctx.config, id, admin.userId);
      await recordAudit(tx, ctx.clock, { ...base, action: 'auth.password_reset_issued' });
      return reset;
    });
    return { user: await getUser(db, admin, id), passwordReset };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email: an account with this e-mail address already exists', [{ path: 'body.email', message: 'already exists' }]);
    throw error;
  }
}

export async function updateUser(ctx: AppContext, admin: AuthenticatedUser, id: string, input: UserUpdate, meta: Meta) {
  const { db } = ctx.database;
  await db.transaction().execute(async (tx) => {
    const current = await getUser(tx, admin, id);
    if (id === admin.userId && (input.status === 'disabled' || (input.roles && !input.roles.includes('administrator')))) {
      throw conflict('You cannot disable yourself or remove your own administrator role');
    }
    if (input.organisationId) await assertOrganisationExists(tx, input.organisationId);
    // Roles, status and profile are resolved with each session: signed-in sessions read them again.
    forgetSessions({ userId: id });
    await tx
      .updateTable('users')
      .set({
        ...(input.displayName !== undefined && { display_name: input.displayName }),
        ...(input.organisationId !== undefined && { organisation_id: input.organisationId }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.locale !== undefined && { locale: input.locale }),
        updated_at: iso(ctx.clock.now()),
      })
      .where('id', '=', id)
      .execute();
    const base = { outcome: 'success' as const, actor: admin, target: { type: 'user', id }, ip: meta.ip, requestId: meta.requestId };
    if (input.roles) {
      const before = [...current.roles].sort();
      const after = [...new Set(input.roles)].sort();
      if (before.join() !== after.join()) {
        await tx.deleteFrom('user_roles').where('user_id', '=', id).execute();
        await tx.insertInto('user_roles').values(after.map((role) => ({ user_id: id, role }))).execute();
        await recordAudit(tx, ctx.clock, { ...base, action: 'user.roles_changed', details: { before, after } });
      }
    }
    if (input.status && input.status !== current.status) {
      // A disabled account loses its sessions and API tokens at once.
      if (input.status === 'disabled') {
        await revokeUserSessions(tx, ctx.clock, id);
        // Tokens are revoked too, so that re-enabling the account does not revive them.
        await tx.updateTable('api_tokens').set({ revoked_at: iso(ctx.clock.now()) }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      }
      await recordAudit(tx, ctx.clock, { ...base, action: input.status === 'disabled' ? 'user.disabled' : 'user.enabled' });
    }
    const other = Object.keys(input).filter((k) => k !== 'roles' && k !== 'status');
    if (other.length > 0) await recordAudit(tx, ctx.clock, { ...base, action: 'user.updated', details: { changed: other } });
  });
  return getUser(db, admin, id);
}

export async function issueResetLink(ctx: AppContext, admin: AuthenticatedUser, id: string, meta: Meta) {
  return ctx.database.db.transaction().execute(async (tx) => {
    await getUser(tx, admin, id);
    const reset = await issuePasswordReset(tx, ctx.clock, ctx.config, id, admin.userId);
    await recordAudit(tx, ctx.clock, { action: 'auth.password_reset_issued', outcome: 'success', actor: admin, target: { type: 'user', id }, ip: meta.ip, requestId: meta.requestId });
    return reset;
  });
}

/** For a user who lost the authenticator: the second factor is removed and must be enrolled again. */
export async function resetTotp(ctx: AppContext, admin: AuthenticatedUser, id: string, meta: Meta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    await getUser(tx, admin, id);
    await tx.updateTable('users').set({ totp_secret: null, totp_pending_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: iso(ctx.clock.now()) }).where('id', '=', id).execute();
    await revokeUserSessions(tx, ctx.clock, id);
    await recordAudit(tx, ctx.clock, { action: 'auth.totp_reset', outcome: 'success', actor: admin, target: { type: 'user', id }, ip: meta.ip, requestId: meta.requestId });
  });
}

export async function revokeSessionsOf(ctx: AppContext, admin: AuthenticatedUser, id: string, meta: Meta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    await getUser(tx, admin, id);
    const ended = await revokeUserSessions(tx, ctx.clock, id);
    await recordAudit(tx, ctx.clock, { action: 'auth.session_revoked', outcome: 'success', actor: admin, target: { type: 'user', id }, ip: meta.ip, requestId: meta.requestId, details: { ended } });
  });
}

export async function listRolePolicies(db: Db) {
  const rows = await db.selectFrom('role_policies').selectAll().execute();
  const byRole = new Map(rows.map((r) => [r.role, r.require_totp === 1]));
  return allRoles.map((role) => ({ role, requireTotp: byRole.get(role) ?? false }));
}

export async function setRolePolicy(ctx: AppContext, admin: AuthenticatedUser, role: Role, requireTotp: boolean, meta: Meta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    const values = { require_totp: requireTotp ? 1 : 0, updated_at: iso(ctx.clock.now()) };
    await tx.insertInto('role_policies').values({ role, ...values }).onConflict((oc) => oc.column('role').doUpdateSet(values)).execute();
    await recordAudit(tx, ctx.clock, { action: 'security.role_policy_changed', outcome: 'success', actor: admin, target: { type: 'role', id: role }, ip: meta.ip, requestId: meta.requestId, details: { requireTotp } });
  });
  return { role, requireTotp };
}
