import { randomUUID } from 'node:crypto';
import {
  ChatError,
  type BanRequest,
  type Flag,
  type FlagRequest,
  type LiftRequest,
  type QueryAuditLogResponse,
  type QueryFlagsResponse,
  type Restriction,
  type ServerEvent,
} from '@parley/protocol';
import type { FlagRecord, RestrictionRecord } from '../storage/moderation-records.js';
import type { ChannelRecord } from '../storage/storage.js';
import { actingUserId, requireChannel, requireServerOrAdmin, requireUser } from './access.js';
import { flagCreated, flagResolved, userBanned, userUnbanned } from './app-events.js';
import { auditEntry } from './audit-entry.js';
import type { Actor, ServiceContext } from './context.js';
import type { MessageViews } from './message-views.js';
import {
  FlagQueue,
  newestCursorSchema,
  type FlagsQuery,
  type ResolveFlagInput,
} from './flag-queue.js';
import { PageCursors } from './page-cursor.js';
import { iso, isoOrNull } from './wire.js';

/**
 * Moderation: flags and their queue, bans and mutes, freezing, and the audit log (a
 * user's own blocks and channel mutes: UserControls). Every action is stored with its audit entry in one transaction; those
 * in a channel are channel events with a seq, fanned out after commit.
 */
export class ModerationService {
  private readonly cursors: PageCursors;
  private readonly queue: FlagQueue;

  constructor(
    private readonly ctx: ServiceContext,
    views: MessageViews,
  ) {
    this.cursors = new PageCursors(ctx.config.secret);
    this.queue = new FlagQueue(ctx, views, this.cursors);
  }

  async flag(actor: Actor, req: FlagRequest): Promise<Flag> {
    const { storage, access } = this.ctx;
    if ((req.message_id === undefined) === (req.target_user_id === undefined)) {
      throw new ChatError('invalid_request', 'name exactly one of message_id and target_user_id');
    }
    const flaggedBy = actingUserId(actor, req.user_id, true);
    let cid: string | null = null;
    let targetUserId = req.target_user_id ?? null;
    if (req.message_id !== undefined) {
      const message = await storage.getMessage(req.message_id);
      if (message === null) {
        throw new ChatError('message_not_found', `message ${req.message_id} does not exist`);
      }
      // Only who may read a message may flag it.
      await access.requireReader(await this.asUser(actor, flaggedBy), message.cid);
      cid = message.cid;
      targetUserId = message.userId;
    } else {
      await requireUser(this.ctx.storage, targetUserId!);
    }
    const now = Date.now();
    const flag: FlagRecord = {
      id: randomUUID(),
      kind: req.message_id === undefined ? 'user' : 'message',
      cid,
      messageId: req.message_id ?? null,
      targetUserId,
      flaggedBy,
      reason: req.reason ?? null,
      createdAt: now,
      resolution: null,
    };
    await storage.addFlag(
      flag,
      auditEntry(flaggedBy, 'flag', now, {
        cid,
        targetUserId,
        messageId: flag.messageId,
        reason: flag.reason,
        data: { flag_id: flag.id, kind: flag.kind },
      }),
      flagCreated(flag),
    );
    return (await this.queue.render([flag]))[0]!;
  }

  /** The moderation queue (open flags by default), newest first, each with its context. */
  flags(actor: Actor, query: FlagsQuery): Promise<QueryFlagsResponse> {
    return this.queue.list(actor, query);
  }

  /** Takes a flag out of the queue. */
  resolveFlag(actor: Actor, id: string, req: ResolveFlagInput): Promise<Flag> {
    return this.queue.resolve(
      actor,
      id,
      req,
      (by, at, fields) => auditEntry(by, 'flag.resolve', at, fields),
      (flag) => flagResolved(flag, req.reason ?? null),
    );
  }

  /** Bans (no reading, no writing; app-wide without cid) or mutes (no writing) a user. */
  async restrict(actor: Actor, kind: 'ban' | 'mute', req: BanRequest): Promise<Restriction> {
    const cid = req.cid ?? null;
    const by = await this.requireModerator(actor, kind, cid, req.user_id);
    await requireUser(this.ctx.storage, req.target_user_id);
    const now = Date.now();
    const restriction: RestrictionRecord = {
      kind,
      userId: req.target_user_id,
      cid,
      byUserId: by,
      reason: req.reason ?? null,
      createdAt: now,
      expiresAt: req.timeout_s === undefined ? null : now + req.timeout_s * 1000,
    };
    const { event } = await this.ctx.storage.moderate(
      { op: 'restrict', restriction },
      auditEntry(by, kind, now, {
        cid,
        targetUserId: req.target_user_id,
        reason: restriction.reason,
        data: { expires_at: isoOrNull(restriction.expiresAt) },
      }),
      (seq, at) =>
        cid === null
          ? null
          : {
              type: kind === 'ban' ? 'member.banned' : 'member.muted',
              cid,
              seq,
              created_at: iso(at),
              user_id: req.target_user_id,
              by_user_id: by,
              reason: restriction.reason,
              expires_at: isoOrNull(restriction.expiresAt),
            },
      // An app-wide ban is no channel's event: an app event.
      cid === null ? userBanned(restriction) : null,
    );
    await this.ctx.access.changed('user', req.target_user_id);
    if (event !== null) {
      await this.ctx.bus.publish({
        kind: 'channel',
        cid: event.cid,
        event: event.payload as ServerEvent,
        // A banned member stops receiving the channel at once (they hear of the ban first).
        ...(kind === 'ban' && { alsoToUserIds: [req.target_user_id] }),
      });
      if (kind === 'ban') {
        await this.ctx.bus.publish({
          kind: 'channel',
          cid: event.cid,
          event: {
            type: 'typing.stop',
            cid: event.cid,
            user_id: req.target_user_id,
            created_at: iso(now),
          },
          unwatchUserId: req.target_user_id,
          skipUserId: req.target_user_id,
        });
      }
    }
    return toRestriction(restriction);
  }

  /** Lifts a ban or a mute; `false` when there was none. */
  async lift(actor: Actor, kind: 'ban' | 'mute', req: LiftRequest): Promise<boolean> {
    const cid = req.cid ?? null;
    const by = await this.requireModerator(actor, kind, cid, req.user_id);
    const now = Date.now();
    const { changed, event } = await this.ctx.storage.moderate(
      { op: 'lift', kind, userId: req.target_user_id, cid },
      auditEntry(by, kind === 'ban' ? 'unban' : 'unmute', now, {
        cid,
        targetUserId: req.target_user_id,
        reason: req.reason ?? null,
      }),
      (seq, at) =>
        cid === null
          ? null
          : {
              type: kind === 'ban' ? 'member.unbanned' : 'member.unmuted',
              cid,
              seq,
              created_at: iso(at),
              user_id: req.target_user_id,
              by_user_id: by,
              reason: req.reason ?? null,
            },
      cid === null && kind === 'ban'
        ? userUnbanned(req.target_user_id, by, req.reason ?? null, now)
        : null,
    );
    if (changed) await this.ctx.access.changed('user', req.target_user_id);
    if (event !== null) {
      await this.ctx.bus.publish({
        kind: 'channel',
        cid: event.cid,
        event: event.payload as ServerEvent,
        alsoToUserIds: [req.target_user_id],
      });
    }
    return changed;
  }

  /** Freezes (read-only for users) or unfreezes a channel. */
  async freeze(
    actor: Actor,
    cid: string,
    frozen: boolean,
    req: { reason?: string | undefined; user_id?: string | undefined },
  ): Promise<ChannelRecord> {
    await requireChannel(this.ctx.storage, cid);
    const by = await this.requireModerator(actor, 'freeze', cid, req.user_id);
    const now = Date.now();
    const { event } = await this.ctx.storage.moderate(
      { op: 'freeze', cid, frozen },
      auditEntry(by, frozen ? 'freeze' : 'unfreeze', now, { cid, reason: req.reason ?? null }),
      (seq, at) => ({
        type: frozen ? 'channel.frozen' : 'channel.unfrozen',
        cid,
        seq,
        created_at: iso(at),
        by_user_id: by,
        reason: req.reason ?? null,
      }),
    );
    if (event !== null) {
      await this.ctx.bus.publish({ kind: 'channel', cid, event: event.payload as ServerEvent });
    }
    return requireChannel(this.ctx.storage, cid);
  }

  async auditLog(
    actor: Actor,
    query: {
      cid?: string | undefined;
      actor_id?: string | undefined;
      target_user_id?: string | undefined;
      action?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<QueryAuditLogResponse> {
    requireServerOrAdmin(actor);
    const before =
      query.cursor === undefined
        ? undefined
        : this.cursors.decode('audit', query.cursor, newestCursorSchema);
    const rows = await this.ctx.storage.queryAudit({
      cid: query.cid,
      actorId: query.actor_id,
      targetUserId: query.target_user_id,
      action: query.action,
      limit: query.limit + 1,
      before: before === undefined ? undefined : { createdAt: before[0], id: before[1] },
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      entries: page.map((e) => ({
        id: e.id,
        action: e.action,
        actor_id: e.actorId,
        target_user_id: e.targetUserId,
        cid: e.cid,
        message_id: e.messageId,
        reason: e.reason,
        data: e.data,
        created_at: iso(e.createdAt),
      })),
      next_cursor:
        rows.length > query.limit && last !== undefined
          ? this.cursors.encode('audit', [last.createdAt, last.id])
          : null,
    };
  }

  /**
   * Who acts: channel moderation needs `moderate` in the channel; app-wide bans are for
   * app admins and the server. Returns the acting user (null for the server alone).
   */
  private async requireModerator(
    actor: Actor,
    what: 'ban' | 'mute' | 'freeze',
    cid: string | null,
    claimed: string | undefined,
  ): Promise<string | null> {
    const by = actingUserId(actor, claimed, true);
    if (cid === null) {
      if (what === 'mute') {
        throw new ChatError('invalid_request', 'a mute is in a channel: name its cid');
      }
      this.ctx.access.requireAppAdmin(actor, 'ban_app_wide');
      return by;
    }
    await requireChannel(this.ctx.storage, cid);
    await this.ctx.access.requirePermission(actor, cid, 'moderate');
    return by;
  }

  /** The actor as a user, for a server call made for `userId` (reads are checked as theirs). */
  private async asUser(actor: Actor, userId: string | null): Promise<Actor> {
    if (actor.kind === 'user' || userId === null) return actor;
    return { kind: 'user', user: await requireUser(this.ctx.storage, userId) };
  }
}

function toRestriction(r: RestrictionRecord): Restriction {
  return {
    kind: r.kind,
    target_user_id: r.userId,
    cid: r.cid,
    by_user_id: r.byUserId,
    reason: r.reason,
    created_at: iso(r.createdAt),
    expires_at: isoOrNull(r.expiresAt),
  };
}
