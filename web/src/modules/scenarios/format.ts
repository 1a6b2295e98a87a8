import { useCallback } from 'react';
import { useDirection } from '@mantine/core';
import { useIntl } from 'react-intl';

/** A size in bytes as "34.6 kB" / "1.9 GB" in the user's language. */
export function useFormatBytes(): (bytes: number) => string {
  const intl = useIntl();
  return useCallback(
    (bytes: number) => {
      const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
      let value = bytes;
      let i = 0;
      while (value >= 1000 && i < units.length - 1) {
        value /= 1000;
        i++;
      }
      return intl.formatNumber(value, { style: 'unit', unit: units[i], unitDisplay: i === 0 ? 'long' : 'short', maximumFractionDigits: i === 0 ? 0 : value < 10 ? 1 : 0 });
    },
    [intl],
  );
}

/** A duration in minutes as "2 hours" / "1 hour 30 minutes" in the user's language. */
export function useFormatMinutes(): (minutes: number) => string {
  const intl = useIntl();
  return useCallback(
    (minutes: number) => {
      const total = Math.max(0, Math.round(minutes));
      const h = Math.floor(total / 60);
      const m = total % 60;
      const parts: string[] = [];
      if (h > 0) parts.push(intl.formatNumber(h, { style: 'unit', unit: 'hour', unitDisplay: 'long' }));
      if (m > 0 || h === 0) parts.push(intl.formatNumber(m, { style: 'unit', unit: 'minute', unitDisplay: 'long' }));
      return intl.formatList(parts, { type: 'unit', style: 'long' });
    },
    [intl],
  );
}

/** mantine-datatable aligns by physical side: numbers go to the end side, the left in Arabic. */
export function useEndAlign(): 'left' | 'right' {
  const { dir } = useDirection();
  return dir === 'rtl' ? 'left' : 'right';
}
