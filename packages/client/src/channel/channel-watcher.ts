import { ChatError, PAGE } from '@parley/protocol/codes';
import type { ChannelEvent, GetEventsResponse, WatchResult } from '@parley/protocol';
import type { RequestFrame } from '../connection/request-tracker.js';
import type { ChannelContext } from './channel-context.js';
import { EventSequencer } from './event-sequencer.js';

/** What the watcher needs from its channel. */
export interface ChannelWatcherOptions {
  ctx: Pick<ChannelContext, 'request' | 'connected' | 'retryDelay' | 'error'>;
  /** The channel's cid; undefined for a distinct channel until it is created. */
  cid(): string | undefined;
  /** Gets or creates the channel on the server. */
  create(): Promise<void>;
  /** True while the channel is watched. */
  watching(): boolean;
  /** A `channel.watch` answered: `full` with its messages (a first watch), else a resync. */
  answered(result: WatchResult, full: boolean): void;
  /** Applies the channel's next event; `live` when it came pushed, not fetched. */
  apply(event: ChannelEvent, live: boolean): void;
  /** Catching up failed for good (removed or deleted meanwhile): the channel stops watching. */
  stop(): void;
  /** True once the session ended. */
  disposed(): boolean;
}

/**
 * Keeps a watched channel current: the `channel.watch` request, its events in seq order,
 * the catch-up after a reconnect, and another try when catching up failed.
 */
export class ChannelWatcher {
  private readonly sequencer: EventSequencer;
  private watching: Promise<void> | null = null;
  /** A catch-up that failed for a temporary reason is tried again (see `catchUpFailed`). */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;

  constructor(private readonly options: ChannelWatcherOptions) {
    this.sequencer = new EventSequencer({
      fetch: (sinceSeq) =>
        options.ctx.request<GetEventsResponse>({
          type: 'channel.events',
          cid: options.cid()!,
          since_seq: sinceSeq,
          limit: PAGE.eventsMax,
        }),
      apply: (event, live) => options.apply(event, live),
      failed: (error) => this.catchUpFailed(error),
    });
  }

  /** True while watched or a watch request is in flight: the channel's events count. */
  get active(): boolean {
    return this.options.watching() || this.watching !== null;
  }

  /** Starts watching; calls while a watch is in flight share it. */
  watch(messageLimit: number | undefined): Promise<void> {
    this.watching ??= this.start(messageLimit).finally(() => (this.watching = null));
    return this.watching;
  }

  /** A live event of the channel. */
  push(event: ChannelEvent): void {
    this.sequencer.push(event);
  }

  /** After a reconnect: watch again, then apply every event missed meanwhile. */
  async resync(): Promise<void> {
    const cid = this.options.cid();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.options.watching() || cid === undefined || this.watching !== null) return;
    this.sequencer.hold();
    try {
      // No messages: what was missed comes from the event log, in order.
      const result = await this.options.ctx.request<WatchResult>({
        type: 'channel.watch',
        cid,
        message_limit: 0,
      });
      this.options.answered(result, false);
      const synced = this.sequencer.sync(true);
      this.sequencer.unhold();
      await synced;
      this.retries = 0;
    } catch (error) {
      this.sequencer.reset();
      this.catchUpFailed(error);
    }
  }

  /** The channel stopped watching: no more catching up, held events dropped. */
  stopped(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.sequencer.reset();
  }

  /** The channel was deleted: one created again under this cid starts again at seq 1. */
  deleted(): void {
    this.sequencer.lastSeq = 0;
  }

  private async start(messageLimit: number | undefined): Promise<void> {
    if (this.options.cid() === undefined) await this.options.create();
    this.sequencer.hold();
    try {
      const result = await this.request(messageLimit).catch(async (error: unknown) => {
        if (!(error instanceof ChatError && error.code === 'channel_not_found')) throw error;
        await this.options.create();
        return this.request(messageLimit);
      });
      this.options.answered(result, true);
      this.sequencer.lastSeq = result.channel.last_seq;
    } catch (error) {
      this.sequencer.reset();
      throw error;
    }
    const synced = this.sequencer.sync(false);
    this.sequencer.unhold();
    // Watching worked; a gap that cannot be fetched now is tried again.
    await synced.catch((error: unknown) => this.catchUpFailed(error));
  }

  private request(messageLimit: number | undefined): Promise<WatchResult> {
    const frame: RequestFrame = { type: 'channel.watch', cid: this.options.cid()! };
    if (messageLimit !== undefined) frame.message_limit = messageLimit;
    return this.options.ctx.request<WatchResult>(frame);
  }

  /**
   * Catching up failed. Removed or deleted meanwhile: stop. A temporary failure (a late
   * answer, say) on a live link is tried again after a backoff, since no new event may come
   * to reveal the gap; after a lost link, the reconnect tries again.
   */
  private catchUpFailed(error: unknown): void {
    if (error instanceof ChatError && !error.retryable) {
      this.options.stop();
      this.options.ctx.error(error);
      return;
    }
    if (this.options.disposed() || !this.options.ctx.connected() || this.retryTimer !== undefined) {
      return;
    }
    this.retryTimer = setTimeout(
      () => void this.resync(),
      this.options.ctx.retryDelay(this.retries++),
    );
  }
}
