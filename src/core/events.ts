import { EventEmitter } from 'node:events';

// Live events fan out to the server-sent-event streams of every process. The
// in-process bus serves the embedded platform; with several processes on one
// PostgreSQL, a transport (LISTEN/NOTIFY) carries each event to the others.
export type LiveEvent = {
  /** e.g. `exercise:<id>` (staff and every team) or `team:<id>` (one team only). */
  channel: string;
  type: string;
  data: Record<string, unknown>;
};

export type EventTransport = {
  send: (event: LiveEvent) => Promise<void>;
  /** Delivers events published by other processes. */
  onReceive: (deliver: (event: LiveEvent) => void) => Promise<void>;
  close: () => Promise<void>;
};

export class EventBus {
  private readonly local = new EventEmitter();
  private transport: EventTransport | null = null;

  constructor() {
    this.local.setMaxListeners(0);
  }

  async useTransport(transport: EventTransport): Promise<void> {
    this.transport = transport;
    await transport.onReceive((event) => this.deliver(event));
  }

  /** Publish after the change is committed, so that nobody hears of a change that rolled back. */
  publish(event: LiveEvent): void {
    if (this.transport) void this.transport.send(event).catch(() => this.deliver(event));
    else this.deliver(event);
  }

  subscribe(channel: string, listener: (event: LiveEvent) => void): () => void {
    this.local.on(channel, listener);
    return () => this.local.off(channel, listener);
  }

  private deliver(event: LiveEvent): void {
    this.local.emit(event.channel, event);
  }

  async close(): Promise<void> {
    await this.transport?.close();
    this.local.removeAllListeners();
  }
}
