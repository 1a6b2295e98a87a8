import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * The error of a whole form (wrong password, too many attempts…), announced
 * by screen readers as soon as it appears. Field errors stay on their fields.
 */
export function FormError({ children }: { children: ReactNode }) {
  return (
    <div aria-live="assertive" aria-atomic="true">
      {children ? (
        <Alert role="alert" color="red" variant="light" radius="md" icon={<IconAlertCircle aria-hidden />}>
          {children}
        </Alert>
      ) : null}
    </div>
  );
}
