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
}

export interface MembersTable {
  cid: string;
  user_id: string;
  role: string;
  created_at: number;
  last_read_seq: number;
  last_read_message_id: string | null;
  last_read_at: number | null;
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
}

export interface EventsTable {
  cid: string;
  seq: number;
  type: string;
  created_at: number;
  /** The wire event as JSON text. */
  payload: string;
}
