import type { ChannelEvent, GetEventsResponse } from '@parley/protocol';
import { seqPosition } from './channel-state.js';

/** What the sequencer needs from its channel. */
export interface EventSequencerOptions {
  /** The channel's events after `sinceSeq` (`channel.events`). */
  fetch(sinceSeq: number): Promise<Pick<GetEventsResponse, 'events' | 'has_more'>>;
  /** Applies the next event; `live` when it came pushed, not fetched. */
  apply(event: ChannelEvent, live: boolean): void;
  /** Fetching a gap failed; the held events wait for the next sync. */
  failed(error: unknown): void;
}

/**
 * Applies one channel's events in seq order, each exactly once (docs/protocol.md,
 * Recovery): the next seq is applied, an older one dropped, and a gap fetched from the
 * event log first. While it syncs, live events are held and applied after, in order.
 */
export class EventSequencer {
  /** The highest seq applied. */
  lastSeq = 0;
  private held: ChannelEvent[] = [];
  /** Holders: a watch request in flight, a sync under way. Live events wait while any. */
  private holds = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: EventSequencerOptions) {}

  /** A live event. */
  push(event: ChannelEvent): void {
    if (this.holds > 0) {
      this.held.push(event);
      return;
    }
    // A seq at or below lastSeq was applied already and is dropped.
    const position = seqPosition(this.lastSeq, event.seq);
    if (position === 'next') this.applyNext(event, true);
    else if (position === 'gap') {
      this.held.push(event);
      this.sync(true).catch((error: unknown) => this.options.failed(error));
    }
  }

  /** Holds live events (while a watch request is in flight); `unhold` after `sync`. */
  hold(): void {
    this.holds += 1;
  }

  unhold(): void {
    this.holds = Math.max(0, this.holds - 1);
  }

  /** Drops held events and holds (the channel stopped watching). */
  reset(): void {
    this.held = [];
    this.holds = 0;
  }

  /**
   * Brings the channel up to date: fetches what follows `lastSeq` when `fetchFirst` (after
   * a reconnect), applies held events that follow on, and fetches while one is missing.
   * Syncs run one after another.
   */
  sync(fetchFirst: boolean): Promise<void> {
    this.holds += 1;
    const run = this.running.then(() => this.run(fetchFirst)).finally(() => this.unhold());
    this.running = run.catch(() => {});
    return run;
  }

  private async run(fetchFirst: boolean): Promise<void> {
    if (fetchFirst) await this.fetchAll();
    // A gap the log cannot fill yet would loop; the next live event tries again.
    while (!this.drain() && (await this.fetchAll()));
  }

  /** Fetches and applies every event after `lastSeq`; true when something was applied. */
  private async fetchAll(): Promise<boolean> {
    const from = this.lastSeq;
    for (;;) {
      const page = await this.options.fetch(this.lastSeq);
      for (const event of page.events) {
        if (event.seq > this.lastSeq) this.applyNext(event, false);
      }
      if (!page.has_more || page.events.length === 0) return this.lastSeq > from;
    }
  }

  /** Applies held events that follow on; false when a gap is left. */
  private drain(): boolean {
    this.held.sort((a, b) => a.seq - b.seq);
    while (this.held.length > 0) {
      const event = this.held[0]!;
      const position = seqPosition(this.lastSeq, event.seq);
      if (position === 'gap') return false;
      this.held.shift();
      if (position === 'next') this.applyNext(event, true);
    }
    return true;
  }

  private applyNext(event: ChannelEvent, live: boolean): void {
    this.lastSeq = event.seq;
    this.options.apply(event, live);
  }
}
