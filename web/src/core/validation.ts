/**
 * Translating zod issues into the user's language. Pure (no React), so it is
 * unit-tested. zod's own locale (set with z.config on language change) reads
 * like a type checker ("expected string to have >=12 characters"); the common
 * cases get a sentence from our catalogue instead, and zod's localised text is
 * the fallback.
 */
import type { z } from 'zod';
import type { MessageId } from '../i18n/message-ids.ts';
import type { MessageValues } from '../i18n/useT.ts';

type Translate = (id: MessageId, values?: MessageValues) => string;
type Issue = z.core.$ZodIssue;

/**
 * Fixed English texts written into the shared schemas (src/modules/**\/schemas.ts)
 * with `.regex(…, 'text')` or `.refine(…, 'text')`, and what they mean. The server
 * sends the same texts in `validation_failed` details.
 */
const schemaTexts: Record<string, MessageId> = {
  'must be 6 digits': 'validation.totpCode',
  'not an INTERPOL member country code': 'validation.countryCode',
  'cannot be in the future': 'validation.notInFuture',
  'roles must not repeat': 'validation.noDuplicates',
  'nothing to update': 'validation.nothingToUpdate',
  // Client-side only: the "type it again" check of password forms.
  'passwords do not match': 'validation.passwordsDiffer',
};

/** A known fixed text from a schema, translated; undefined otherwise. */
export function translateSchemaText(message: string, t: Translate): string | undefined {
  const id = schemaTexts[message];
  return id ? t(id) : undefined;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

export function issueMessage(issue: Issue, t: Translate, value?: unknown): string {
  const known = translateSchemaText(issue.message, t);
  if (known) return known;
  if (issue.code !== 'custom' && isEmpty(value) && issue.path.length > 0) {
    return Array.isArray(value) ? t('validation.chooseAtLeastOne') : t('validation.required');
  }
  switch (issue.code) {
    case 'invalid_type':
      return t('validation.required');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? t('validation.required') : t('validation.minLength', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { min });
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return t('validation.minNumber', { min });
      break;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation.maxLength', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { max });
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return t('validation.maxNumber', { max });
      break;
    }
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      if (issue.format === 'date' || issue.format === 'datetime') return t('validation.date');
      return t('validation.invalid');
    case 'invalid_value':
      return t('validation.choose');
    case 'not_multiple_of':
      return t('validation.wholeNumber');
    default:
      break;
  }
  return issue.message;
}

function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = values;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Form errors keyed by Mantine form path (`roles.0`), first problem per field. */
export function validateWith(schema: z.ZodType, values: unknown, t: Translate): Record<string, string> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (!(path in errors)) errors[path] = issueMessage(issue, t, valueAt(values, issue.path));
  }
  return errors;
}
