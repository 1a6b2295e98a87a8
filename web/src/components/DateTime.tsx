import { Tooltip } from '@mantine/core';
import { FormattedDate, FormattedRelativeTime, useIntl } from 'react-intl';

type Props = { value: string | Date | null | undefined; fallback?: React.ReactNode };

const full: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'long' };

/** A date and time in the user's language and time zone, e.g. "12 Mar 2026, 14:05". */
export function DateTime({ value, fallback = '—' }: Props) {
  const intl = useIntl();
  if (!value) return <>{fallback}</>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{fallback}</>;
  return (
    <time dateTime={date.toISOString()} title={intl.formatDate(date, full)}>
      <FormattedDate value={date} dateStyle="medium" timeStyle="short" />
    </time>
  );
}

/** A calendar date only, e.g. "12 March 2026". */
export function DateOnly({ value, fallback = '—' }: Props) {
  if (!value) return <>{fallback}</>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{fallback}</>;
  return (
    <time dateTime={date.toISOString()}>
      <FormattedDate value={date} dateStyle="long" />
    </time>
  );
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** The unit and whole value to say how far `date` is from `now` ("3 hours ago", "in 2 days"). */
export function relativeParts(date: Date, now = Date.now()): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') {
      if (unit === 'second' && abs < 45) return { value: 0, unit: 'second' };
      return { value: Math.round(seconds / size), unit };
    }
  }
  return { value: 0, unit: 'second' };
}

/** "3 hours ago", with the exact date and time on hover and for assistive technology. */
export function RelativeTime({ value, fallback = '—' }: Props) {
  const intl = useIntl();
  if (!value) return <>{fallback}</>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{fallback}</>;
  const { value: amount, unit } = relativeParts(date);
  const exact = intl.formatDate(date, full);
  return (
    <Tooltip label={exact} withArrow openDelay={300}>
      <time dateTime={date.toISOString()}>
        <FormattedRelativeTime value={amount} unit={unit} numeric="auto" updateIntervalInSeconds={unit === 'second' || unit === 'minute' ? 60 : undefined} />
      </time>
    </Tooltip>
  );
}
