/**
 * The exercise endpoints refuse some actions with a `conflict` or a
 * `validation_failed` whose only precise wording is the server's English
 * sentence (a full team, an exercise already started…). These are recognised
 * here and said in the user's language; anything else falls back on the
 * translation by error code.
 */
import { createElement, useCallback } from 'react';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

const patterns: Array<[RegExp, MessageId]> = [
  [/already started/i, 'exercises.refused.alreadyStarted'],
  [/only a running exercise can be paused/i, 'exercises.refused.notRunning'],
  [/is not paused/i, 'exercises.refused.notPaused'],
  [/has not started/i, 'exercises.refused.notStarted'],
  [/has (already )?ended/i, 'exercises.refused.ended'],
  [/fired only while the exercise runs/i, 'exercises.refused.injectNotRunning'],
  [/team is full/i, 'exercises.refused.teamFull'],
  [/already in a team/i, 'exercises.refused.alreadyInTeam'],
  [/plays in a team/i, 'exercises.refused.playsInTeam'],
  [/trainers and experts of the exercise cannot join/i, 'exercises.refused.staffCannotJoin'],
  [/team with this name already exists|already exists/i, 'exercises.refused.teamNameTaken'],
  [/no team has this code/i, 'exercises.refused.unknownCode'],
  [/no such active user/i, 'exercises.refused.noSuchUser'],
  [/does not have the (trainer|expert) role/i, 'exercises.refused.wrongRole'],
  [/captain must be a member/i, 'exercises.refused.captainNotMember'],
  [/no such scenario/i, 'exercises.refused.noSuchScenario'],
];

/** The id of a known refusal, from the error's message or its first detail. */
export function knownRefusal(error: unknown): MessageId | null {
  if (!isApiError(error) || (error.code !== 'conflict' && error.code !== 'validation_failed')) return null;
  const texts = [error.message, ...error.fieldProblems.map((p) => p.message)];
  for (const [re, id] of patterns) if (texts.some((x) => re.test(x))) return id;
  return null;
}

/** `(error) => text`: a known refusal in the user's language, else the text for the error's code. */
export function useRefusalText(): (error: unknown) => string {
  const t = useT();
  const errorText = useErrorText();
  return useCallback((error: unknown) => {
    const id = knownRefusal(error);
    return id ? t(id) : errorText(error);
  }, [t, errorText]);
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
