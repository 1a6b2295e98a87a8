// The messages between the app's process and its stream process (stream-relay.ts ↔ stream-process.ts).

export type RelayedEvent = { channel: string; type: string; data: Record<string, unknown> };
export type RelayedBoard = { exerciseId: string; version: number; participants: boolean };

export type ToRelay =
  /** With the connection's socket: write the response head, then `ready`, then what `channels` and the exercise's boards carry. */
  | { t: 'open'; id: number; exerciseId: string; channels: string[]; allBoards: boolean; headers: Record<string, string>; ready: Record<string, unknown>; heartbeatMs: number }
  | { t: 'events'; events: RelayedEvent[]; boards: RelayedBoard[] }
  | { t: 'close'; ids: number[] }
  | { t: 'closeAll' };

export type FromRelay = { t: 'up' } | { t: 'closed'; ids: number[] } | { t: 'closedAll' };
