import type { Kysely } from 'kysely';
import type { AnalyticsRows } from '../analytics-records.js';
import type {
  AppEventDraft,
  AppEventRecord,
  AuditQuery,
  AuditRecord,
  ChannelTypeRecord,
  FlagRecord,
  FlagResolution,
  ModerationChange,
  ModerationStorage,
  NewestCursor,
  RestrictionRecord,
} from '../moderation-records.js';
import { StorageError, StorageUnavailableError } from '../storage-errors.js';
import type { EventRecord, UserRecord } from '../storage.js';
import { getAnalytics } from './analytics-queries.js';
import * as appEvents from './app-event-writes.js';
import type { Database } from './database.js';
import * as flags from './flag-writes.js';
import * as moderation from './moderation-writes.js';
import type { StorageAdapter } from './storage-adapter.js';

/**
 * The moderation half of KyselyStorage (channel types, bans and mutes, flags, blocks, the
 * audit log, app events) and analytics, with the error translation both halves share.
 */
export abstract class KyselyModerationStorage implements ModerationStorage {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly adapter: StorageAdapter,
  ) {}

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
    appEvent: AppEventDraft,
  ): Promise<boolean> {
    return this.guard(() => moderation.saveChannelType(this.db, record, mode, audit, appEvent));
  }

  getRestrictions(userId: string): Promise<RestrictionRecord[]> {
    return this.guard(() => moderation.getRestrictions(this.db, userId));
  }

  moderate(
    change: ModerationChange,
    audit: AuditRecord,
    buildEvent: (seq: number, at: number) => Record<string, unknown> | null,
    appEvent: AppEventDraft | null = null,
  ): Promise<{ changed: boolean; event: EventRecord | null }> {
    return this.guard(() => moderation.moderate(this.db, change, audit, buildEvent, appEvent));
  }

  addFlag(flag: FlagRecord, audit: AuditRecord, appEvent: AppEventDraft): Promise<void> {
    return this.guard(() => flags.addFlag(this.db, flag, audit, appEvent));
  }

  getFlag(id: string): Promise<FlagRecord | null> {
    return this.guard(() => flags.getFlag(this.db, id));
  }

  resolveFlag(
    id: string,
    resolution: FlagResolution,
    audit: AuditRecord,
    buildEvent: (flag: FlagRecord) => AppEventDraft,
  ): Promise<{ flag: FlagRecord; changed: boolean } | null> {
    return this.guard(() => flags.resolveFlag(this.db, id, resolution, audit, buildEvent));
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

  setUserRole(
    userId: string,
    role: 'user' | 'admin',
    now: number,
    audit: AuditRecord,
    buildEvent: (previous: 'user' | 'admin') => AppEventDraft,
  ): Promise<{ user: UserRecord; changed: boolean } | null> {
    return this.guard(() => appEvents.setUserRole(this.db, userId, role, now, audit, buildEvent));
  }

  getAppEvents(sinceSeq: number, limit: number): Promise<AppEventRecord[]> {
    return this.guard(() => appEvents.getAppEvents(this.db, sinceSeq, limit));
  }

  /** Turns connection-level failures into StorageUnavailableError; other errors pass unchanged. */
  protected async guard<T>(work: () => Promise<T>): Promise<T> {
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
