/**
 * Small building blocks shared by the administration pages (users,
 * organisations, audit, security): a URL-synced search box, the toolbar above
 * a table, server errors put back on form fields, and the side on which
 * drawers open.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, CloseButton, Group, Paper, Text, TextInput, useDirection } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import type { UseFormInput, UseFormReturnType } from '@mantine/form';
import { isApiError } from '../../core/api.ts';
import { translateSchemaText } from '../../core/validation.ts';
import type { Translate } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';

/**
 * A left-to-right value (e-mail, identifier) cut with an ellipsis when too
 * long: at its own end, on the right, also in an Arabic page, where it stays
 * aligned with the text around it.
 */
export function LtrTruncate({ children, maw, mono, size = 'sm', c }: { children: string; maw: number; mono?: boolean; size?: 'xs' | 'sm'; c?: string }) {
  const { dir } = useDirection();
  return (
    <Text size={size} c={c} ff={mono ? 'monospace' : undefined} truncate maw={maw} dir="ltr" ta={dir === 'rtl' ? 'right' : 'left'} title={children}>
      {children}
    </Text>
  );
}

/** A link the server gives as a path (`/reset-password/…`) made absolute, to be handed to someone. */
export function absoluteUrl(url: string): string {
  return url.startsWith('/') ? `${window.location.origin}${url}` : url;
}

type SearchFilterProps = {
  /** The value in the URL. */
  value: string | undefined;
  onChange: (value: string | null) => void;
  label: string;
  placeholder?: string;
  clearLabel: string;
  /** Left-to-right input (e-mail addresses). */
  ltr?: boolean;
};

/** A text filter: typed freely, written to the URL after a short pause (or on Enter). */
export function SearchFilter({ value, onChange, label, placeholder, clearLabel, ltr }: SearchFilterProps) {
  const [text, setText] = useState(value ?? '');
  const pushed = useRef(value ?? '');
  // A change from outside (Back, "clear filters") replaces what is typed.
  useEffect(() => {
    const v = value ?? '';
    if (v !== pushed.current) {
      pushed.current = v;
      setText(v);
    }
  }, [value]);
  const push = useDebouncedCallback((v: string) => {
    const trimmed = v.trim();
    if (trimmed === pushed.current) return;
    pushed.current = trimmed;
    onChange(trimmed || null);
  }, 350);

  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      value={text}
      type="search"
      dir={ltr ? 'ltr' : undefined}
      leftSection={<IconSearch size={16} aria-hidden />}
      onChange={(e) => {
        setText(e.currentTarget.value);
        push(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          push(e.currentTarget.value);
          push.flush();
        }
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label={clearLabel}
            onClick={() => {
              setText('');
              push('');
              push.flush();
            }}
          />
        ) : null
      }
    />
  );
}

type FiltersProps = {
  children: ReactNode;
  /** e.g. "12 users", announced politely when it changes. */
  summary?: ReactNode;
  /** Shown when at least one filter is set. */
  onClear?: (() => void) | undefined;
  clearLabel: string;
};

/** The filters of a list, in a bordered panel, with the count of results and a way to clear them. */
export function FiltersPanel({ children, summary, onClear, clearLabel }: FiltersProps) {
  return (
    <Paper withBorder p="md" mb="md" radius="md">
      {children}
      {summary || onClear ? (
        <Group justify="space-between" mt="sm" gap="sm" mih={30}>
          <Text size="sm" c="dimmed" aria-live="polite">
            {summary}
          </Text>
          {onClear ? (
            <Button variant="subtle" size="compact-sm" color="gray" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={onClear}>
              {clearLabel}
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Paper>
  );
}

/**
 * Form options: a field is checked when the user leaves it after changing it
 * (or while it shows an error), not when merely tabbing through. An error that
 * appears on blur of an untouched field would also move the Submit button
 * under the pointer between press and release, swallowing the click.
 */
export function validateChangedOnBlur<V>(): Pick<UseFormInput<V>, 'validateInputOnBlur' | 'enhanceGetInputProps'> {
  return {
    validateInputOnBlur: false,
    enhanceGetInputProps: ({ field, form, inputProps }) => {
      // Captured now: the returned props are merged into `inputProps` afterwards.
      const onBlur = inputProps.onBlur as ((e: unknown) => void) | undefined;
      return {
        onBlur: (event: unknown) => {
          onBlur?.(event);
          if (form.isDirty(field) || form.errors[field as string]) form.validateField(field);
        },
      };
    },
  };
}

/**
 * Puts a server refusal on the form's fields: `validation_failed` problems and
 * `conflict` answers that name a field (duplicate e-mail, duplicate name).
 * `known` translates the server's fixed texts ("already exists") per field.
 * Returns true when every problem found its field (and focuses the first one).
 */
export function placeServerErrors<V>(
  form: UseFormReturnType<V>,
  error: unknown,
  t: Translate,
  known: { conflicts?: Record<string, MessageId>; texts?: Record<string, MessageId> } = {},
): boolean {
  if (!isApiError(error) || (error.code !== 'validation_failed' && error.code !== 'conflict')) return false;
  const details = Array.isArray(error.details) ? error.details : [];
  const problems = details.flatMap((d): { path: string; message: string }[] => {
    if (!d || typeof d !== 'object') return [];
    const { path, message } = d as Record<string, unknown>;
    return typeof path === 'string' && typeof message === 'string' ? [{ path: path.replace(/^(body|query|params|querystring)(\.|$)/, ''), message }] : [];
  });
  if (problems.length === 0) return false;
  const values = form.getValues() as Record<string, unknown>;
  let placed = 0;
  let first: string | null = null;
  for (const { path, message } of problems) {
    const root = path.split('.')[0] ?? path;
    if (!path || !(root in values)) continue;
    const conflictId = error.code === 'conflict' ? known.conflicts?.[root] : undefined;
    const textId = known.texts?.[message];
    const text = conflictId ? t(conflictId) : textId ? t(textId) : (translateSchemaText(message, t) ?? t('validation.invalid'));
    form.setFieldError(path, text);
    first ??= path;
    placed++;
  }
  if (first) form.getInputNode(first as never)?.focus();
  return placed === problems.length;
}
