/**
 * The exercise endpoints say why they refuse an action with a stable reason:
 * `details.reason` of a `conflict` (already_started, team_full…), or the
 * `code` of the problem of a `validation_failed` (unknown_code…). These are
 * said in the user's language; anything else falls back on the translation by
 * error code. The server's English sentences are never read.
 */
import { createElement, useCallback } from 'react';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

/** `details.reason` of the conflicts (src/modules/exercises/service.ts, teams.ts, releases.ts, announcements.ts). */
export const conflictReasons = {
  already_started: 'exercises.refused.alreadyStarted',
  not_running: 'exercises.refused.notRunning',
  not_paused: 'exercises.refused.notPaused',
  not_started: 'exercises.refused.notStarted',
  ended: 'exercises.refused.ended',
  team_full: 'exercises.refused.teamFull',
  already_in_team: 'exercises.refused.alreadyInTeam',
  plays_in_team: 'exercises.refused.playsInTeam',
  staff_cannot_join: 'exercises.refused.staffCannotJoin',
  team_name_taken: 'exercises.refused.teamNameTaken',
} as const satisfies Record<string, MessageId>;

/** `code` of the problems of a `validation_failed` (src/modules/exercises/service.ts `invalidInput`). */
export const inputReasons = {
  unknown_code: 'exercises.refused.unknownCode',
  no_such_user: 'exercises.refused.noSuchUser',
  wrong_role: 'exercises.refused.wrongRole',
  not_a_member: 'exercises.refused.captainNotMember',
  no_such_scenario: 'exercises.refused.noSuchScenario',
} as const satisfies Record<string, MessageId>;

export type RefusalReason = keyof typeof conflictReasons | keyof typeof inputReasons;
/** Words a reason differently where the context asks for it (an inject refused because the exercise is not running…). */
export type RefusalOverrides = Partial<Record<RefusalReason, MessageId>>;

const has = <T extends object>(table: T, key: string): key is Extract<keyof T, string> => Object.prototype.hasOwnProperty.call(table, key);

/** The stable reason of a refusal: `details.reason` of a conflict, else the first known `code` of a validation problem. */
export function refusalReason(error: unknown): RefusalReason | null {
  if (!isApiError(error)) return null;
  if (error.code === 'conflict' && error.details && typeof error.details === 'object' && !Array.isArray(error.details)) {
    const reason = (error.details as Record<string, unknown>).reason;
    return typeof reason === 'string' && has(conflictReasons, reason) ? reason : null;
  }
  if (error.code === 'validation_failed') {
    for (const p of error.fieldProblems) if (p.code && has(inputReasons, p.code)) return p.code;
  }
  return null;
}

/** The message id of a known refusal, or null. */
export function knownRefusal(error: unknown, overrides?: RefusalOverrides): MessageId | null {
  const reason = refusalReason(error);
  if (!reason) return null;
  return overrides?.[reason] ?? (has(conflictReasons, reason) ? conflictReasons[reason] : inputReasons[reason as keyof typeof inputReasons]);
}

/** `(error) => text`: a known refusal in the user's language, else the text for the error's code. */
export function useRefusalText(overrides?: RefusalOverrides): (error: unknown) => string {
  const t = useT();
  const errorText = useErrorText();
  return useCallback((error: unknown) => {
    const id = knownRefusal(error, overrides);
    return id ? t(id) : errorText(error);
  }, [t, errorText, overrides]);
}

/** A toast for a refused action, worded like useRefusalText. */
export function useNotifyRefusal(): (error: unknown) => void {
  const text = useRefusalText();
  return useCallback(
    (error: unknown) =>
      notifications.show({ message: text(error), color: 'red', icon: createElement(IconAlertTriangle, { size: 18, 'aria-hidden': true }), withBorder: true, autoClose: 8000 }),
    [text],
  );
}
