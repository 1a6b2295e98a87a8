// Reply-time figures of the advice desk, pure so they can be tested alone.

/** Seconds from `from` to `to` (ISO-8601), never negative. */
export const secondsBetween = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * The q-quantile (0..1) of the values by the nearest-rank method: the smallest
 * value such that at least q of the values are at or below it. The median of an
 * even count is the mean of the two middle values, as people expect it.
 */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (q === 0.5) {
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export const median = (values: number[]) => quantile(values, 0.5);
export const p90 = (values: number[]) => quantile(values, 0.9);
