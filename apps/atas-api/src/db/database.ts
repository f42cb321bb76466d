/**
 * ATAS's tables as Kysely sees them, the same on SQLite and PostgreSQL: ids are UUID text,
 * times are epoch milliseconds (bigint).
 */
export interface AtasDatabase {
  atas_users: UsersTable;
  atas_events: EventsTable;
  atas_invitations: InvitationsTable;
  atas_legacy_messages: LegacyMessagesTable;
}

export type UserRole = 'organizer' | 'speaker';
export type InvitationStatus = 'pending' | 'accepted' | 'declined';

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  /** `scrypt$<salt hex>$<hash hex>`, see auth/password.ts. */
  password_hash: string;
  name: string;
  avatar_url: string | null;
  role: UserRole;
  created_at: number;
}

export interface EventsTable {
  id: string;
  organizer_id: string;
  title: string;
  location: string | null;
  starts_at: number;
  ends_at: number | null;
  created_at: number;
}

export interface InvitationsTable {
  id: string;
  event_id: string;
  organizer_id: string;
  speaker_id: string;
  status: InvitationStatus;
  /** The conversation of the legacy log; names the request's Parley channel too. */
  conversation_uuid: string;
  message: string | null;
  created_at: number;
  updated_at: number;
}

export interface LegacyMessagesTable {
  id: string;
  conversation_uuid: string;
  author_id: string;
  text: string;
  created_at: number;
}
