import type { Channel, ServerEvent } from '@parley/protocol';
import type { ServiceContext } from '../services/context.js';
import type { UserService } from '../services/user-service.js';
import type { Connection } from './connection.js';

type MessageNew = Extract<ServerEvent, { type: 'message.new' }>;

interface Pending {
  connections: Connection[];
  event: MessageNew;
  channel: Channel;
  /** The message mentions the user: a `notification.mention` too. */
  mentioned: boolean;
}

/** A user's notifications waiting for their unread counts. */
interface UserQueue {
  notes: Pending[];
  busy: boolean;
}

/**
 * Sends `notification.message_new` to a member's connections that do not watch the
 * channel. Each carries the member's unread counts, and counting takes a query: the
 * notifications of one user that come together (the messages of one stored batch, say)
 * share one, and carry the counts after the last of them. A user's queries run one after
 * another, so the counts a client sees never go back because two answers crossed.
 */
export class MessageNotifier {
  private readonly queues = new Map<string, UserQueue>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
  ) {}

  notify(
    userId: string,
    connections: Connection[],
    event: MessageNew,
    channel: Channel,
    mentioned = false,
  ): void {
    let queue = this.queues.get(userId);
    if (queue === undefined) {
      queue = { notes: [], busy: false };
      this.queues.set(userId, queue);
    }
    queue.notes.push({ connections, event, channel, mentioned });
    // After this turn's I/O, so that the rest of a batch joins; a busy queue takes it next.
    if (!queue.busy && queue.notes.length === 1) {
      const scheduled = queue;
      setImmediate(() => void this.drain(userId, scheduled));
    }
  }

  private async drain(userId: string, queue: UserQueue): Promise<void> {
    queue.busy = true;
    while (queue.notes.length > 0) {
      const notes = queue.notes;
      queue.notes = [];
      try {
        await this.send(userId, notes);
      } catch (err) {
        this.ctx.logger.error({ err, userId }, 'notification failed');
      }
    }
    this.queues.delete(userId);
  }

  private async send(userId: string, notes: readonly Pending[]): Promise<void> {
    const { access } = this.ctx;
    const [unread, restrictions, blocked, muted] = await Promise.all([
      this.users.unread(userId),
      access.activeRestrictions(userId),
      access.blockedBy(userId),
      access.mutedChannelsOf(userId),
    ]);
    let sent = 0;
    let mentions = 0;
    for (const { connections, event, channel, mentioned } of notes) {
      // Nothing of a channel the user is banned from, nor from a user they blocked.
      if (restrictions.some((r) => r.kind === 'ban' && r.cid === event.cid)) continue;
      const author = event.message.user_id;
      if (author !== null && blocked.has(author)) continue;
      const counts = unread.channels.find((c) => c.cid === event.cid);
      const data = JSON.stringify({
        type: 'notification.message_new',
        cid: event.cid,
        created_at: event.created_at,
        channel,
        message: event.message,
        unread_count: counts?.unread_count ?? 0,
        total_unread_count: unread.total_unread_count,
        unread_channels: unread.unread_channels,
      } satisfies ServerEvent);
      // A reply kept in its thread counts as unread for nobody: only a mention of it is told.
      const { parent_id: parent, show_in_channel: shown } = event.message;
      if (parent === null || shown) {
        for (const connection of connections) if (connection.sendRaw(data)) sent++;
      }
      // A muted channel raises no mention alert (its messages still update channel lists).
      if (!mentioned || muted.has(event.cid)) continue;
      const mention = JSON.stringify({
        type: 'notification.mention',
        cid: event.cid,
        created_at: event.created_at,
        channel,
        message: event.message,
        unread_mentions: counts?.unread_mentions ?? 0,
        total_unread_mentions: unread.total_unread_mentions,
      } satisfies ServerEvent);
      for (const connection of connections) if (connection.sendRaw(mention)) mentions++;
    }
    this.ctx.metrics.eventsFannedOut.inc({ type: 'notification.message_new' }, sent);
    if (mentions > 0)
      this.ctx.metrics.eventsFannedOut.inc({ type: 'notification.mention' }, mentions);
  }
}
