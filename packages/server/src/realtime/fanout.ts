import type { Channel, ServerEvent } from '@parley/protocol';
import type { BusMessage } from '../bus/bus.js';
import type { ServiceContext } from '../services/context.js';
import type { UserService } from '../services/user-service.js';
import { ChannelSequencer } from './channel-sequencer.js';
import type { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';

type ChannelMessage = Extract<BusMessage, { kind: 'channel' }>;

/**
 * Delivers bus messages to this node's connections: channel events to watchers, and
 * notifications to members connected here who do not watch the channel.
 */
export class Fanout {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ConnectionRegistry,
    private readonly users: UserService,
  ) {}

  private readonly sequencer = new ChannelSequencer<ChannelMessage>((m) =>
    this.deliverToChannel(m),
  );

  deliver(message: BusMessage): void {
    if (message.kind === 'users') {
      this.deliverToUsers(message.userIds, message.event);
    } else if ('seq' in message.event) {
      this.sequencer.push(message.cid, message.event.seq, message);
    } else {
      this.deliverToChannel(message);
    }
  }

  close(): void {
    this.sequencer.close();
  }

  private deliverToChannel(message: ChannelMessage): void {
    const { cid, event } = message;
    const watchers = this.registry.watchers(cid);
    if (watchers.size > 0) {
      const data = JSON.stringify(event);
      let sent = 0;
      for (const connection of watchers) {
        if (message.skipUserId !== undefined && connection.userId === message.skipUserId) continue;
        if (connection.sendRaw(data)) sent++;
      }
      this.ctx.metrics.eventsFannedOut.inc({ type: event.type }, sent);
    }
    if (message.unwatchUserId !== undefined) {
      for (const connection of this.registry.ofUser(message.unwatchUserId)) {
        this.registry.unwatch(connection, cid);
      }
    }
    if (message.alsoToUserIds !== undefined) {
      const data = JSON.stringify(event);
      let sent = 0;
      for (const userId of message.alsoToUserIds) {
        for (const connection of this.registry.ofUser(userId)) {
          if (!connection.watching.has(cid) && connection.sendRaw(data)) sent++;
        }
      }
      this.ctx.metrics.eventsFannedOut.inc({ type: event.type }, sent);
    }
    if (event.type === 'channel.deleted') {
      for (const connection of [...watchers]) this.registry.unwatch(connection, cid);
      // A channel created again under the same cid starts over at seq 1.
      this.sequencer.forget(cid);
    }
    if (message.notify !== undefined && event.type === 'message.new') {
      const { memberIds, channel } = message.notify;
      for (const userId of memberIds) {
        const idle = [...this.registry.ofUser(userId)].filter((c) => !c.watching.has(cid));
        if (idle.length === 0) continue;
        void this.notifyNewMessage(idle, userId, event, channel).catch((err: unknown) =>
          this.ctx.logger.error({ err, cid, userId }, 'notification failed'),
        );
      }
    }
  }

  private deliverToUsers(userIds: readonly string[], event: ServerEvent): void {
    const data = JSON.stringify(event);
    let sent = 0;
    for (const userId of userIds) {
      for (const connection of this.registry.ofUser(userId)) {
        if (connection.sendRaw(data)) sent++;
      }
    }
    this.ctx.metrics.eventsFannedOut.inc({ type: event.type }, sent);
  }

  private async notifyNewMessage(
    connections: Connection[],
    userId: string,
    event: Extract<ServerEvent, { type: 'message.new' }>,
    channel: Channel,
  ): Promise<void> {
    const unread = await this.users.unread(userId);
    const data = JSON.stringify({
      type: 'notification.message_new',
      cid: event.cid,
      created_at: event.created_at,
      channel,
      message: event.message,
      unread_count: unread.channels.find((c) => c.cid === event.cid)?.unread_count ?? 0,
      total_unread_count: unread.total_unread_count,
      unread_channels: unread.unread_channels,
    } satisfies ServerEvent);
    let sent = 0;
    for (const connection of connections) if (connection.sendRaw(data)) sent++;
    this.ctx.metrics.eventsFannedOut.inc({ type: 'notification.message_new' }, sent);
  }
}
