import type { UnreadCounts } from './client-events.js';

/**
 * The user's unread totals: set by the server (`connection.ok`, `notification.*`, markRead
 * answers) and moved by what the client sees live in watched channels, where the server
 * sends no notification.
 */
export class UnreadCounter {
  counts: UnreadCounts = { total_unread_count: 0, unread_channels: 0 };

  constructor(private readonly changed: (counts: UnreadCounts) => void) {}

  set(total: number, channels: number): void {
    const { counts } = this;
    if (total === counts.total_unread_count && channels === counts.unread_channels) return;
    this.counts = { total_unread_count: total, unread_channels: channels };
    this.changed(this.counts);
  }

  /** One channel's count went from `before` to `after`. */
  channelChanged(before: number, after: number): void {
    const { total_unread_count: total, unread_channels: channels } = this.counts;
    this.set(
      Math.max(0, total + after - before),
      Math.max(0, channels + Number(after > 0) - Number(before > 0)),
    );
  }
}
