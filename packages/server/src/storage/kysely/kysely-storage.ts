import type { MemberRole, UserRole } from '@parley/protocol';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { NotificationStore } from '../notification-store.js';
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
  SearchMatch,
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
import { ChannelStates } from './channel-states.js';
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
import { SendOrder } from './send-order.js';
import type { StorageAdapter } from './storage-adapter.js';
import * as uploads from './upload-queries.js';
import { KyselyModerationStorage } from './kysely-moderation-storage.js';
import * as users from './user-queries.js';

/**
 * The Storage interface written once in Kysely, for every dialect. Queries live in the
 * sibling `*-queries.ts` and `*-writes.ts` files; this class only adds error translation
 * (moderation, app events and analytics: its base, KyselyModerationStorage).
 * `adapter` holds what differs between databases.
 */
export class KyselyStorage extends KyselyModerationStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly notifications: NotificationStore;
  /** The send batches being written, each after those it shares a channel or an id with. */
  private readonly sendOrder = new SendOrder();
  /** What send batches know of channels, so that most need not read them. */
  private readonly channelStates = new ChannelStates();

  constructor(db: Kysely<Database>, adapter: StorageAdapter) {
    super(db, adapter);
    this.dialect = adapter.dialect;
    this.notifications = new KyselyNotificationStore(db, adapter, (work) => this.guard(work));
  }

  onDiskSync(observer: (seconds: number) => void): void {
    this.adapter.onDiskSync?.(this.db, observer);
  }

  migrate(): Promise<void> {
    return this.guard(() => migrateToLatest(this.db, this.adapter));
  }

  rebuildSearchIndex(): Promise<void> {
    // The index's own tables are not in the Database type, as in the migrations.
    const db = this.db as unknown as Kysely<unknown>;
    return this.guard(() => this.adapter.searchIndex.rebuild(db));
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
  ): Promise<SendResult[]> {
    return this.guard(() =>
      sendMessages(this.db, this.adapter, this.sendOrder, this.channelStates, messages, buildEvent),
    );
  }

  sawEvent(cid: string, seq: number, type: string, authorId: string | null): void {
    this.channelStates.saw(cid, seq, type, authorId);
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

  searchMessages(search: MessageSearch): Promise<SearchMatch[]> {
    const db = this.adapter.searchDatabase?.(this.db) ?? this.db;
    return this.guard(() => searchMessages(db, this.adapter, search, this.db));
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
}
