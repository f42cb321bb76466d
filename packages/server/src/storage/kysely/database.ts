import type { Generated } from 'kysely';

/**
 * Table types of Parley's database, as Kysely sees them. The same shapes on SQLite and
 * PostgreSQL: times are epoch milliseconds (bigint), seqs and counts are integers, custom
 * data and event payloads are JSON text, booleans are 0/1 integers (better-sqlite3 cannot
 * bind booleans).
 */
export interface Database {
  parley_users: UsersTable;
  parley_channels: ChannelsTable;
  parley_members: MembersTable;
  parley_messages: MessagesTable;
  parley_events: EventsTable;
  parley_reactions: ReactionsTable;
  parley_mentions: MentionsTable;
  parley_uploads: UploadsTable;
  parley_webhooks: WebhooksTable;
  parley_webhook_deliveries: WebhookDeliveriesTable;
  parley_email_schedule: EmailScheduleTable;
  parley_channel_types: ChannelTypesTable;
  parley_restrictions: RestrictionsTable;
  parley_flags: FlagsTable;
  parley_blocks: BlocksTable;
  parley_channel_mutes: ChannelMutesTable;
  parley_audit_log: AuditLogTable;
  parley_app_events: AppEventsTable;
  parley_app_sequence: AppSequenceTable;
  parley_stats_daily: StatsDailyTable;
  parley_stats_new_channels: StatsNewChannelsTable;
  parley_stats_channel_day: StatsChannelDayTable;
  parley_stats_user_day: StatsUserDayTable;
  parley_stats_first_response: StatsFirstResponseTable;
}

export interface UsersTable {
  id: string;
  name: string | null;
  image: string | null;
  role: string;
  /** JSON object as text. */
  data: string;
  created_at: number;
  updated_at: number;
  last_active: number | null;
  /** Where notification emails go (set by the server token only; never on the wire to others). */
  email: string | null;
  /** 0 once the user turned email off or unsubscribed. */
  email_enabled: Generated<number>;
}

export interface ChannelsTable {
  /** `type:id`. */
  cid: string;
  type: string;
  id: string;
  /** JSON object as text. */
  data: string;
  /** 1 for a channel made from a member list (DMs), else 0. */
  is_distinct: number;
  created_by_id: string | null;
  created_at: number;
  updated_at: number;
  last_message_at: number | null;
  /** Last message time, else creation time: the sort key of the channel list. */
  activity_at: number;
  member_count: number;
  /** The seq of the latest event; 0 before any. Bumped first in every change. */
  last_seq: number;
  /**
   * The seq up to which the outbox dispatcher has turned the channel's events into
   * webhook deliveries and email schedules. Events above it are committed but not yet
   * dispatched: the event log itself is the outbox, so a send writes nothing more.
   */
  outbox_seq: Generated<number>;
  /** 1 while the channel is read-only for users (defaults to 0). */
  frozen: Generated<number>;
}

export interface MembersTable {
  cid: string;
  user_id: string;
  role: string;
  created_at: number;
  last_read_seq: number;
  last_read_message_id: string | null;
  last_read_at: number | null;
  /** 1 when the member gets no email about this channel. */
  muted: Generated<number>;
}

export interface MessagesTable {
  /** Chosen by the client or the server; the primary key makes sends idempotent. */
  id: string;
  cid: string;
  seq: number;
  type: string;
  user_id: string | null;
  text: string;
  /** JSON object as text. */
  data: string;
  created_at: number;
  updated_at: number;
  /** The thread's first message, for a reply; else null. */
  parent_id: string | null;
  /** 1 for a reply also shown in the channel. */
  show_in_channel: number;
  reply_count: number;
  /** JSON array of user ids, in the order they first replied. */
  thread_participants: string;
  quoted_message_id: string | null;
  /** JSON array of the mentioned members' ids. */
  mentioned_users: string;
  /** JSON object: reaction type → count. */
  reaction_counts: string;
  /** JSON array of the newest reactions (as stored rows, without users). */
  latest_reactions: string;
  /** JSON array of the attachments (AttachmentRecord, without URLs); `[]` for none. */
  attachments: string;
  pinned_at: number | null;
  pinned_by: string | null;
  edited_at: number | null;
  deleted_at: number | null;
  /** The text as search compares it (search/search-text.ts); empty once deleted. */
  search_text: string;
  /** The CJK character pairs of search_text (see cjkBigramsOf), for their own index. */
  search_bigrams: string;
}

export interface ReactionsTable {
  message_id: string;
  user_id: string;
  type: string;
  /** The message's channel, so that a channel's reactions go with it. */
  cid: string;
  score: number;
  created_at: number;
  updated_at: number;
}

export interface MentionsTable {
  message_id: string;
  user_id: string;
  cid: string;
  /** The message's seq: counted against the member's read position. */
  seq: number;
}

export interface EventsTable {
  cid: string;
  seq: number;
  type: string;
  created_at: number;
  /** The wire event as JSON text. */
  payload: string;
  /** The message the event is about (null for events about members, reads, the channel). */
  message_id: string | null;
}

export interface UploadsTable {
  id: string;
  cid: string;
  /** The uploader. */
  user_id: string;
  blob_key: string;
  /** The thumbnail's blob (images only). */
  thumb_key: string | null;
  thumb_size: number | null;
  /** Sniffed from the bytes. */
  mime: string;
  /** `image`, `video`, `audio` or `file`. */
  type: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  created_at: number;
  /** The message that carries it; null until one does (unattached uploads are swept). */
  message_id: string | null;
}

export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event type filters (`*`, `message.*`, `message.new`). */
  events: string;
  /** The endpoint's own secret; null: the server's webhook secret. */
  secret: string | null;
  /** `config` (from --webhook-url, replaced at start-up) or `api`. */
  source: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  /** The event's id, shared by every endpoint's delivery of it: receivers deduplicate by it. */
  event_id: string;
  cid: string;
  seq: number;
  type: string;
  /** The exact JSON body POSTed (signatures cover these bytes). */
  body: string;
  /** `pending` or `failed` (dead-lettered). Delivered rows are deleted. */
  status: string;
  attempts: number;
  next_attempt_at: number;
  /** A node is delivering it until then; 0 when nobody is. */
  locked_until: number;
  /** Retries stop (the delivery fails) after this time. */
  expires_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
}

export interface EmailScheduleTable {
  user_id: string;
  cid: string;
  /** The first unread message that started this schedule, and when it was sent. */
  first_seq: number;
  first_at: number;
  /** When the email is due if the user has neither read nor connected by then. */
  due_at: number;
  /** When the email went out; null while pending. Kept until the user reads, so one email per channel. */
  sent_at: number | null;
  locked_until: number;
  attempts: number;
}

/** A channel type's settings, stored once created or changed (built-ins live in code until then). */
export interface ChannelTypesTable {
  name: string;
  /** JSON: permissions, max_message_length, slow_mode_s, blocklist. */
  settings: string;
  created_at: number;
  updated_at: number;
}

/** Bans and mutes in force (or expired and not yet lifted: readers compare `expires_at`). */
export interface RestrictionsTable {
  /** `ban` or `mute`. */
  kind: string;
  user_id: string;
  /** The cid, or '' for an app-wide ban (a primary key column cannot be null). */
  scope: string;
  by_user_id: string | null;
  reason: string | null;
  created_at: number;
  expires_at: number | null;
}

export interface FlagsTable {
  id: string;
  /** `message`, `user` or `blocklist`. */
  kind: string;
  cid: string | null;
  message_id: string | null;
  target_user_id: string | null;
  flagged_by: string | null;
  reason: string | null;
  created_at: number;
  /** `dismissed` or `actioned`; null while the flag is open. */
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: number | null;
}

/** `user_id` blocked `blocked_user_id`. */
export interface BlocksTable {
  user_id: string;
  blocked_user_id: string;
  created_at: number;
}

/** `user_id` muted channel `cid` for themselves. */
export interface ChannelMutesTable {
  user_id: string;
  cid: string;
  created_at: number;
}

export interface AuditLogTable {
  id: string;
  created_at: number;
  action: string;
  actor_id: string | null;
  target_user_id: string | null;
  cid: string | null;
  message_id: string | null;
  reason: string | null;
  /** JSON object. */
  data: string;
}

/** An app event (moderation of no one channel), numbered by the app's own seq. */
export interface AppEventsTable {
  seq: number;
  type: string;
  created_at: number;
  /** The wire event as JSON text. */
  payload: string;
}

/** One row (id 1): the app's last seq given, and the last one dispatched to webhooks. */
export interface AppSequenceTable {
  id: number;
  last_seq: number;
  outbox_seq: number;
}

/*
 * Analytics, kept up to date in the transactions that store messages and create channels.
 * `day` is the UTC date `YYYY-MM-DD` of the message's (or channel's) creation time.
 */

/**
 * Channels created per day, as servers before migration 020 counted them (and older nodes
 * during a rolling upgrade). (`messages` stays 0: a day's messages are its channels' rows.)
 */
export interface StatsDailyTable {
  day: string;
  messages: number;
  new_channels: number;
}

/** Channels created per day, spread over 16 rows by cid (recordNewChannel; migration 020). */
export interface StatsNewChannelsTable {
  day: string;
  slot: number;
  new_channels: number;
}

export interface StatsChannelDayTable {
  day: string;
  cid: string;
  messages: number;
}

/** A user who sent at least one message that day. */
export interface StatsUserDayTable {
  day: string;
  user_id: string;
}

/** A channel's first message, and the first message after it by someone else. */
export interface StatsFirstResponseTable {
  cid: string;
  first_at: number;
  first_user_id: string;
  response_at: number | null;
  response_day: string | null;
}
