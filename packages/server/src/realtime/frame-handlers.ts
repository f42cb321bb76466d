import type { ClientFrame, ServerEvent } from '@parley/protocol';
import type { Actor, ServiceContext } from '../services/context.js';
import type { ChannelReads } from '../services/channel-reads.js';
import type { ChannelService } from '../services/channel-service.js';
import type { MessageActions } from '../services/message-actions.js';
import type { MessageService, QueuedSend } from '../services/message-service.js';
import type { ModerationService } from '../services/moderation-service.js';
import type { UserControls } from '../services/user-controls.js';
import { requireChannel } from '../services/access.js';
import { iso } from '../services/wire.js';
import type { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';

/** Handles one validated client frame; the returned object is the response's `result`. */
/** The services frames act through. */
export interface FrameServices {
  channels: ChannelService;
  messages: MessageService;
  reads: ChannelReads;
  actions: MessageActions;
  moderation: ModerationService;
  controls: UserControls;
}

export class FrameHandlers {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ConnectionRegistry,
    private readonly services: FrameServices,
  ) {}

  /** `message.send` in two halves: queued for storage, then stored (see MessageService.queue). */
  queueSend(
    connection: Connection,
    frame: Extract<ClientFrame, { type: 'message.send' }>,
  ): Promise<QueuedSend> {
    return this.services.messages.queue(
      { kind: 'user', user: connection.user },
      frame.cid,
      frame.message,
    );
  }

  async handle(connection: Connection, frame: ClientFrame): Promise<object> {
    const actor: Actor = { kind: 'user', user: connection.user };
    switch (frame.type) {
      case 'ping':
        return {};
      case 'channel.watch': {
        await requireChannel(this.ctx.storage, frame.cid);
        await this.ctx.access.requireReader(actor, frame.cid);
        // Watch first, then read the channel: every event after the last_seq read here is
        // delivered live, and the state holds the messages up to that seq and no further,
        // so a client that applies only seqs above last_seq neither loses nor repeats one.
        this.registry.watch(connection, frame.cid);
        const channel = await requireChannel(this.ctx.storage, frame.cid);
        const state = await this.services.channels.state(
          actor,
          channel,
          frame.message_limit ?? 25,
          {
            upToSeq: channel.lastSeq,
          },
        );
        return { ...state, typing: await this.ctx.typing.typing(frame.cid) };
      }
      case 'channel.unwatch':
        this.registry.unwatch(connection, frame.cid);
        return {};
      case 'typing.start':
      case 'typing.stop': {
        await this.requireWriter(actor, frame.cid);
        const changed =
          frame.type === 'typing.start'
            ? await this.ctx.typing.start(frame.cid, connection.userId, connection.id)
            : await this.ctx.typing.stop(frame.cid, connection.userId);
        // Repeated starts are relayed too: they refresh the other clients' own expiry.
        if (changed || frame.type === 'typing.start') {
          const event: ServerEvent = {
            type: frame.type,
            cid: frame.cid,
            user_id: connection.userId,
            created_at: iso(Date.now()),
          };
          await this.ctx.bus.publish({
            kind: 'channel',
            cid: frame.cid,
            event,
            skipUserId: connection.userId,
          });
        }
        return {};
      }
      case 'message.send':
        return this.services.messages.send(actor, frame.cid, frame.message);
      case 'channel.read':
        return this.services.reads.markRead(actor, frame.cid, { message_id: frame.message_id });
      case 'channel.events':
        return this.services.reads.events(actor, frame.cid, frame.since_seq, frame.limit ?? 100);
      case 'message.update':
        return this.services.actions.update(actor, frame.message_id, {
          text: frame.text,
          data: frame.data,
          mentioned_users: frame.mentioned_users,
          pinned: frame.pinned,
        });
      case 'message.delete':
        return this.services.actions.delete(actor, frame.message_id, { hard: frame.hard === true });
      case 'reaction.send':
        return this.services.actions.react(actor, frame.message_id, frame.reaction);
      case 'reaction.delete':
        return this.services.actions.unreact(actor, frame.message_id, frame.reaction_type, {});
      case 'moderation.flag':
        return {
          flag: await this.services.moderation.flag(actor, {
            message_id: frame.message_id,
            target_user_id: frame.target_user_id,
            reason: frame.reason,
          }),
        };
      case 'moderation.ban':
      case 'moderation.mute': {
        const kind = frame.type === 'moderation.ban' ? 'ban' : 'mute';
        const { target_user_id, cid, timeout_s, reason } = frame;
        const req = { target_user_id, cid, timeout_s, reason };
        return { restriction: await this.services.moderation.restrict(actor, kind, req) };
      }
      case 'moderation.unban':
      case 'moderation.unmute': {
        const kind = frame.type === 'moderation.unban' ? 'ban' : 'mute';
        const { target_user_id, cid, reason } = frame;
        return {
          lifted: await this.services.moderation.lift(actor, kind, { target_user_id, cid, reason }),
        };
      }
      case 'user.block':
      case 'user.unblock':
        return this.services.controls.block(
          actor,
          frame.target_user_id,
          frame.type === 'user.block',
          undefined,
        );
      case 'channel.mute':
      case 'channel.unmute':
        return this.services.controls.muteChannel(
          actor,
          frame.cid,
          frame.type === 'channel.mute',
          undefined,
        );
    }
  }

  /** Typing is writing: refused to whoever may not send here (muted, frozen, …). */
  private async requireWriter(actor: Actor, cid: string): Promise<void> {
    const channel = await requireChannel(this.ctx.storage, cid);
    await this.ctx.access.requireWriter(actor, channel, 'send');
  }
}
