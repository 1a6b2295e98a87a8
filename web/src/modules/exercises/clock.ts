/**
 * The exercise clock on the client. The server says how many seconds remain
 * when it answered; the countdown runs from the moment the answer arrived, so
 * a wrong clock on the user's computer does not matter.
 */
import { useEffect, useState } from 'react';

export type ClockLike = { phase: 'not_started' | 'running' | 'paused' | 'ended'; remainingSeconds: number };

/** Seconds left at `now`, given the clock the server sent at `receivedAt` (ms). */
export function secondsLeft(clock: ClockLike, receivedAt: number, now: number): number {
  if (clock.phase === 'ended') return 0;
  if (clock.phase !== 'running') return Math.max(0, Math.round(clock.remainingSeconds));
  return Math.max(0, Math.ceil(clock.remainingSeconds - (now - receivedAt) / 1000));
}

/** `5025` → `{ hours: 1, minutes: 23, seconds: 45 }` */
export function splitSeconds(total: number): { hours: number; minutes: number; seconds: number } {
  const s = Math.max(0, Math.floor(total));
  return { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

/** How urgent the remaining time is, to colour the clock. */
export function urgency(seconds: number, phase: ClockLike['phase']): 'calm' | 'soon' | 'urgent' | 'over' {
  if (phase === 'ended' || (phase === 'running' && seconds <= 0)) return 'over';
  if (phase !== 'running') return 'calm';
  if (seconds <= 5 * 60) return 'urgent';
  if (seconds <= 15 * 60) return 'soon';
  return 'calm';
}

/** Re-renders every second while the clock runs; returns the seconds left. */
export function useCountdown(clock: ClockLike | undefined, receivedAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  const running = clock?.phase === 'running';
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running, receivedAt]);
  return clock ? secondsLeft(clock, receivedAt, running ? now : receivedAt) : 0;
}
