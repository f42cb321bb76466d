import type { UnreadCounts } from './client-events.js';

/**
 * The user's unread totals: set by the server (`connection.ok`, `notification.*`, markRead
 * answers) and moved by what the client sees live in watched channels, where the server
 * sends no notification.
 */
export class UnreadCounter {
  counts: UnreadCounts = { total_unread_count: 0, unread_channels: 0, total_unread_mentions: 0 };

  constructor(private readonly changed: (counts: UnreadCounts) => void) {}

  /** The server's totals; mentions stay as they were when not given. */
  set(total: number, channels: number, mentions = this.counts.total_unread_mentions): void {
    const { counts } = this;
    if (
      total === counts.total_unread_count &&
      channels === counts.unread_channels &&
      mentions === counts.total_unread_mentions
    ) {
      return;
    }
    this.counts = {
      total_unread_count: total,
      unread_channels: channels,
      total_unread_mentions: mentions,
    };
    this.changed(this.counts);
  }

  /** One channel's count went from `before` to `after`, and its mentions by `mentions`. */
  channelChanged(before: number, after: number, mentions = 0): void {
    const { counts } = this;
    this.set(
      Math.max(0, counts.total_unread_count + after - before),
      Math.max(0, counts.unread_channels + Number(after > 0) - Number(before > 0)),
      Math.max(0, counts.total_unread_mentions + mentions),
    );
  }
}
