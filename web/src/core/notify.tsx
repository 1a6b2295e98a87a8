import { useMemo } from 'react';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useErrorText } from './errors.ts';

/** Toasts for the outcome of an action that has no form to show it in. */
export function useNotify() {
  const errorText = useErrorText();
  return useMemo(
    () => ({
      success: (message: string) =>
        notifications.show({ message, color: 'teal', icon: <IconCheck size={18} aria-hidden />, withBorder: true }),
      error: (error: unknown) =>
        notifications.show({ message: errorText(error), color: 'red', icon: <IconAlertTriangle size={18} aria-hidden />, withBorder: true, autoClose: 8000 }),
    }),
    [errorText],
  );
}
