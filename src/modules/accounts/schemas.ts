import { z } from 'zod';
import { locales, roles } from './roles.ts';

export const email = z.email().max(254).transform((e) => e.trim().toLowerCase());
/** Length over composition rules (NIST SP 800-63B): at least 12 characters. */
export const newPassword = z.string().min(12).max(256);
export const totpCode = z.string().trim().regex(/^\d{6}$/, 'must be 6 digits');

export const signInBody = z.strictObject({ email, password: z.string().min(1).max(1024) });
export type SignInBody = z.infer<typeof signInBody>;

export const sessionStage = z.enum(['totp', 'enrol', 'active']);

export const me = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.enum(locales),
  roles: z.array(z.enum(roles)),
  organisation: z.object({ id: z.string(), name: z.string(), kind: z.enum(['police_unit', 'partner']), countryCode: z.string() }),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  lastSignInAt: z.string().nullable(),
  /** The sign-in before the current one: a user notices one that was not theirs. */
  previousSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Me = z.infer<typeof me>;

export const sessionInfo = z.object({
  stage: sessionStage,
  csrfToken: z.string(),
  user: me,
  /** Actions the user may take, so the web app shows only what works. */
  permissions: z.array(z.string()),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const signInResult = z.object({ stage: sessionStage, session: sessionInfo });
export type SignInResult = z.infer<typeof signInResult>;

export const totpCodeBody = z.strictObject({ code: totpCode });

export const profileUpdate = z
  .strictObject({ displayName: z.string().trim().min(2).max(120).optional(), locale: z.enum(locales).optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type ProfileUpdate = z.infer<typeof profileUpdate>;

export const passwordChange = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword });
export type PasswordChange = z.infer<typeof passwordChange>;

export const totpSetup = z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() });
export const totpDisable = z.strictObject({ password: z.string().min(1).max(1024), code: totpCode });

export const tokenScopes = ['read', 'write'] as const;
export const tokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(z.enum(tokenScopes)).min(1).max(2),
  expiresInDays: z.number().int().min(1).max(365),
});
export type TokenCreate = z.infer<typeof tokenCreate>;
export const apiToken = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(tokenScopes)),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiToken>;
export const apiTokenCreated = apiToken.extend({ token: z.string().describe('Shown once; store it now') });

export const sessionItem = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionItem = z.infer<typeof sessionItem>;

export const resetTokenParams = z.strictObject({ token: z.string().min(20).max(100) });
export const passwordResetInfo = z.object({ email: z.string(), displayName: z.string(), expiresAt: z.string() });
export const passwordResetComplete = z.strictObject({ password: newPassword });
