import type {
  AttachmentType,
  ChannelEventType,
  MemberRole,
  MessageType,
  UserRole,
} from '@parley/protocol';

/**
 * Storage records. Times are epoch milliseconds; the server turns them into ISO strings
 * on the wire. Custom data is a parsed JSON object.
 */
export interface UserRecord {
  id: string;
  name: string | null;
  image: string | null;
  role: UserRole;
  data: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  lastActive: number | null;
}

/** One user in an upsert; fields left undefined keep their stored value (or the default). */
export interface UserUpsert {
  id: string;
  name?: string | null | undefined;
  image?: string | null | undefined;
  role?: UserRole | undefined;
  data?: Record<string, unknown> | undefined;
  /** Where notification emails go; null removes it. Never part of the user on the wire. */
  email?: string | null | undefined;
}

export interface ChannelRecord {
  cid: string;
  type: string;
  id: string;
  data: Record<string, unknown>;
  distinct: boolean;
  createdById: string | null;
  createdAt: number;
  updatedAt: number;
  lastMessageAt: number | null;
  memberCount: number;
  /** The seq of the latest event; 0 before any. */
  lastSeq: number;
  /** Read-only for users. */
  frozen: boolean;
}

export interface MemberRecord {
  cid: string;
  userId: string;
  role: MemberRole;
  createdAt: number;
  /** The seq of the last message read; 0 when nothing was read. */
  lastReadSeq: number;
  lastReadMessageId: string | null;
  lastReadAt: number | null;
}

export interface MessageRecord {
  id: string;
  cid: string;
  seq: number;
  type: MessageType;
  userId: string | null;
  text: string;
  data: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /** The thread's first message, for a reply. */
  parentId: string | null;
  showInChannel: boolean;
  replyCount: number;
  threadParticipants: string[];
  quotedMessageId: string | null;
  /** Members mentioned, by id. */
  mentionedUserIds: string[];
  reactionCounts: Record<string, number>;
  /** The newest reactions, newest first (at most DEFAULT_LIMITS.latestReactions). */
  latestReactions: ReactionRecord[];
  /** Its files, in the order sent; empty once deleted. */
  attachments: AttachmentRecord[];
  pinnedAt: number | null;
  pinnedBy: string | null;
  editedAt: number | null;
  deletedAt: number | null;
}

/** A file as its message keeps it: its upload's description, without URLs (signed per answer). */
export interface AttachmentRecord {
  id: string;
  type: AttachmentType;
  mime: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  /** Whether the upload has a thumbnail. */
  thumb: boolean;
}

export interface ReactionRecord {
  messageId: string;
  userId: string;
  type: string;
  score: number;
  createdAt: number;
  updatedAt: number;
}

/** An entry of a channel's event log. `payload` is the full wire event, as fanned out. */
export interface EventRecord {
  cid: string;
  seq: number;
  type: ChannelEventType;
  createdAt: number;
  payload: Record<string, unknown>;
  /** The message the event is about, if any: deleting it scrubs this event's copy. */
  messageId: string | null;
}

/** A thread's state after a reply came or went: what changed on its parent. */
export interface ThreadUpdate {
  parentId: string;
  replyCount: number;
  threadParticipants: string[];
}

/** What an event about a message is built from inside its transaction. */
export interface MessageChange {
  message: MessageRecord;
  /** For a reply stored or deleted: its thread after it. */
  thread: ThreadUpdate | null;
  /** The message it quotes, as stored when it was read in the transaction. */
  quoted: MessageRecord | null;
}

/**
 * Rewrites a stored event's payload that carries a deleted message, as itself or as a
 * quote, with its tombstone; returns the payload unchanged (the same object) otherwise.
 */
export type EventScrubber = (
  payload: Record<string, unknown>,
  tombstone: MessageRecord,
) => Record<string, unknown>;

/** What an event about a reaction is built from: the reaction and its message after the change. */
export interface ReactionChange {
  reaction: ReactionRecord;
  message: MessageRecord;
}

/**
 * Builds the wire payload of an event once its seq is known. Called inside the storage
 * transaction, so the stored payload and the fanned-out event are the same object.
 */
export type EventBuilder<T> = (
  subject: T,
  seq: number,
  createdAt: number,
) => Record<string, unknown>;

export interface NewChannel {
  cid: string;
  type: string;
  id: string;
  data: Record<string, unknown>;
  distinct: boolean;
  createdById: string | null;
  /** Initial members; stored without events (the channel starts at seq 0). */
  members: { userId: string; role: MemberRole }[];
  now: number;
}

export interface NewMessage {
  id: string;
  cid: string;
  type: MessageType;
  userId: string | null;
  text: string;
  data: Record<string, unknown>;
  createdAt: number;
  /** Store it even if the author is not a member (app admins post anywhere). Default false. */
  allowNonMember?: boolean | undefined;
  /** Reply in this message's thread: it must be in the channel, live, and not a reply. */
  parentId?: string | null | undefined;
  showInChannel?: boolean | undefined;
  /** Quote this message: it must be in the channel and live. */
  quotedMessageId?: string | null | undefined;
  /** Users to mention; those who are not members are dropped. */
  mentionedUserIds?: readonly string[] | undefined;
  /**
   * Uploads the message carries, in order: each uploaded by the author, for this channel,
   * and carried by no other message (else AttachmentRefusedError). Taken in the message's
   * transaction.
   */
  attachmentIds?: readonly string[] | undefined;
  /**
   * The access rules that need the channel as the batch reads it (frozen, the author's
   * role, the members): returns the error that refuses the message, or null. Called once
   * the author is known to be a member (or allowed not to be).
   */
  check?: ((channel: SendChannelView) => unknown) | undefined;
}

/** What a send's check sees of its channel, read with its members in the batch. */
export interface SendChannelView {
  cid: string;
  frozen: boolean;
  distinct: boolean;
  memberIds: ReadonlySet<string>;
  /** The author's role; null when not a member. */
  role: MemberRole | null;
}

/** A change to a stored message: only the fields given change. */
export interface MessageEdit {
  text?: string | undefined;
  data?: Record<string, unknown> | undefined;
  /** Replaces the mentions (non-members dropped). */
  mentionedUserIds?: readonly string[] | undefined;
  /** Pin (with who pinned, null for the server) or unpin (null). */
  pin?: { by: string | null } | null | undefined;
}

/**
 * What became of one message of a batch. `channel` is the channel after the whole batch;
 * `memberIds` are its members, as the batch read them to check the authors.
 */
export type SendResult =
  | {
      status: 'stored';
      message: MessageRecord;
      event: EventRecord;
      channel: ChannelRecord;
      memberIds: readonly string[];
    }
  /** The id was stored before (or earlier in the batch) by the same author in the same channel. */
  | { status: 'duplicate'; message: MessageRecord }
  /**
   * A StorageError saying why (ChannelNotFoundError, NotMemberError, MessageIdConflictError,
   * MessageNotFoundError / MessageDeletedError / InvalidReferenceError for a parent or quote,
   * AttachmentRefusedError for an attachment), or what the database threw.
   */
  | { status: 'failed'; error: unknown };

/** An uploaded file; its bytes (and its thumbnail's) are in the blob store under the keys. */
export interface UploadRecord {
  id: string;
  cid: string;
  /** The uploader. */
  userId: string;
  blobKey: string;
  thumbKey: string | null;
  thumbSize: number | null;
  /** Sniffed from the bytes. */
  mime: string;
  type: AttachmentType;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  createdAt: number;
  /** The message that carries it; null until one does. */
  messageId: string | null;
}

/** Position in the channel list, which is sorted by activity (last message or creation) desc, then cid desc. */
export interface ChannelCursor {
  activityAt: number;
  cid: string;
}

/** Position in a message's reaction list (newest first). */
export interface ReactionCursor {
  createdAt: number;
  userId: string;
  type: string;
}

/** A message search: substring patterns over each message's search text. */
export interface MessageSearch {
  /** Normalised terms (search/search-text.ts), every one of which the text must contain. */
  terms: readonly string[];
  /** Normalised terms none of which it may contain. */
  excluded: readonly string[];
  /** Only the channels this user is a member of; null for every channel. */
  readerId: string | null;
  cid?: string | undefined;
  authorId?: string | undefined;
  /** true: only messages with attachments; false: only those without. */
  hasAttachments?: boolean | undefined;
  /** Epoch ms bounds of created_at, exclusive. */
  before?: number | undefined;
  after?: number | undefined;
  /** Strictly after this message in (created_at desc, id desc) order. */
  cursor?: { createdAt: number; id: string } | undefined;
  limit: number;
}

/**
 * A message that a search found: what ranking and paging need, without the message's other
 * columns (read only for the page shown, with getMessagesByIds).
 */
export interface SearchMatch {
  id: string;
  createdAt: number;
  /** The text as search compares it (search/search-text.ts). */
  searchText: string;
}

/** Which messages of a channel Storage.getMessages returns. */
export interface MessagePage {
  limit: number;
  beforeSeq?: number | undefined;
  afterSeq?: number | undefined;
  beforeId?: string | undefined;
  afterId?: string | undefined;
}
