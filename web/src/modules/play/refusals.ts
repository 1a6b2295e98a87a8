import { useCallback } from 'react';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

/** `details.reason` of the scoring endpoints' refusals (src/modules/scoring/access.ts, answers.ts). */
const reasons: Record<string, MessageId> = {
  not_started: 'play.refused.not_started',
  paused: 'play.refused.paused',
  ended: 'play.refused.ended',
  time_up: 'play.refused.time_up',
  locked: 'play.refused.locked',
  solved: 'play.refused.solved',
  no_attempts: 'play.refused.no_attempts',
};

export function refusalReason(error: unknown): string | null {
  if (!isApiError(error) || !error.details || typeof error.details !== 'object') return null;
  const reason = (error.details as Record<string, unknown>).reason;
  return typeof reason === 'string' ? reason : null;
}

/** The text of a refused answer or hint, by the server's reason, else by error code. */
export function usePlayRefusal(): (error: unknown) => string {
  const t = useT();
  const errorText = useErrorText();
  return useCallback(
    (error: unknown) => {
      const reason = refusalReason(error);
      const id = reason ? reasons[reason] : undefined;
      return id ? t(id) : errorText(error);
    },
    [t, errorText],
  );
}
