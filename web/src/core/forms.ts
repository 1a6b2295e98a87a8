/**
 * Forms: Mantine's useForm, validated on the client by the same zod schema
 * the server uses (imported from @modules), with messages in the user's
 * language; and the server's `validation_failed` answer put back on the fields.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useForm, type UseFormInput, type UseFormReturnType } from '@mantine/form';
import type { z } from 'zod';
import { useT } from '../i18n/useT.ts';
import { fieldErrorsOf, isApiError } from './api.ts';
import { translateSchemaText, validateWith } from './validation.ts';

type Options<V> = Omit<UseFormInput<V>, 'validate'> & { initialValues: V };

/** useForm validated by a zod schema (`schema` checks the whole values object). */
export function useZodForm<V extends Record<string, unknown>>(schema: z.ZodType, options: Options<V>): UseFormReturnType<V> {
  const t = useT();
  const tRef = useRef(t);
  tRef.current = t;
  const schemaRef = useRef(schema);
  schemaRef.current = schema;
  // One validate function for the form's life: Mantine's callbacks (setFieldValue…) change
  // identity with it, and effects that depend on them would run at every render.
  const validate = useCallback((values: V) => validateWith(schemaRef.current, values, tRef.current), []);
  // Errors show on submit and clear as the field is corrected. Checking on blur
  // made an empty form's "required" errors push the submit button away from
  // under the pointer, losing the click.
  const form = useForm<V>({
    validateInputOnBlur: false,
    ...options,
    validate,
  });

  // After a language switch, re-word the errors on display.
  const formRef = useRef(form);
  formRef.current = form;
  useEffect(() => {
    const f = formRef.current;
    for (const path of Object.keys(f.errors)) f.validateField(path);
  }, [t]);

  // A submit that fails validation moves focus to the first field in error.
  const onSubmit: typeof form.onSubmit = (handleSubmit, handleFailure) =>
    form.onSubmit(handleSubmit, (errors, values, event) => {
      const first = Object.keys(errors)[0];
      if (first) form.getInputNode(first as never)?.focus();
      handleFailure?.(errors, values, event);
    });

  return { ...form, onSubmit };
}

/**
 * Puts a `validation_failed` answer on the form's fields. Returns true when
 * every problem found a field; false when the caller must show the error.
 */
export function applyServerErrors<V>(form: UseFormReturnType<V>, error: unknown, t: ReturnType<typeof useT>): boolean {
  if (!isApiError(error) || error.code !== 'validation_failed') return false;
  const errors = fieldErrorsOf(error);
  const values = form.getValues() as Record<string, unknown>;
  let placed = 0;
  const entries = Object.entries(errors);
  for (const [path, message] of entries) {
    const root = path.split('.')[0] ?? path;
    if (!(root in values)) continue;
    form.setFieldError(path, translateSchemaText(message, t) ?? message);
    placed++;
  }
  return entries.length > 0 && placed === entries.length;
}
