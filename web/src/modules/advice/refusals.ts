import { useCallback } from 'react';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

/** `details.reason` of the desk's refusals (src/modules/advice/service.ts, scoring/access.ts). */
const reasons: Record<string, MessageId> = {
  closed: 'advice.refused.closed',
  already_penalised: 'advice.refused.alreadyPenalised',
  no_penalty: 'advice.refused.noPenalty',
  already_unlocked: 'advice.refused.alreadyUnlocked',
  not_started: 'advice.refused.notRunning',
  paused: 'advice.refused.notRunning',
  ended: 'advice.refused.ended',
  time_up: 'advice.refused.ended',
};

/** The text of a refused desk action, by the server's reason, else by error code. */
export function useAdviceRefusal(): (error: unknown) => string {
  const t = useT();
  const errorText = useErrorText();
  return useCallback(
    (error: unknown) => {
      const details = isApiError(error) ? error.details : undefined;
      const reason = details && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>).reason : undefined;
      const id = typeof reason === 'string' ? reasons[reason] : undefined;
      return id ? t(id) : errorText(error);
    },
    [t, errorText],
  );
}
