import type { AnalyticsStorage } from './analytics-records.js';
import type { ModerationStorage } from './moderation-records.js';
import type { MemberRole, UserRole } from '@parley/protocol';
import type { NotificationStore } from './notification-store.js';
import type {
  ChannelCursor,
  ChannelRecord,
  EventBuilder,
  EventRecord,
  EventScrubber,
  MemberRecord,
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
  UploadRecord,
  UserRecord,
  UserUpsert,
} from './storage-records.js';

// The records the interface reads and writes, for everything that imports them from here.
export type * from './storage-records.js';

/**
 * The one storage interface. Every change to a channel runs in a transaction that bumps
 * the channel's `last_seq`, writes the change and its event, and commits before returning:
 * an event returned from here is durable. (A batch of messages shares one transaction.)
 */
export interface Storage extends ModerationStorage, AnalyticsStorage {
  readonly dialect: 'sqlite' | 'postgres';
  /** Webhook endpoints and deliveries, the email schedule and users' email settings. */
  readonly notifications: NotificationStore;
  /** Runs pending migrations. Called once at start-up. */
  migrate(): Promise<void>;
  /** Indexes every stored message for search again (SearchIndex.rebuild). */
  rebuildSearchIndex(): Promise<void>;
  /**
   * Calls `observer` with the seconds each commit's sync to disk took, where this process
   * syncs (SQLite); never where the database server does (PostgreSQL).
   */
  onDiskSync(observer: (seconds: number) => void): void;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Users
  upsertUsers(users: UserUpsert[], now: number): Promise<UserRecord[]>;
  /** Returns the user, creating it with defaults (id only) if it does not exist. */
  ensureUser(id: string, now: number): Promise<UserRecord>;
  /** The users that exist among `ids`, in no particular order. */
  getUsers(ids: readonly string[]): Promise<UserRecord[]>;
  /** Users sorted by id; `prefix` matches the start of name or id, case-insensitive. */
  queryUsers(query: {
    ids?: readonly string[] | undefined;
    prefix?: string | undefined;
    role?: UserRole | undefined;
    afterId?: string | undefined;
    limit: number;
  }): Promise<UserRecord[]>;
  setLastActive(userId: string, at: number): Promise<void>;
  /** Ids of users who share at least one channel with `userId` (excluding that user). */
  getContactIds(userId: string): Promise<string[]>;

  // Channels
  getChannel(cid: string): Promise<ChannelRecord | null>;
  /** Creates the channel with its members, or returns the existing one untouched. Race-safe. */
  getOrCreateChannel(channel: NewChannel): Promise<{ channel: ChannelRecord; created: boolean }>;
  /** Shallow-merges `set` into data and removes `unset` keys; stores a `channel.updated` event. */
  updateChannelData(
    cid: string,
    change: { set: Record<string, unknown>; unset: readonly string[] },
    now: number,
    buildEvent: EventBuilder<ChannelRecord>,
  ): Promise<{ channel: ChannelRecord; event: EventRecord }>;
  /**
   * Deletes the channel, its members, messages, events and uploads; returns the uploads
   * removed (their blobs are the caller's to delete), or null if there was no such channel.
   */
  deleteChannel(cid: string): Promise<{ uploads: UploadRecord[] } | null>;
  /** Adds those not yet members, one `member.added` event each; they start with the history read. */
  addMembers(
    cid: string,
    members: readonly { userId: string; role: MemberRole }[],
    now: number,
    buildEvent: EventBuilder<MemberRecord>,
  ): Promise<{ channel: ChannelRecord; added: MemberRecord[]; events: EventRecord[] }>;
  /** Removes those who are members, one `member.removed` event each. */
  removeMembers(
    cid: string,
    userIds: readonly string[],
    now: number,
    buildEvent: EventBuilder<string>,
  ): Promise<{ channel: ChannelRecord; removed: string[]; events: EventRecord[] }>;
  getMembers(cid: string): Promise<MemberRecord[]>;
  getMember(cid: string, userId: string): Promise<MemberRecord | null>;
  /** The user's channels (null: every channel) by activity desc, then cid desc, starting after `cursor`. */
  queryChannels(query: {
    userId: string | null;
    type?: string | undefined;
    cursor?: ChannelCursor | undefined;
    limit: number;
  }): Promise<ChannelRecord[]>;
  /** Cids of every channel the user is a member of. */
  getChannelIdsOf(userId: string): Promise<string[]>;

  // Messages and events
  /**
   * Stores a batch of messages in one transaction (one commit), each with its `message.new`
   * event, and moves each author's read position to their message. Messages of one channel
   * take consecutive seqs in batch order. Answers one result per message, in order: a
   * message whose channel is missing, whose author is not a member, or whose id is used
   * elsewhere fails alone; an id already stored (or earlier in the batch) by the same
   * author in the same channel is a duplicate and stores nothing. Should the database
   * refuse the batch (a constraint, a throwing builder), the messages are stored in smaller
   * transactions so that only the culprit fails. Throws only when the database is unavailable.
   * `buildEvent` may come as a promise (the users it names being read): the batch's own
   * reads run meanwhile, and a rejection fails the batch. Batches may be sent before the
   * last is written: each is stored after those sent before it that share a channel or
   * a message id with it (its messages take the later seqs; it reads meanwhile), and at
   * the same time as the rest.
   */
  sendMessages(
    messages: readonly NewMessage[],
    buildEvent: EventBuilder<MessageChange> | Promise<EventBuilder<MessageChange>>,
  ): Promise<SendResult[]>;
  /**
   * A channel event this node saw on the bus, its own or another node's (`authorId`: a
   * message's author): lets what the storage keeps of channels for sends follow their
   * changes instead of reading them again. Optional: a storage that keeps nothing ignores it.
   */
  sawEvent?(cid: string, seq: number, type: string, authorId: string | null): void;
  getMessage(id: string): Promise<MessageRecord | null>;
  /** The messages that exist among `ids`, in no particular order. */
  getMessagesByIds(ids: readonly string[]): Promise<MessageRecord[]>;
  /**
   * Edits a message in one transaction with its `message.updated` event. Returns
   * `event: null` when nothing changed. Throws MessageNotFoundError, MessageDeletedError.
   */
  updateMessage(
    id: string,
    edit: MessageEdit,
    now: number,
    buildEvent: EventBuilder<MessageChange>,
  ): Promise<{ message: MessageRecord; event: EventRecord | null }>;
  /**
   * Deletes a message: a tombstone (text, data, mentions and reactions gone), or, `hard`,
   * the message itself and the replies of its thread; one `message.deleted` event each.
   * Earlier events that carry the message's content are scrubbed to the tombstone. A soft
   * delete of a deleted message changes nothing (`events` empty). The uploads the deleted
   * messages carried are removed and returned: their blobs are the caller's to delete.
   */
  deleteMessage(
    id: string,
    hard: boolean,
    now: number,
    buildEvent: EventBuilder<MessageChange & { hard: boolean }>,
    scrub: EventScrubber,
  ): Promise<{ message: MessageRecord; events: EventRecord[]; uploads: UploadRecord[] }>;
  /**
   * Adds a reaction (with `unique`, removing the user's other reactions to the message):
   * one event per reaction added or removed. `duplicate` when the user had it already and
   * nothing changed. Throws MessageNotFoundError, MessageDeletedError, TooManyReactionTypesError.
   */
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
  }>;
  /** Removes a user's reaction of one type; `event: null` when there was none. */
  removeReaction(
    messageId: string,
    userId: string,
    type: string,
    now: number,
    buildEvent: EventBuilder<ReactionChange & { added: boolean }>,
  ): Promise<{ message: MessageRecord; event: EventRecord | null }>;
  /** A message's reactions, newest first, after a position (created_at, user, type). */
  getReactions(
    messageId: string,
    page: { type?: string | undefined; after?: ReactionCursor | undefined; limit: number },
  ): Promise<ReactionRecord[]>;
  /** One user's reactions to some messages, by message id. */
  getOwnReactions(
    userId: string,
    messageIds: readonly string[],
  ): Promise<Map<string, ReactionRecord[]>>;
  /** A thread's replies, oldest first; pages as getMessages does, by seq. */
  getReplies(parentId: string, page: MessagePage): Promise<MessageRecord[]>;
  /** A channel's pinned messages, newest pin first. */
  getPinned(cid: string, limit: number): Promise<MessageRecord[]>;
  /**
   * Live messages containing every search pattern, newest first (see MessageSearch): their
   * ids, times and search texts (the text as search compares it).
   */
  searchMessages(search: MessageSearch): Promise<SearchMatch[]>;
  /** The channels that exist among `cids`, in no particular order. */
  getChannels(cids: readonly string[]): Promise<ChannelRecord[]>;
  /**
   * Messages oldest first. With `beforeSeq`: the latest `limit` below it; with `afterSeq`: the
   * first `limit` above it; with neither: the latest `limit`. `beforeId` / `afterId` bound
   * the page by a message's seq instead, in the same query; none when the channel has no
   * message of that id.
   */
  getMessages(cid: string, page: MessagePage): Promise<MessageRecord[]>;
  /**
   * Moves the member's read position forward to `seq` (never backwards) and stores a
   * `message.read` event. Returns `event: null` when the position did not move.
   */
  markRead(
    cid: string,
    userId: string,
    upTo: { seq: number; messageId: string | null },
    now: number,
    buildEvent: EventBuilder<MemberRecord>,
  ): Promise<{ member: MemberRecord; event: EventRecord | null }>;
  /** Events with seq > sinceSeq, in order, at most `limit`. */
  getEvents(cid: string, sinceSeq: number, limit: number): Promise<EventRecord[]>;
  // Uploads
  /** Records an upload whose blobs are stored. */
  createUpload(upload: UploadRecord): Promise<void>;
  getUpload(id: string): Promise<UploadRecord | null>;
  /**
   * Removes up to `limit` uploads created before `before` that no message carries, oldest
   * first, and returns them (their blobs are the caller's to delete). Only one node sweeps
   * at a time: another node's call meanwhile returns [] at once.
   */
  takeUnattachedUploads(before: number, limit: number): Promise<UploadRecord[]>;

  /**
   * Unread messages per channel — from others, after the read position, not deleted, not
   * replies kept in their thread — for `cids` or all of the user's channels, with how many
   * of them mention the user; only channels with unread messages.
   */
  getUnreadCounts(
    userId: string,
    cids?: readonly string[],
  ): Promise<Map<string, { unread: number; mentions: number }>>;
}
