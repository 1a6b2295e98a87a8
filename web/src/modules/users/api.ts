import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { passwordResetIssued, userCreated, UserSummary, userStatuses } from '@modules/users/schemas.ts';
import { api, seg } from '../../core/api.ts';
import type { MessageId } from '../../i18n/message-ids.ts';

export type UserStatus = (typeof userStatuses)[number];
export type PasswordResetIssued = z.infer<typeof passwordResetIssued>;
export type UserCreated = z.infer<typeof userCreated>;

/** Every users query starts with this key: invalidating it refreshes lists and details. */
export const usersKey = ['users'] as const;
export const userKey = (id: string) => [...usersKey, 'one', id] as const;

export const useUser = (id: string | null) =>
  useQuery({
    queryKey: userKey(id ?? ''),
    queryFn: ({ signal }) => api.get<UserSummary>(`/api/users/${seg(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });

export const statusLabel: Record<UserStatus, MessageId> = {
  active: 'users.status.active',
  disabled: 'users.status.disabled',
};
export const statusColor: Record<UserStatus, string> = { active: 'teal', disabled: 'red' };
