import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { locales, roles } from '../accounts/roles.ts';
import { email, newPassword } from '../accounts/schemas.ts';

export const userStatuses = ['active', 'disabled'] as const;

export const userQuery = pageQuery.extend({
  search: z.string().trim().max(200).optional().describe('Part of the name or e-mail'),
  role: z.enum(roles).optional(),
  organisationId: z.uuid().optional(),
  status: z.enum(userStatuses).optional(),
  sort: z.enum(['displayName', '-displayName', 'email', '-email', 'createdAt', '-createdAt', 'lastSignInAt', '-lastSignInAt']).default('displayName'),
});
export type UserQuery = z.infer<typeof userQuery>;

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  organisation: z.object({ id: z.string(), name: z.string(), countryCode: z.string() }),
  roles: z.array(z.enum(roles)),
  status: z.enum(userStatuses),
  locale: z.enum(locales),
  totpEnabled: z.boolean(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof userSummary>;
export const userPage = paged(userSummary);

const roleList = z
  .array(z.enum(roles))
  .min(1)
  .max(roles.length)
  .refine((r) => new Set(r).size === r.length, 'roles must not repeat');

export const userCreate = z.strictObject({
  email,
  displayName: z.string().trim().min(2).max(120),
  organisationId: z.uuid(),
  roles: roleList,
  locale: z.enum(locales).default('en'),
  /** Without a password, the answer carries a one-time link for the user to choose one. */
  password: newPassword.optional(),
});
export type UserCreate = z.infer<typeof userCreate>;

export const userUpdate = z
  .strictObject({
    displayName: z.string().trim().min(2).max(120).optional(),
    organisationId: z.uuid().optional(),
    roles: roleList.optional(),
    status: z.enum(userStatuses).optional(),
    locale: z.enum(locales).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UserUpdate = z.infer<typeof userUpdate>;

export const passwordResetIssued = z.object({ url: z.string(), expiresAt: z.string() });
export const userCreated = z.object({ user: userSummary, passwordReset: passwordResetIssued.nullable() });

export const rolePolicy = z.object({ role: z.enum(roles), requireTotp: z.boolean() });
export const rolePolicies = z.array(rolePolicy);
export const rolePolicyUpdate = z.strictObject({ requireTotp: z.boolean() });
export const roleParams = z.strictObject({ role: z.enum(roles) });
