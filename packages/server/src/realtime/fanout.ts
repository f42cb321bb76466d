import type { ServerEvent } from '@parley/protocol';
import type { BusMessage } from '../bus/bus.js';
import { eventText } from '../bus/event-text.js';
import type { ServiceContext } from '../services/context.js';
import type { UserService } from '../services/user-service.js';
import { ChannelSequencer } from './channel-sequencer.js';
import type { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { MessageNotifier } from './message-notifier.js';
import { textFrame } from './text-frame.js';

type ChannelMessage = Extract<BusMessage, { kind: 'channel' }>;

/**
 * Delivers bus messages to this node's connections: channel events to watchers, and
 * notifications to members connected here who do not watch the channel.
 */
export class Fanout {
  private readonly sequencer = new ChannelSequencer<ChannelMessage>((m) =>
    this.deliverToChannel(m),
  );
  private readonly notifier: MessageNotifier;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ConnectionRegistry,
    users: UserService,
  ) {
    this.notifier = new MessageNotifier(ctx, users);
  }

  deliver(message: BusMessage): void {
    if (message.kind === 'invalidate') return;
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
    // Serialised and framed once, for every socket it goes to.
    let frame: Buffer | undefined;
    const data = () => (frame ??= textFrame(eventText(event)));
    const watchers = this.registry.watchers(cid);
    if (watchers.size > 0) {
      let sent = 0;
      for (const connection of watchers) {
        if (message.skipUserId !== undefined && connection.userId === message.skipUserId) continue;
        if (connection.sendFrame(data())) sent++;
      }
      this.ctx.metrics.eventsFannedOut.inc({ type: event.type }, sent);
    }
    if (message.unwatchUserId !== undefined) {
      for (const connection of this.registry.ofUser(message.unwatchUserId)) {
        this.registry.unwatch(connection, cid);
      }
    }
    if (message.alsoToUserIds !== undefined) {
      let sent = 0;
      for (const userId of message.alsoToUserIds) {
        for (const connection of this.registry.ofUser(userId)) {
          if (!connection.watching.has(cid) && connection.sendFrame(data())) sent++;
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
      const { memberIds, mentionedUserIds, channel } = message.notify;
      for (const userId of memberIds) {
        // Most members of a big channel are offline, or on another node: no array for them.
        let idle: Connection[] | undefined;
        for (const connection of this.registry.ofUser(userId)) {
          if (!connection.watching.has(cid)) (idle ??= []).push(connection);
        }
        if (idle === undefined) continue;
        const mentioned = mentionedUserIds?.includes(userId) === true;
        this.notifier.notify(userId, idle, event, channel, mentioned);
      }
    }
  }

  private deliverToUsers(userIds: readonly string[], event: ServerEvent): void {
    if (userIds.length === 0) return;
    const frame = textFrame(eventText(event));
    let sent = 0;
    for (const userId of userIds) {
      for (const connection of this.registry.ofUser(userId)) {
        if (connection.sendFrame(frame)) sent++;
      }
    }
    this.ctx.metrics.eventsFannedOut.inc({ type: event.type }, sent);
  }
}
