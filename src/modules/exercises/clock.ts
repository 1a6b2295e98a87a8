// The exercise clock, as pure functions. Game time stops while the exercise is
// paused, so deadlines move by the length of each pause; a team may also get
// extra time of its own (e.g. after losing connectivity).
export type ClockState = {
  status: 'draft' | 'running' | 'paused' | 'ended';
  startedAt: string | null;
  pausedAt: string | null;
  pausedSeconds: number;
  extendedSeconds: number;
  durationMinutes: number;
  endedAt: string | null;
};

export type Phase = 'not_started' | 'running' | 'paused' | 'ended';

const seconds = (from: string, to: Date) => Math.max(0, (to.getTime() - new Date(from).getTime()) / 1000);

/** Game seconds elapsed: wall time since start, less the pauses. */
export function gameSeconds(c: ClockState, now: Date): number {
  if (!c.startedAt) return 0;
  const until = c.status === 'ended' && c.endedAt ? new Date(c.endedAt) : c.status === 'paused' && c.pausedAt ? new Date(c.pausedAt) : now;
  return Math.max(0, seconds(c.startedAt, until) - c.pausedSeconds);
}

export const deadlineSeconds = (c: ClockState, extraSeconds = 0) => c.durationMinutes * 60 + c.extendedSeconds + extraSeconds;

export function phaseOf(c: ClockState, now: Date, extraSeconds = 0): Phase {
  if (c.status === 'draft' || !c.startedAt) return 'not_started';
  if (c.status === 'ended') return 'ended';
  if (gameSeconds(c, now) >= deadlineSeconds(c, extraSeconds)) return 'ended';
  return c.status === 'paused' ? 'paused' : 'running';
}

export function remainingSeconds(c: ClockState, now: Date, extraSeconds = 0): number {
  if (!c.startedAt) return deadlineSeconds(c, extraSeconds);
  return Math.max(0, deadlineSeconds(c, extraSeconds) - gameSeconds(c, now));
}

/** When the team's time runs out on the wall clock, if the clock is running. */
export function endsAt(c: ClockState, now: Date, extraSeconds = 0): string | null {
  if (phaseOf(c, now, extraSeconds) !== 'running') return null;
  return new Date(now.getTime() + remainingSeconds(c, now, extraSeconds) * 1000).toISOString();
}

/** When a game-time offset is reached on the wall clock (null while paused or before start). */
export function wallTimeOf(c: ClockState, now: Date, gameOffsetSeconds: number): Date | null {
  if (c.status !== 'running' || !c.startedAt) return null;
  return new Date(now.getTime() + (gameOffsetSeconds - gameSeconds(c, now)) * 1000);
}
