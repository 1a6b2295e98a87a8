import type { Role } from '../../modules/accounts/roles.ts';
import type { Actor } from '../permissions.ts';

export type AuthenticatedUser = Actor & {
  email: string;
  displayName: string;
  locale: string;
  totpEnabled: boolean;
};

export type RequestAuth =
  | { kind: 'session'; user: AuthenticatedUser; sessionId: string; stage: 'totp' | 'enrol' | 'active'; csrfToken: string }
  | { kind: 'token'; user: AuthenticatedUser; tokenId: string; scopes: readonly string[] };

export type RoleList = readonly Role[];
