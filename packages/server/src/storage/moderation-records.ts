import type { EventRecord, UserRecord } from './storage.js';
/**
 * Storage records of moderation and permissions (issue 17). Times are epoch milliseconds.
 */

/** A channel type's stored settings; `settings` is the wire shape minus name and times. */
export interface ChannelTypeRecord {
  name: string;
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A ban (no reading or writing) or a mute (no writing) of a user. */
export interface RestrictionRecord {
  kind: 'ban' | 'mute';
  userId: string;
  /** The channel; null for an app-wide ban. */
  cid: string | null;
  byUserId: string | null;
  reason: string | null;
  createdAt: number;
  /** Null: until lifted. */
  expiresAt: number | null;
}

export interface FlagRecord {
  id: string;
  kind: 'message' | 'user' | 'blocklist';
  cid: string | null;
  messageId: string | null;
  targetUserId: string | null;
  flaggedBy: string | null;
  reason: string | null;
  createdAt: number;
  /** Null while the flag is open in the moderation queue. */
  resolution: FlagResolution | null;
}

/** How a moderator closed a flag: dismissed it, or acted on it (deleted, banned, muted). */
export interface FlagResolution {
  kind: 'dismissed' | 'actioned';
  /** Null for the server. */
  byUserId: string | null;
  at: number;
}

export interface AuditRecord {
  id: string;
  createdAt: number;
  action: string;
  actorId: string | null;
  targetUserId: string | null;
  cid: string | null;
  messageId: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * An app event (moderation of no one channel: flags, app-wide bans, app roles) to store in
 * the transaction of its action. The storage numbers it with the app's own seq and adds
 * `type`, `seq` and `created_at` to `payload`; the webhook dispatcher delivers it.
 */
export interface AppEventDraft {
  type: string;
  createdAt: number;
  payload: Record<string, unknown>;
}

/** A stored app event. */
export interface AppEventRecord {
  seq: number;
  type: string;
  createdAt: number;
  /** The wire event, `type`, `seq` and `created_at` included. */
  payload: Record<string, unknown>;
}

/** A moderation change to store with its audit entry (and, in a channel, its event). */
export type ModerationChange =
  | { op: 'restrict'; restriction: RestrictionRecord }
  | { op: 'lift'; kind: 'ban' | 'mute'; userId: string; cid: string | null }
  | { op: 'freeze'; cid: string; frozen: boolean };

/** A page position in a newest-first list (flags, audit entries). */
export interface NewestCursor {
  createdAt: number;
  id: string;
}

export interface AuditQuery {
  cid?: string | undefined;
  actorId?: string | undefined;
  targetUserId?: string | undefined;
  action?: string | undefined;
  before?: NewestCursor | undefined;
  limit: number;
}

/** The storage of moderation; part of {@link Storage}. */
export interface ModerationStorage {
  getChannelType(name: string): Promise<ChannelTypeRecord | null>;
  listChannelTypes(): Promise<ChannelTypeRecord[]>;
  /**
   * Stores a type's settings with its audit entry and app event. `create`: false (and nothing written)
   * when the type exists; `update`: replaces the settings, creating the row for a
   * built-in type changed for the first time.
   */
  saveChannelType(
    record: ChannelTypeRecord,
    mode: 'create' | 'update',
    audit: AuditRecord,
    appEvent: AppEventDraft,
  ): Promise<boolean>;

  /** The user's bans and mutes, expired ones included (the caller compares times). */
  getRestrictions(userId: string): Promise<RestrictionRecord[]>;
  /**
   * Applies a change with its audit entry in one transaction. In a channel (a channel
   * ban or mute, a freeze), the change takes a seq and stores the event `buildEvent` makes;
   * a change that changes nothing (lifting what is not there, freezing a frozen channel)
   * writes nothing and answers `changed: false`. An app-wide change stores `appEvent`
   * instead (when it changes something). Throws ChannelNotFoundError.
   */
  moderate(
    change: ModerationChange,
    audit: AuditRecord,
    buildEvent: (seq: number, at: number) => Record<string, unknown> | null,
    appEvent?: AppEventDraft | null,
  ): Promise<{ changed: boolean; event: EventRecord | null }>;

  /** Stores a flag with its audit entry and its app event (`flag.created`). */
  addFlag(flag: FlagRecord, audit: AuditRecord, appEvent: AppEventDraft): Promise<void>;
  getFlag(id: string): Promise<FlagRecord | null>;
  /**
   * Resolves an open flag with its audit entry and the app event `buildEvent` makes of the
   * resolved flag. Null when there is no such flag; a flag resolved already is returned as
   * it is, and nothing is written.
   */
  resolveFlag(
    id: string,
    resolution: FlagResolution,
    audit: AuditRecord,
    buildEvent: (flag: FlagRecord) => AppEventDraft,
  ): Promise<{ flag: FlagRecord; changed: boolean } | null>;
  /** Flags newest first, of one channel or all; open, resolved or both. */
  queryFlags(query: {
    cid?: string | undefined;
    status: 'open' | 'resolved' | 'all';
    before?: NewestCursor | undefined;
    limit: number;
  }): Promise<FlagRecord[]>;

  /** Blocks or unblocks; false when nothing changed (then no audit entry either). */
  setBlock(
    userId: string,
    blockedId: string,
    blocked: boolean,
    audit: AuditRecord,
  ): Promise<boolean>;
  /** Whom the user blocked. */
  getBlockedIds(userId: string): Promise<string[]>;
  /** Who blocked the user. */
  getBlockerIds(userId: string): Promise<string[]>;

  /** Mutes or unmutes a channel for a user; false when nothing changed. */
  setChannelMute(userId: string, cid: string, muted: boolean, now: number): Promise<boolean>;
  getMutedChannelIds(userId: string): Promise<string[]>;

  appendAudit(entry: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;

  /**
   * Changes a user's app role with its audit entry and the app event `buildEvent` makes
   * from the role before. Null when there is no such user; `changed` false (and nothing
   * written) when the user has the role already.
   */
  setUserRole(
    userId: string,
    role: 'user' | 'admin',
    now: number,
    audit: AuditRecord,
    buildEvent: (previous: 'user' | 'admin') => AppEventDraft,
  ): Promise<{ user: UserRecord; changed: boolean } | null>;
  /** App events after `sinceSeq`, oldest first (tests and tools; webhooks deliver them). */
  getAppEvents(sinceSeq: number, limit: number): Promise<AppEventRecord[]>;
}
