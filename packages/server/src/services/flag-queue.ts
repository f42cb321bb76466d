import { ChatError, type Flag, type QueryFlagsResponse } from '@parley/protocol';
import { z } from 'zod';
import type { AppEventDraft, AuditRecord, FlagRecord } from '../storage/moderation-records.js';
import { actingUserId, requireChannel } from './access.js';
import { flagFields } from './app-events.js';
import type { Actor, ServiceContext } from './context.js';
import type { MessageViews } from './message-views.js';
import type { PageCursors } from './page-cursor.js';

/** A newest-first page continues after this (time, id). */
export const newestCursorSchema = z.tuple([z.number().int(), z.string()]);

/** Messages before a flagged one that the queue shows with it. */
const FLAG_CONTEXT = 5;

export interface FlagsQuery {
  cid?: string | undefined;
  status: 'open' | 'resolved' | 'all';
  limit: number;
  cursor?: string | undefined;
}

export interface ResolveFlagInput {
  resolution: 'dismissed' | 'actioned';
  reason?: string | undefined;
  user_id?: string | undefined;
}

type AuditFields = Partial<Omit<AuditRecord, 'id' | 'createdAt' | 'action' | 'actorId'>>;

/**
 * The moderation queue: flags with their message in context, paged newest first, and
 * their resolution. App admins and the server see every flag; moderators and owners of a
 * channel see (and resolve) its flags.
 */
export class FlagQueue {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly views: MessageViews,
    private readonly cursors: PageCursors,
  ) {}

  async list(actor: Actor, query: FlagsQuery): Promise<QueryFlagsResponse> {
    await this.requireModerator(actor, query.cid ?? null);
    const before =
      query.cursor === undefined
        ? undefined
        : this.cursors.decode('flags', query.cursor, newestCursorSchema);
    const rows = await this.ctx.storage.queryFlags({
      cid: query.cid,
      status: query.status,
      limit: query.limit + 1,
      before: before === undefined ? undefined : { createdAt: before[0], id: before[1] },
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      flags: await this.render(page),
      next_cursor:
        rows.length > query.limit && last !== undefined
          ? this.cursors.encode('flags', [last.createdAt, last.id])
          : null,
    };
  }

  /** Resolves a flag (audited as `flag.resolve`); a resolved flag is answered as it is. */
  async resolve(
    actor: Actor,
    id: string,
    req: ResolveFlagInput,
    audit: (by: string | null, at: number, fields: AuditFields) => AuditRecord,
    appEvent: (resolved: FlagRecord) => AppEventDraft,
  ): Promise<Flag> {
    const existing = await this.ctx.storage.getFlag(id);
    if (existing === null) throw new ChatError('flag_not_found', `flag ${id} does not exist`);
    // Admins and the server resolve any flag, of a channel deleted since too.
    const everyFlag = actor.kind === 'server' || actor.user.role === 'admin';
    if (!everyFlag) await this.requireModerator(actor, existing.cid);
    const by = actingUserId(actor, req.user_id, true);
    const now = Date.now();
    const result = await this.ctx.storage.resolveFlag(
      id,
      { kind: req.resolution, byUserId: by, at: now },
      audit(by, now, {
        cid: existing.cid,
        targetUserId: existing.targetUserId,
        messageId: existing.messageId,
        reason: req.reason ?? null,
        data: { flag_id: id, resolution: req.resolution },
      }),
      appEvent,
    );
    if (result === null) throw new ChatError('flag_not_found', `flag ${id} does not exist`);
    return (await this.render([result.flag]))[0]!;
  }

  /** Flags as the wire shows them: the message as stored now and the messages before it. */
  async render(flags: readonly FlagRecord[]): Promise<Flag[]> {
    const { storage } = this.ctx;
    const messageIds = flags.flatMap((f) => f.messageId ?? []);
    const messages = new Map(
      (messageIds.length === 0 ? [] : await storage.getMessagesByIds(messageIds)).map((m) => [
        m.id,
        m,
      ]),
    );
    const out: Flag[] = [];
    for (const flag of flags) {
      const record = flag.messageId === null ? undefined : messages.get(flag.messageId);
      const context =
        record === undefined
          ? []
          : await storage.getMessages(record.cid, { limit: FLAG_CONTEXT, beforeSeq: record.seq });
      const [message, ...before] = await this.views.render(
        record === undefined ? context : [record, ...context],
        null,
      );
      out.push({
        ...flagFields(flag),
        message: record === undefined ? null : message!,
        context: record === undefined ? [] : before,
      });
    }
    return out;
  }

  /** Every flag: app admins and the server; a channel's: its moderators too. */
  private async requireModerator(actor: Actor, cid: string | null): Promise<void> {
    if (cid !== null) {
      await requireChannel(this.ctx.storage, cid);
      await this.ctx.access.requirePermission(actor, cid, 'moderate');
    } else {
      this.ctx.access.requireAppAdmin(actor, 'read_all_flags');
    }
  }
}
