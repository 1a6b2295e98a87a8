import type { Db, Tx } from '../../core/db/index.ts';
import { notFound } from '../../core/errors.ts';
import { can, permissionTable, type Action, type Actor } from '../../core/permissions.ts';
import type { Role } from './roles.ts';
import type { ApiToken, Me, SessionInfo } from './schemas.ts';
import type { Selectable } from 'kysely';
import type { ApiTokenTable } from '../../core/db/schema.ts';

/** Whether any of these roles must use a second factor. */
export async function totpRequiredFor(db: Db | Tx, roles: readonly string[]): Promise<boolean> {
  if (roles.length === 0) return false;
  const row = await db.selectFrom('role_policies').select('role').where('role', 'in', [...roles]).where('require_totp', '=', 1).executeTakeFirst();
  return !!row;
}

export async function presentMe(db: Db | Tx, userId: string): Promise<Me> {
  const row = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.locale',
      'users.totp_enabled',
      'users.last_sign_in_at',
      'users.previous_sign_in_at',
      'users.created_at',
      'organisations.id as org_id',
      'organisations.name as org_name',
      'organisations.kind as org_kind',
      'organisations.country_code as org_country',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute()).map((r) => r.role as Role);
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    roles,
    organisation: { id: row.org_id, name: row.org_name, kind: row.org_kind, countryCode: row.org_country },
    totpEnabled: row.totp_enabled === 1,
    totpRequired: await totpRequiredFor(db, roles),
    lastSignInAt: row.last_sign_in_at,
    previousSignInAt: row.previous_sign_in_at,
    createdAt: row.created_at,
  };
}

export async function presentSession(db: Db | Tx, userId: string, stage: SessionInfo['stage'], csrfToken: string): Promise<SessionInfo> {
  const user = await presentMe(db, userId);
  const actor: Actor = { userId, organisationId: user.organisation.id, roles: user.roles };
  // A half-signed-in session can do nothing else yet, so it is told no permissions.
  const permissions = stage === 'active' ? (Object.keys(permissionTable) as Action[]).filter((a) => can(actor, a)) : [];
  return { stage, csrfToken, user, permissions };
}

export function presentApiToken(row: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scopes: JSON.parse(row.scopes) as ApiToken['scopes'],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
