import { Badge } from '@mantine/core';
import type { Role } from '@modules/accounts/roles.ts';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/message-ids.ts';

export const roleLabel: Record<Role, MessageId> = {
  administrator: 'common.role.administrator',
  trainer: 'common.role.trainer',
  expert: 'common.role.expert',
  participant: 'common.role.participant',
  partner_analyst: 'common.role.partner_analyst',
  working_group_member: 'common.role.working_group_member',
};

/** The user's roles, translated. */
export function RoleBadges({ roles }: { roles: readonly Role[] }) {
  const t = useT();
  return (
    <>
      {roles.map((r) => (
        <Badge key={r} color={r === 'administrator' ? 'navy' : 'gray'} variant="light">
          {t(roleLabel[r])}
        </Badge>
      ))}
    </>
  );
}
