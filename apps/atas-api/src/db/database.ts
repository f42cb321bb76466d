/**
 * ATAS's tables as Kysely sees them, the same on SQLite and PostgreSQL: ids are UUID text,
 * times are epoch milliseconds (bigint).
 */
export interface AtasDatabase {
  atas_users: UsersTable;
  atas_events: EventsTable;
  atas_invitations: InvitationsTable;
  atas_legacy_messages: LegacyMessagesTable;
  atas_links: LinksTable;
}

/** `admin`: an operator, who is an admin in Parley too (acts in every conversation). */
export type UserRole = 'organizer' | 'speaker' | 'admin';
export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  /**
   * `scrypt$<salt hex>$<hash hex>`, see auth/password.ts; empty for a speaker invited by
   * email who has not set a password yet (no password matches it).
   */
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
  description: string | null;
  /** The venue. */
  location: string | null;
  starts_at: number;
  ends_at: number | null;
  /** IANA time zone the event's times are shown in (migration 002; `UTC` before). */
  time_zone: string;
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

export type LinkKind = 'invite' | 'password_reset';

/**
 * One-time links sent by email. Only a SHA-256 of the token is kept, so the table does not
 * hold usable links; `used_at` makes a link one-time.
 */
export interface LinksTable {
  token_hash: string;
  kind: LinkKind;
  user_id: string;
  /** The invitation an invite link belongs to; null for a password reset. */
  invitation_id: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}
