import { ChatError, type ChangeMembersRequest, type ServerEvent } from '@parley/protocol';
import type { ChannelRecord, MemberRecord } from '../storage/storage.js';
import { requireChannel } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import type { UserService } from './user-service.js';
import { iso, toChannel, toMember } from './wire.js';

/** A channel and its members after a change. */
export interface MembersChange {
  channel: ChannelRecord;
  members: MemberRecord[];
}

/**
 * Member management: adding members (with roles) and removing them, each a channel event,
 * and the notifications that tell the added and the removed.
 */
export class ChannelMembers {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
  ) {}

  async add(actor: Actor, cid: string, req: ChangeMembersRequest): Promise<MembersChange> {
    const before = await requireChannel(this.ctx.storage, cid);
    const { access } = this.ctx;
    const manager = await access.requirePermission(actor, cid, 'add_members');
    this.refuseDistinct(before);
    // Handing out roles is a permission of its own (by default owners', admins', the server's).
    if (req.role !== undefined && req.role !== 'member') {
      await access.requirePermission(actor, cid, 'assign_roles', { member: manager });
    }
    const users = await this.users.requireExisting(req.user_ids);
    const role = req.role ?? 'member';
    const { channel, added, events } = await this.ctx.storage.addMembers(
      cid,
      [...new Set(req.user_ids)].map((userId) => ({ userId, role })),
      Date.now(),
      (member, seq, at) => ({
        type: 'member.added',
        cid,
        seq,
        created_at: iso(at),
        member: toMember(member, users.get(member.userId)!),
      }),
    );
    for (const event of events) {
      await this.ctx.bus.publish({ kind: 'channel', cid, event: event.payload as ServerEvent });
    }
    const wireChannel = toChannel(channel);
    for (const member of added) {
      const unread = await this.users.unread(member.userId);
      await this.ctx.bus.publish({
        kind: 'users',
        userIds: [member.userId],
        event: {
          type: 'notification.added_to_channel',
          cid,
          created_at: iso(member.createdAt),
          channel: wireChannel,
          member: toMember(member, users.get(member.userId)!),
          unread_count: unread.channels.find((c) => c.cid === cid)?.unread_count ?? 0,
          total_unread_count: unread.total_unread_count,
          unread_channels: unread.unread_channels,
        },
      });
    }
    return { channel, members: await this.ctx.storage.getMembers(cid) };
  }

  async remove(actor: Actor, cid: string, req: ChangeMembersRequest): Promise<MembersChange> {
    const before = await requireChannel(this.ctx.storage, cid);
    const leavingSelf =
      actor.kind === 'user' && req.user_ids.length === 1 && req.user_ids[0] === actor.user.id;
    const { access } = this.ctx;
    if (leavingSelf) {
      await access.requireReader(actor, cid);
    } else {
      const manager = await access.requirePermission(actor, cid, 'remove_members');
      // A moderator manages members, not the people who appointed them: removing an owner
      // takes the right to hand out roles.
      if (actor.kind === 'user') {
        const owners = (await this.ctx.storage.getMembers(cid)).filter((m) => m.role === 'owner');
        if (owners.some((m) => req.user_ids.includes(m.userId))) {
          await access.requirePermission(actor, cid, 'assign_roles', { member: manager });
        }
      }
    }
    this.refuseDistinct(before);
    const { channel, removed, events } = await this.ctx.storage.removeMembers(
      cid,
      [...new Set(req.user_ids)],
      Date.now(),
      (userId, seq, at) => ({
        type: 'member.removed',
        cid,
        seq,
        created_at: iso(at),
        user_id: userId,
      }),
    );
    for (const event of events) {
      await this.ctx.bus.publish({
        kind: 'channel',
        cid,
        event: event.payload as ServerEvent,
        unwatchUserId: String(event.payload.user_id),
      });
    }
    for (const userId of removed) {
      const unread = await this.users.unread(userId);
      await this.ctx.bus.publish({
        kind: 'users',
        userIds: [userId],
        event: {
          type: 'notification.removed_from_channel',
          cid,
          created_at: iso(Date.now()),
          total_unread_count: unread.total_unread_count,
          unread_channels: unread.unread_channels,
        },
      });
    }
    return { channel, members: await this.ctx.storage.getMembers(cid) };
  }

  private refuseDistinct(channel: ChannelRecord): void {
    if (channel.distinct) {
      throw new ChatError(
        'forbidden',
        'the members of a distinct channel are its identity; create another channel instead',
      );
    }
  }
}
