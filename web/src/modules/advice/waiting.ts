import { useEffect, useState } from 'react';

/** A duration as the queue shows it: "45 s", "12:05", "1:02:05" (digits and colons read the same in every language). */
export function formatWaiting(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Seconds from `from` to the server's now, where `skewMs` is the server's clock minus ours. */
export const secondsSince = (from: string, nowMs: number, skewMs: number): number => Math.max(0, Math.floor((nowMs + skewMs - Date.parse(from)) / 1000));

/** The current time, once a second, so waiting times tick. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
