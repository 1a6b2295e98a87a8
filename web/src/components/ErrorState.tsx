import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { FormattedMessage } from 'react-intl';
import { isApiError } from '../core/api.ts';
import { useErrorText } from '../core/errors.ts';
import { Ltr } from './Ltr.tsx';

type Props = { error: unknown; onRetry?: () => void; title?: string };

/** A load that failed: what went wrong (translated by error code) and a way to try again. */
export function ErrorState({ error, onRetry, title }: Props) {
  const errorText = useErrorText();
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <Alert
      role="alert"
      variant="light"
      color="red"
      radius="md"
      icon={<IconAlertTriangle aria-hidden />}
      title={title ?? <FormattedMessage id="common.error.loadTitle" />}
    >
      <Stack gap="sm">
        <Text size="sm">{errorText(error)}</Text>
        {requestId ? (
          <Text size="xs" c="dimmed">
            <FormattedMessage id="common.error.reference" values={{ id: <Ltr mono>{requestId}</Ltr> }} />
          </Text>
        ) : null}
        {onRetry ? (
          <Group>
            <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={16} aria-hidden />} onClick={onRetry}>
              <FormattedMessage id="common.action.retry" />
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}
