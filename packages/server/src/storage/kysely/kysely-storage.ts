import type { MemberRole, UserRole } from '@parley/protocol';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { NotificationStore } from '../notification-store.js';
import { StorageError, StorageUnavailableError } from '../storage-errors.js';
import type {
  ChannelCursor,
  ChannelRecord,
  EventBuilder,
  EventRecord,
  MemberRecord,
  EventScrubber,
  MessageChange,
  MessageEdit,
  MessagePage,
  MessageRecord,
  MessageSearch,
  NewChannel,
  NewMessage,
  ReactionChange,
  ReactionCursor,
  ReactionRecord,
  SendResult,
  Storage,
  UploadRecord,
  UserRecord,
  UserUpsert,
} from '../storage.js';
import * as channels from './channel-queries.js';
import * as channelWrites from './channel-writes.js';
import type { Database } from './database.js';
import * as messageEdits from './message-edits.js';
import * as messages from './message-queries.js';
import { searchMessages } from './message-search.js';
import * as messageWrites from './message-writes.js';
import * as reactions from './reaction-writes.js';
import { KyselyNotificationStore } from './kysely-notification-store.js';
import { migrateToLatest } from './migrations.js';
import { sendMessages } from './send-messages.js';
import type { StorageAdapter } from './storage-adapter.js';
import * as uploads from './upload-queries.js';
import * as moderation from './moderation-writes.js';
import * as flags from './flag-writes.js';
import { getAnalytics } from './analytics-queries.js';
import type { AnalyticsRows } from '../analytics-records.js';
import type {
  AuditQuery,
  AuditRecord,
  ChannelTypeRecord,
  FlagRecord,
  FlagResolution,
  ModerationChange,
  NewestCursor,
  RestrictionRecord,
} from '../moderation-records.js';
import * as users from './user-queries.js';

/**
 * The Storage interface written once in Kysely, for every dialect. Queries live in the
 * sibling `*-queries.ts` and `*-writes.ts` files; this class only adds error translation.
 * `adapter` holds what differs between databases.
 */
export class KyselyStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly notifications: NotificationStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: StorageAdapter,
  ) {
    this.dialect = adapter.dialect;
    this.notifications = new KyselyNotificationStore(db, adapter, (work) => this.guard(work));
  }

  migrate(): Promise<void> {
    return this.guard(() => migrateToLatest(this.db, this.adapter));
  }

  ping(): Promise<void> {
    return this.guard(async () => {
      await sql`select 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  upsertUsers(list: UserUpsert[], now: number): Promise<UserRecord[]> {
    return this.guard(() => users.upsertUsers(this.db, list, now));
  }

  ensureUser(id: string, now: number): Promise<UserRecord> {
    return this.guard(() => users.ensureUser(this.db, id, now));
  }

  getUsers(ids: readonly string[]): Promise<UserRecord[]> {
    return this.guard(() => users.getUsers(this.db, this.adapter, ids));
  }

  queryUsers(query: {
    ids?: readonly string[] | undefined;
    prefix?: string | undefined;
    role?: UserRole | undefined;
    afterId?: string | undefined;
    limit: number;
  }): Promise<UserRecord[]> {
    return this.guard(() => users.queryUsers(this.db, query));
  }

  setLastActive(userId: string, at: number): Promise<void> {
    return this.guard(() => users.setLastActive(this.db, userId, at));
  }

  getContactIds(userId: string): Promise<string[]> {
    return this.guard(() => users.getContactIds(this.db, userId));
  }

  getChannel(cid: string): Promise<ChannelRecord | null> {
    return this.guard(() => channels.getChannel(this.db, cid));
  }

  getOrCreateChannel(channel: NewChannel): Promise<{ channel: ChannelRecord; created: boolean }> {
    return this.guard(() => channelWrites.getOrCreateChannel(this.db, channel));
  }

  updateChannelData(
    cid: string,
    change: { set: Record<string, unknown>; unset: readonly string[] },
    now: number,
    buildEvent: EventBuilder<ChannelRecord>,
  ): Promise<{ channel: ChannelRecord; event: EventRecord }> {
    return this.guard(() => channelWrites.updateChannelData(this.db, cid, change, now, buildEvent));
  }

  deleteChannel(cid: string): Promise<{ uploads: UploadRecord[] } | null> {
    return this.guard(() => channelWrites.deleteChannel(this.db, cid));
  }

  addMembers(
    cid: string,
    members: readonly { userId: string; role: MemberRole }[],
    now: number,
    buildEvent: EventBuilder<MemberRecord>,
  ): Promise<{ channel: ChannelRecord; added: MemberRecord[]; events: EventRecord[] }> {
    return this.guard(() => channelWrites.addMembers(this.db, cid, members, now, buildEvent));
  }

  removeMembers(
    cid: string,
    userIds: readonly string[],
    now: number,
    buildEvent: EventBuilder<string>,
  ): Promise<{ channel: ChannelRecord; removed: string[]; events: EventRecord[] }> {
    return this.guard(() => channelWrites.removeMembers(this.db, cid, userIds, now, buildEvent));
  }

  getMembers(cid: string): Promise<MemberRecord[]> {
    return this.guard(() => channels.getMembers(this.db, cid));
  }

  getMember(cid: string, userId: string): Promise<MemberRecord | null> {
    return this.guard(() => channels.getMember(this.db, cid, userId));
  }

  queryChannels(query: {
    userId: string | null;
    type?: string | undefined;
    cursor?: ChannelCursor | undefined;
    limit: number;
  }): Promise<ChannelRecord[]> {
    return this.guard(() => channels.queryChannels(this.db, query));
  }

  getChannelIdsOf(userId: string): Promise<string[]> {
    return this.guard(() => channels.getChannelIdsOf(this.db, userId));
  }

  sendMessages(
    messages: readonly NewMessage[],
    buildEvent: EventBuilder<MessageChange> | Promise<EventBuilder<MessageChange>>,
    after?: Promise<readonly SendResult[] | undefined>,
  ): Promise<SendResult[]> {
    return this.guard(() => sendMessages(this.db, this.adapter, messages, buildEvent, after));
  }

  getMessage(id: string): Promise<MessageRecord | null> {
    return this.guard(() => messages.getMessage(this.db, id));
  }

  getMessagesByIds(ids: readonly string[]): Promise<MessageRecord[]> {
    return this.guard(() => messages.getMessagesByIds(this.db, ids));
  }

  getMessages(cid: string, page: MessagePage): Promise<MessageRecord[]> {
    return this.guard(() => messages.getMessages(this.db, cid, page));
  }

  updateMessage(
    id: string,
    edit: MessageEdit,
    now: number,
    buildEvent: EventBuilder<MessageChange>,
  ): Promise<{ message: MessageRecord; event: EventRecord | null }> {
    return this.guard(() => messageEdits.updateMessage(this.db, id, edit, now, buildEvent));
  }

  deleteMessage(
    id: string,
    hard: boolean,
    now: number,
    buildEvent: EventBuilder<MessageChange & { hard: boolean }>,
    scrub: EventScrubber,
  ): Promise<{ message: MessageRecord; events: EventRecord[]; uploads: UploadRecord[] }> {
    return this.guard(() => messageEdits.deleteMessage(this.db, id, hard, now, buildEvent, scrub));
  }

  addReaction(
    reaction: { messageId: string; userId: string; type: string; score: number },
    options: { unique: boolean; maxTypes: number },
    now: number,
    buildEvent: EventBuilder<ReactionChange & { added: boolean }>,
  ): Promise<{
    message: MessageRecord;
    reaction: ReactionRecord;
    events: EventRecord[];
    duplicate: boolean;
  }> {
    return this.guard(() => reactions.addReaction(this.db, reaction, options, now, buildEvent));
  }

  removeReaction(
    messageId: string,
    userId: string,
    type: string,
    now: number,
    buildEvent: EventBuilder<ReactionChange & { added: boolean }>,
  ): Promise<{ message: MessageRecord; event: EventRecord | null }> {
    return this.guard(() =>
      reactions.removeReaction(this.db, messageId, userId, type, now, buildEvent),
    );
  }

  getReactions(
    messageId: string,
    page: { type?: string | undefined; after?: ReactionCursor | undefined; limit: number },
  ): Promise<ReactionRecord[]> {
    return this.guard(() => messages.getReactions(this.db, messageId, page));
  }

  getOwnReactions(
    userId: string,
    messageIds: readonly string[],
  ): Promise<Map<string, ReactionRecord[]>> {
    return this.guard(() => messages.getOwnReactions(this.db, userId, messageIds));
  }

  getReplies(parentId: string, page: MessagePage): Promise<MessageRecord[]> {
    return this.guard(() => messages.getReplies(this.db, parentId, page));
  }

  getPinned(cid: string, limit: number): Promise<MessageRecord[]> {
    return this.guard(() => messages.getPinned(this.db, cid, limit));
  }

  searchMessages(search: MessageSearch): Promise<{ message: MessageRecord; searchText: string }[]> {
    return this.guard(() => searchMessages(this.db, this.adapter, search));
  }

  getChannels(cids: readonly string[]): Promise<ChannelRecord[]> {
    return this.guard(() => channels.getChannels(this.db, cids));
  }

  markRead(
    cid: string,
    userId: string,
    upTo: { seq: number; messageId: string | null },
    now: number,
    buildEvent: EventBuilder<MemberRecord>,
  ): Promise<{ member: MemberRecord; event: EventRecord | null }> {
    return this.guard(() => messageWrites.markRead(this.db, cid, userId, upTo, now, buildEvent));
  }

  getEvents(cid: string, sinceSeq: number, limit: number): Promise<EventRecord[]> {
    return this.guard(() => messages.getEvents(this.db, cid, sinceSeq, limit));
  }

  createUpload(upload: UploadRecord): Promise<void> {
    return this.guard(() => uploads.createUpload(this.db, upload));
  }

  getUpload(id: string): Promise<UploadRecord | null> {
    return this.guard(() => uploads.getUpload(this.db, id));
  }

  takeUnattachedUploads(before: number, limit: number): Promise<UploadRecord[]> {
    return this.guard(() => uploads.takeUnattachedUploads(this.db, this.adapter, before, limit));
  }

  getUnreadCounts(
    userId: string,
    cids?: readonly string[],
  ): Promise<Map<string, { unread: number; mentions: number }>> {
    return this.guard(() => messages.getUnreadCounts(this.db, userId, cids));
  }

  getChannelType(name: string): Promise<ChannelTypeRecord | null> {
    return this.guard(() => moderation.getChannelType(this.db, name));
  }

  listChannelTypes(): Promise<ChannelTypeRecord[]> {
    return this.guard(() => moderation.listChannelTypes(this.db));
  }

  saveChannelType(
    record: ChannelTypeRecord,
    mode: 'create' | 'update',
    audit: AuditRecord,
  ): Promise<boolean> {
    return this.guard(() => moderation.saveChannelType(this.db, record, mode, audit));
  }

  getRestrictions(userId: string): Promise<RestrictionRecord[]> {
    return this.guard(() => moderation.getRestrictions(this.db, userId));
  }

  moderate(
    change: ModerationChange,
    audit: AuditRecord,
    buildEvent: (seq: number, at: number) => Record<string, unknown> | null,
  ): Promise<{ changed: boolean; event: EventRecord | null }> {
    return this.guard(() => moderation.moderate(this.db, change, audit, buildEvent));
  }

  addFlag(flag: FlagRecord, audit: AuditRecord): Promise<void> {
    return this.guard(() => flags.addFlag(this.db, flag, audit));
  }

  getFlag(id: string): Promise<FlagRecord | null> {
    return this.guard(() => flags.getFlag(this.db, id));
  }

  resolveFlag(
    id: string,
    resolution: FlagResolution,
    audit: AuditRecord,
  ): Promise<{ flag: FlagRecord; changed: boolean } | null> {
    return this.guard(() => flags.resolveFlag(this.db, id, resolution, audit));
  }

  queryFlags(query: {
    cid?: string | undefined;
    status: 'open' | 'resolved' | 'all';
    before?: NewestCursor | undefined;
    limit: number;
  }): Promise<FlagRecord[]> {
    return this.guard(() => flags.queryFlags(this.db, query));
  }

  setBlock(
    userId: string,
    blockedId: string,
    blocked: boolean,
    audit: AuditRecord,
  ): Promise<boolean> {
    return this.guard(() => moderation.setBlock(this.db, userId, blockedId, blocked, audit));
  }

  getBlockedIds(userId: string): Promise<string[]> {
    return this.guard(() => moderation.getBlockedIds(this.db, userId));
  }

  getBlockerIds(userId: string): Promise<string[]> {
    return this.guard(() => moderation.getBlockerIds(this.db, userId));
  }

  setChannelMute(userId: string, cid: string, muted: boolean, now: number): Promise<boolean> {
    return this.guard(() => moderation.setChannelMute(this.db, userId, cid, muted, now));
  }

  getMutedChannelIds(userId: string): Promise<string[]> {
    return this.guard(() => moderation.getMutedChannelIds(this.db, userId));
  }

  appendAudit(entry: AuditRecord): Promise<void> {
    return this.guard(() => moderation.appendAudit(this.db, entry));
  }

  queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.guard(() => moderation.queryAudit(this.db, query));
  }

  getAnalytics(range: {
    from: string;
    to: string;
    usersFrom: string;
    topChannels: number;
  }): Promise<AnalyticsRows> {
    return this.guard(() => getAnalytics(this.db, range));
  }

  /** Turns connection-level failures into StorageUnavailableError; other errors pass unchanged. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StorageError) && this.adapter.isUnavailable(error)) {
        throw new StorageUnavailableError(error);
      }
      throw error;
    }
  }
}
