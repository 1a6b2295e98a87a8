import { Badge, Tooltip } from '@mantine/core';
import { useT } from '../../i18n/useT.ts';
import type { LiveStatus } from './live.ts';

/** Whether the page follows the exercise live or refreshes it now and then. */
export function LiveIndicator({ status, pollSeconds }: { status: LiveStatus; pollSeconds: number }) {
  const t = useT();
  const label = status === 'live' ? t('exercises.live.on') : status === 'connecting' ? t('exercises.live.connecting') : t('exercises.live.polling');
  return (
    <Tooltip label={status === 'live' ? t('exercises.live.onHint') : t('exercises.live.pollingHint', { seconds: pollSeconds })} multiline w={260}>
      <Badge variant="dot" color={status === 'live' ? 'teal' : status === 'connecting' ? 'yellow' : 'gray'} size="md" tabIndex={0} role="status">
        {label}
      </Badge>
    </Tooltip>
  );
}
