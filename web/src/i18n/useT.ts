import { useCallback } from 'react';
import { useIntl, type PrimitiveType } from 'react-intl';
import type { MessageId } from './message-ids.ts';

export type MessageValues = Record<string, PrimitiveType>;
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** `t('auth.signIn.title')`: a translated plain string, for props that need text (labels, titles, aria). */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback<Translate>((id, values) => String(intl.formatMessage({ id }, values)), [intl]);
}
