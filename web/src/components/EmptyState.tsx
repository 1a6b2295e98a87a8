import { EmptyState as MantineEmptyState } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

type Props = { title: ReactNode; description?: ReactNode; action?: ReactNode; icon?: ReactNode };

/** Nothing to show yet: say so, say why, and offer the next step. */
export function EmptyState({ title, description, action, icon }: Props) {
  return (
    <MantineEmptyState
      py="xl"
      variant="light"
      icon={icon ?? <IconInbox aria-hidden />}
      title={title}
      description={description}
      style={{ pointerEvents: 'auto' }}
    >
      {action ? <MantineEmptyState.Actions>{action}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}
