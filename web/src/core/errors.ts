import { useCallback } from 'react';
import { isApiError, type ApiError, type ErrorCode } from './api.ts';
import { useT, type Translate } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/message-ids.ts';

const messageIds: Record<ErrorCode, MessageId> = {
  validation_failed: 'errors.validation_failed',
  bad_request: 'errors.bad_request',
  unauthenticated: 'errors.unauthenticated',
  invalid_credentials: 'errors.invalid_credentials',
  totp_invalid: 'errors.totp_invalid',
  second_factor_required: 'errors.second_factor_required',
  forbidden: 'errors.forbidden',
  csrf_failed: 'errors.csrf_failed',
  account_disabled: 'errors.account_disabled',
  not_found: 'errors.not_found',
  conflict: 'errors.conflict',
  payload_too_large: 'errors.payload_too_large',
  unsupported_media_type: 'errors.unsupported_media_type',
  too_many_requests: 'errors.too_many_requests',
  internal: 'errors.internal',
  unavailable: 'errors.unavailable',
  network: 'errors.network',
};

/** The translated text for any error: by code for ApiError, a generic text otherwise. */
export function errorText(t: Translate, error: unknown, overrides?: Partial<Record<ErrorCode, MessageId>>): string {
  if (!isApiError(error)) return t('errors.unexpected');
  const id = overrides?.[error.code] ?? messageIds[error.code];
  return t(id, errorValues(error));
}

/** Values the error messages may use: seconds to wait, the request id to quote to support. */
export function errorValues(error: ApiError): Record<string, string | number> {
  return { seconds: error.retryAfterSeconds ?? 60, requestId: error.requestId ?? '-' };
}

export function useErrorText(): (error: unknown, overrides?: Partial<Record<ErrorCode, MessageId>>) => string {
  const t = useT();
  return useCallback((error, overrides) => errorText(t, error, overrides), [t]);
}
