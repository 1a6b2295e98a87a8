import { EventEmitter } from 'node:events';
import type { Db } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { LiveEvent } from '../../core/events.ts';
import { resyncChannel } from '../../core/events-pg.ts';
import type { ScenarioDefinition } from '../scenarios/definition.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { byTime, fullCredit, itemKey, replay, Standings, type ScoreItem } from './rules.ts';

// The scoreboards, in memory. Each process keeps, per exercise in use, every
// item that counts (credits, hint unlocks, adjustments: a few per team and
// objective, never the submissions) and the standings derived from them,
// updated incrementally. A board is built from the database on first use and
// then follows the `scoreboard:<exerciseId>` channel of the event bus, on which
// every scoring write publishes its item after commit. Items carry keys, so an
// item heard twice (the writer applies its own at once, then hears it again
// from the bus) counts once. Other processes' items arrive over the bus
// transport (PostgreSQL LISTEN/NOTIFY); when the transport reconnects, events
// may have been missed, so every board is rebuilt from the database.

export const scoreboardChannel = (exerciseId: string) => `scoreboard:${exerciseId}`;

/** Told to the streams of this process after a board changed. `participants`: whether participants may hear of it. */
export type ScoreboardChange = { exerciseId: string; version: number; participants: boolean };

export type Board = {
  readonly exerciseId: string;
  readonly mode: 'competition' | 'training';
  readonly definition: ScenarioDefinition;
  readonly startedAt: string | null;
  /** In time order. */
  readonly items: ScoreItem[];
  /** Each team's items, in time order. */
  readonly byTeam: Map<string, ScoreItem[]>;
  readonly keys: Set<string>;
  readonly live: Standings;
  version: number;
  lastUsed: number;
  /** Items heard while the board was being read from the database. */
  pending: ScoreItem[] | null;
  /** Views derived from the items (rankings, series), with the version they were computed at (see `cached`). */
  cache: Map<string, CachedView>;
  /** The standings at the freeze, until an item from before it arrives. */
  frozen: { cutoff: string; standings: Standings } | null;
};

type Entry = { board: Board; ready: Promise<void>; unsubscribe: () => void };
type CachedView = { value: unknown; version: number; at: number; costMs: number };

/**
 * A view that took at least this long to compute is computed again at most once per
 * `notifyEveryMs` while the board changes (under play: a recomputation per read costs tens
 * of ms at 1,000 teams); cheaper ones are computed again at every change.
 */
export const costlyViewMs = 2;

const idleMs = 30 * 60 * 1000;
/** Streams hear of scoreboard changes at most this often (the last change always comes through). */
export const notifyEveryMs = 250;
// Versions grow across rebuilds, so that a client never mistakes a rebuilt board for an older one.
let versions = 0;

/** Every scoring item of an exercise, from the database. */
export async function loadItems(db: Db, exerciseId: string): Promise<ScoreItem[]> {
  const scores = await db.selectFrom('objective_scores').selectAll().where('exercise_id', '=', exerciseId).execute();
  // Earlier partial credit (e.g. 2 of 3 values of a set) counted until it grew: the frozen board and the chart need it.
  const partials = await db
    .selectFrom('submissions')
    .select(['team_id', 'objective_key', 'credit_permille', 'submitted_at'])
    .where('exercise_id', '=', exerciseId)
    .where('outcome', '=', 'partial')
    .orderBy('submitted_at')
    .execute();
  const hints = await db.selectFrom('hint_unlocks').selectAll().where('exercise_id', '=', exerciseId).execute();
  const adjustments = await db.selectFrom('score_adjustments').selectAll().where('exercise_id', '=', exerciseId).execute();
  const items: ScoreItem[] = [];
  const best = new Map<string, number>();
  const final = new Map(scores.map((s) => [`${s.team_id}\u0000${s.objective_key}`, s.credit_permille]));
  for (const p of partials) {
    const key = `${p.team_id}\u0000${p.objective_key}`;
    if (p.credit_permille <= (best.get(key) ?? 0) || p.credit_permille >= (final.get(key) ?? 0)) continue;
    best.set(key, p.credit_permille);
    items.push({ kind: 'credit', teamId: p.team_id, objectiveKey: p.objective_key, permille: p.credit_permille, at: p.submitted_at });
  }
  for (const s of scores) {
    items.push({ kind: 'credit', teamId: s.team_id, objectiveKey: s.objective_key, permille: s.credit_permille, at: s.credit_permille >= fullCredit && s.solved_at ? s.solved_at : s.updated_at });
  }
  for (const h of hints) items.push({ kind: 'hint', teamId: h.team_id, hintKey: h.hint_key, cost: h.cost, at: h.unlocked_at });
  for (const a of adjustments) items.push({ kind: 'adjustment', id: a.id, teamId: a.team_id, points: a.points, at: a.created_at });
  return items;
}

/** Items mostly arrive in time order: insert from the end. */
function insertInOrder(list: ScoreItem[], item: ScoreItem) {
  let i = list.length;
  while (i > 0 && byTime(list[i - 1]!, item) > 0) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
}

function isItem(value: unknown): value is ScoreItem {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || typeof v.teamId !== 'string' || typeof v.at !== 'string') return false;
  switch (v.kind) {
    case 'credit':
      return typeof v.objectiveKey === 'string' && typeof v.permille === 'number';
    case 'hint':
      return typeof v.hintKey === 'string' && typeof v.cost === 'number';
    case 'adjustment':
      return typeof v.id === 'string' && typeof v.points === 'number';
    default:
      return false;
  }
}

export class Scoreboards {
  private readonly ctx: AppContext;
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, number>();
  private readonly changes = new EventEmitter();
  private readonly offResync: () => void;

  constructor(ctx: AppContext) {
    this.ctx = ctx;
    this.changes.setMaxListeners(0);
    // Events may have been lost while the transport was down: start again from the database.
    this.offResync = ctx.events.subscribe(resyncChannel, () => this.invalidate());
  }

  /** The board of an exercise, built from the database on first use. */
  async get(exerciseId: string): Promise<Board> {
    this.evictIdle();
    let entry = this.entries.get(exerciseId);
    if (!entry) entry = this.open(exerciseId);
    await entry.ready;
    entry.board.lastUsed = Date.now();
    return entry.board;
  }

  private open(exerciseId: string): Entry {
    const entry = { board: null as unknown as Board, ready: null as unknown as Promise<void>, unsubscribe: () => {} };
    this.entries.set(exerciseId, entry);
    entry.ready = (async () => {
      const { db } = this.ctx.database;
      const exercise = await loadExercise(db, exerciseId);
      const definition = await definitionOf(this.ctx, undefined, exercise.scenario_id);
      const board: Board = {
        exerciseId,
        mode: exercise.mode,
        definition,
        startedAt: exercise.started_at,
        items: [],
        byTeam: new Map(),
        keys: new Set(),
        live: new Standings(definition),
        version: 0,
        lastUsed: Date.now(),
        pending: [],
        cache: new Map(),
        frozen: null,
      };
      entry.board = board;
      // Listen before reading, so that an item committed meanwhile is not missed (it may be heard twice: it counts once).
      entry.unsubscribe = this.ctx.events.subscribe(scoreboardChannel(exerciseId), (event) => this.hear(exerciseId, event));
      for (const item of (await loadItems(db, exerciseId)).sort(byTime)) this.add(board, item);
      for (const item of board.pending ?? []) this.add(board, item);
      board.pending = null;
      board.version = ++versions;
      // Forgotten while it was being read (invalidated): stop listening.
      if (this.entries.get(exerciseId) !== entry) entry.unsubscribe();
    })();
    entry.ready.catch(() => {
      entry.unsubscribe();
      if (this.entries.get(exerciseId) === entry) this.entries.delete(exerciseId);
    });
    return entry;
  }

  private hear(exerciseId: string, event: LiveEvent) {
    if (event.type !== 'scored') return;
    const { item, frozen } = event.data as { item?: unknown; frozen?: unknown };
    if (isItem(item)) this.apply(exerciseId, [item], { frozen: frozen === true });
  }

  private add(board: Board, item: ScoreItem): boolean {
    const key = itemKey(item);
    if (board.keys.has(key)) return false;
    board.keys.add(key);
    insertInOrder(board.items, item);
    const own = board.byTeam.get(item.teamId);
    if (own) insertInOrder(own, item);
    else board.byTeam.set(item.teamId, [item]);
    board.live.apply(item);
    if (board.frozen && item.at < board.frozen.cutoff) board.frozen = null;
    return true;
  }

  /** Applies items to the board, if this process has it in memory (else it will read them from the database). */
  apply(exerciseId: string, items: readonly ScoreItem[], meta: { frozen: boolean }): void {
    const entry = this.entries.get(exerciseId);
    if (!entry?.board) return;
    const board = entry.board;
    if (board.pending) {
      board.pending.push(...items);
      return;
    }
    let changed = false;
    for (const item of items) changed = this.add(board, item) || changed;
    if (!changed) return;
    board.version = ++versions;
    this.emit({ exerciseId, version: board.version, participants: board.mode === 'competition' && !meta.frozen });
  }

  /** The standings at `cutoff` (null: live), replayed once per freeze and kept until an earlier item arrives. */
  standingsAt(board: Board, cutoff: string | null): Standings {
    if (cutoff === null) return board.live;
    if (board.frozen?.cutoff !== cutoff) board.frozen = { cutoff, standings: replay(board.definition, board.items, cutoff, { seriesFor: new Set(), sorted: true }).standings };
    return board.frozen.standings;
  }

  /**
   * A value derived from the board, computed once per version of the board, and for costly
   * views at most once per `notifyEveryMs`: until then a reader may get the view of an earlier
   * version, with that version, but never one older than the last version the streams were told
   * of (a client that heard of a change reads it) nor than `minVersion` (the reader's own last
   * scoring write in this process: a writer's next read sees its change).
   */
  cached<T>(board: Board, key: string, compute: () => T, minVersion = 0): { value: T; version: number } {
    const now = Date.now();
    const hit = board.cache.get(key);
    if (hit) {
      const fresh = hit.version === board.version;
      const recentEnough = hit.costMs >= costlyViewMs && now - hit.at < notifyEveryMs && hit.version >= minVersion && hit.version >= (this.notified.get(board.exerciseId) ?? 0);
      if (fresh || recentEnough) return { value: hit.value as T, version: hit.version };
    }
    const version = board.version;
    const started = performance.now();
    const value = compute();
    for (const [k, v] of board.cache) if (v.version !== version && now - v.at >= notifyEveryMs) board.cache.delete(k);
    board.cache.set(key, { value, version, at: now, costMs: performance.now() - started });
    return { value, version };
  }

  private readonly notified = new Map<string, number>();
  private readonly written = new Map<string, number>();

  /** Remembers that this user's scoring write made this version (see `cached`). */
  wrote(exerciseId: string, userId: string): void {
    const board = this.entries.get(exerciseId)?.board;
    if (!board) return;
    if (this.written.size >= 100_000) this.written.clear();
    this.written.set(`${exerciseId}:${userId}`, board.version);
  }

  /** The version of the user's last scoring write in this process (0: none). */
  lastWrite(exerciseId: string, userId: string): number {
    return this.written.get(`${exerciseId}:${userId}`) ?? 0;
  }

  private tell(change: ScoreboardChange) {
    this.notified.set(change.exerciseId, Math.max(change.version, this.notified.get(change.exerciseId) ?? 0));
    this.changes.emit(change.exerciseId, change);
  }

  /** Calls the listener after each change of the exercise's board; keeps the board in memory meanwhile. */
  watch(exerciseId: string, listener: (change: ScoreboardChange) => void): () => void {
    this.watchers.set(exerciseId, (this.watchers.get(exerciseId) ?? 0) + 1);
    this.changes.on(exerciseId, listener);
    void this.get(exerciseId).catch(() => {});
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.changes.off(exerciseId, listener);
      const n = (this.watchers.get(exerciseId) ?? 1) - 1;
      if (n > 0) this.watchers.set(exerciseId, n);
      else this.watchers.delete(exerciseId);
    };
  }

  private readonly throttled = new Map<string, { lastAt: number; waiting: ScoreboardChange | null; timer: NodeJS.Timeout | null }>();

  /** Tells the streams, at most once per `notifyEveryMs` per exercise; the latest change always comes through. */
  private emit(change: ScoreboardChange) {
    const t = this.throttled.get(change.exerciseId) ?? { lastAt: 0, waiting: null, timer: null };
    this.throttled.set(change.exerciseId, t);
    const merged = t.waiting ? { ...change, participants: change.participants || t.waiting.participants } : change;
    const wait = t.lastAt + notifyEveryMs - Date.now();
    if (wait <= 0 && !t.timer) {
      t.lastAt = Date.now();
      t.waiting = null;
      this.tell(merged);
      return;
    }
    t.waiting = merged;
    t.timer ??= setTimeout(() => {
      t.timer = null;
      t.lastAt = Date.now();
      const waiting = t.waiting;
      t.waiting = null;
      if (waiting) this.tell(waiting);
    }, Math.max(0, wait));
    t.timer.unref();
  }

  /** Forgets every board (or one); boards that streams watch are rebuilt at once. */
  invalidate(exerciseId?: string): void {
    for (const [id, entry] of [...this.entries]) {
      if (exerciseId && id !== exerciseId) continue;
      entry.unsubscribe();
      this.entries.delete(id);
      if (this.watchers.has(id)) {
        void this.get(id)
          .then((board) => this.emit({ exerciseId: id, version: board.version, participants: false }))
          .catch(() => {});
      }
    }
  }

  private evictIdle() {
    const cutoff = Date.now() - idleMs;
    for (const [id, entry] of this.entries) {
      if (entry.board && !entry.board.pending && entry.board.lastUsed < cutoff && !this.watchers.has(id)) {
        entry.unsubscribe();
        this.entries.delete(id);
      }
    }
  }

  close(): void {
    this.offResync();
    for (const t of this.throttled.values()) if (t.timer) clearTimeout(t.timer);
    this.throttled.clear();
    for (const entry of this.entries.values()) entry.unsubscribe();
    this.entries.clear();
    this.changes.removeAllListeners();
  }
}

// One set of boards per running app (a test may run two apps in one process).
const registry = new WeakMap<AppContext, Scoreboards>();
export function scoreboardsOf(ctx: AppContext): Scoreboards {
  let boards = registry.get(ctx);
  if (!boards) {
    boards = new Scoreboards(ctx);
    registry.set(ctx, boards);
  }
  return boards;
}

/** A scoring item written in a committed transaction, and whether the scoreboard was frozen for participants then. */
export type ScoreChange = { exerciseId: string; item: ScoreItem; frozen: boolean };

/**
 * After commit: applies the changes to this process's boards at once (so the
 * writer reads its own write) and publishes them to every process. Payloads
 * stay small (ids, keys and numbers), well under the 8000 bytes of a NOTIFY.
 */
export function publishScoreChanges(ctx: AppContext, changes: readonly ScoreChange[], writerUserId?: string): void {
  const boards = scoreboardsOf(ctx);
  for (const change of changes) {
    boards.apply(change.exerciseId, [change.item], { frozen: change.frozen });
    if (writerUserId) boards.wrote(change.exerciseId, writerUserId);
    ctx.events.publish({ channel: scoreboardChannel(change.exerciseId), type: 'scored', data: { item: change.item, frozen: change.frozen } });
  }
}
