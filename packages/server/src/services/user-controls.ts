import { ChatError } from '@parley/protocol';
import { actingUserId, requireChannel, requireUser } from './access.js';
import { auditEntry } from './audit-entry.js';
import type { Actor, ServiceContext } from './context.js';

/**
 * What users decide for themselves: blocking another user (no DMs from them, their
 * messages hidden) and muting a channel (out of their unread totals). Audited like
 * moderation.
 */
export class UserControls {
  constructor(private readonly ctx: ServiceContext) {}

  /** Blocks or unblocks a user for the caller. */
  async block(
    actor: Actor,
    targetId: string,
    blocked: boolean,
    claimed: string | undefined,
  ): Promise<{ blocked_user_id: string; blocked: boolean }> {
    const userId = actingUserId(actor, claimed);
    if (userId === targetId)
      throw new ChatError('invalid_request', 'users cannot block themselves');
    if (blocked) await requireUser(this.ctx.storage, targetId);
    const now = Date.now();
    const changed = await this.ctx.storage.setBlock(
      userId,
      targetId,
      blocked,
      auditEntry(userId, blocked ? 'block' : 'unblock', now, { targetUserId: targetId }),
    );
    // The blocked user's sends read who blocked them; the blocker's reads whom they blocked.
    if (changed) {
      await this.ctx.access.changed('user', targetId);
      await this.ctx.access.changed('user', userId);
    }
    return { blocked_user_id: targetId, blocked };
  }

  async blocks(actor: Actor, claimed: string | undefined): Promise<string[]> {
    return this.ctx.storage.getBlockedIds(actingUserId(actor, claimed));
  }

  /** Mutes or unmutes a channel for the caller: it stops counting in their unread totals. */
  async muteChannel(
    actor: Actor,
    cid: string,
    muted: boolean,
    claimed: string | undefined,
  ): Promise<{ cid: string; muted: boolean }> {
    const userId = actingUserId(actor, claimed);
    await requireChannel(this.ctx.storage, cid);
    if ((await this.ctx.storage.getMember(cid, userId)) === null) {
      throw new ChatError('not_member', `${userId} is not a member of ${cid}`);
    }
    const now = Date.now();
    const changed = await this.ctx.storage.setChannelMute(userId, cid, muted, now);
    if (changed) {
      await this.ctx.storage.appendAudit(
        auditEntry(userId, muted ? 'channel.mute' : 'channel.unmute', now, { cid }),
      );
      await this.ctx.access.changed('user', userId);
    }
    return { cid, muted };
  }
}
