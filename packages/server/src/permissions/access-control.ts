import {
  ChatError,
  type ChannelAction,
  type MemberRole,
  type PermissionRole,
} from '@parley/protocol';
import type { Bus } from '../bus/bus.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import type { Actor } from '../services/context.js';
import type { RestrictionRecord } from '../storage/moderation-records.js';
import type { ChannelRecord, MemberRecord, Storage, UserRecord } from '../storage/storage.js';
import { resolveType, type ResolvedChannelType } from './channel-type-settings.js';
import { TtlCache } from './ttl-cache.js';

/** Actions on the app as a whole (see {@link AccessControl.requireAppAdmin}). */
export type AppAction =
  'list_all_channels' | 'assign_app_roles' | 'ban_app_wide' | 'read_all_flags';

const APP_ACTIONS: Record<AppAction, string> = {
  list_all_channels: 'list every channel',
  assign_app_roles: "change a user's app role",
  ban_app_wide: 'ban app-wide',
  read_all_flags: 'see every flag (name a cid)',
};

/** What a send's in-transaction check sees of its channel (read with its members). */
export interface SendChannelView {
  cid: string;
  frozen: boolean;
  distinct: boolean;
  memberIds: ReadonlySet<string>;
  /** The author's role, null when not a member. */
  role: MemberRole | null;
}

export interface AccessControlOptions {
  storage: Storage;
  bus: Bus;
  rateLimits: RateLimits;
  /**
   * How long a node keeps channel types, bans, mutes, blocks and users without reading
   * them again. Changes reach every node at once over the bus (an `invalidate` message),
   * and a node whose bus may have lost some drops them all (`clear`): the TTL is only a
   * last bound on staleness. Default 10 min: with 30 s, a user posting once a minute read
   * their bans and blockers again at every send.
   */
  ttlMs?: number;
}

/**
 * The one place where Parley decides who may do what: a channel type's permissions by
 * role, bans, mutes, blocks, frozen channels, slow mode. Settings and restrictions are
 * cached per node, so the send path usually reads nothing more than before.
 */
export class AccessControl {
  private readonly storage: Storage;
  private readonly bus: Bus;
  private readonly rateLimits: RateLimits;
  private readonly types: TtlCache<ResolvedChannelType>;
  private readonly restrictions: TtlCache<RestrictionRecord[]>;
  private readonly blockers: TtlCache<Set<string>>;
  private readonly blocked: TtlCache<Set<string>>;
  private readonly muted: TtlCache<Set<string>>;
  private readonly actors: TtlCache<UserRecord>;

  constructor(options: AccessControlOptions) {
    this.storage = options.storage;
    this.bus = options.bus;
    this.rateLimits = options.rateLimits;
    const ttl = options.ttlMs ?? 600_000;
    this.types = new TtlCache(ttl, 10_000);
    this.restrictions = new TtlCache(ttl);
    this.blockers = new TtlCache(ttl);
    this.blocked = new TtlCache(ttl);
    this.muted = new TtlCache(ttl);
    this.actors = new TtlCache(ttl);
  }

  // --- cached reads -------------------------------------------------------------------

  /** A channel type's settings (`messaging`'s for a type never created). */
  channelType(name: string): Promise<ResolvedChannelType> {
    return this.types.get(name, async () =>
      resolveType(name, await this.storage.getChannelType(name)),
    );
  }

  /** The type of a cid, read from the cid itself (`type:id`): no query. */
  typeOfCid(cid: string): Promise<ResolvedChannelType> {
    return this.channelType(cid.slice(0, cid.indexOf(':')));
  }

  /** The user's bans and mutes in force now. */
  async activeRestrictions(userId: string): Promise<RestrictionRecord[]> {
    const all = await this.restrictions.get(userId, () => this.storage.getRestrictions(userId));
    const now = Date.now();
    return all.filter((r) => r.expiresAt === null || r.expiresAt > now);
  }

  /** Who blocked the user. */
  blockersOf(userId: string): Promise<Set<string>> {
    return this.blockers.get(userId, async () => new Set(await this.storage.getBlockerIds(userId)));
  }

  /** Whom the user blocked: their messages are left out of what the user reads. */
  blockedBy(userId: string): Promise<Set<string>> {
    return this.blocked.get(userId, async () => new Set(await this.storage.getBlockedIds(userId)));
  }

  /**
   * The record a token's user acts with (its app role decides admin rights), created on
   * first use. Every REST request needs it: cached like bans, it costs no query (on
   * PostgreSQL a round trip of each history page). An upsert drops it on every node.
   */
  actor(userId: string): Promise<UserRecord> {
    return this.actors.get(userId, () => this.storage.ensureUser(userId, Date.now()));
  }

  /**
   * The records of the users among `ids` that exist, kept as `actor` keeps them (an upsert
   * or role change drops them on every node, a presence change too): events and pages of
   * messages name their users from these. Missing ones are read in one query.
   */
  async userRecords(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    const found = new Map<string, UserRecord>();
    const missing: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        const kept = this.actors.peek(id);
        try {
          if (kept !== undefined) return void found.set(id, await kept);
        } catch {
          // Its load failed: read it with the rest.
        }
        missing.push(id);
      }),
    );
    if (missing.length > 0) {
      for (const user of await this.storage.getUsers(missing)) {
        this.actors.set(user.id, user);
        found.set(user.id, user);
      }
    }
    return found;
  }

  /** Drops this node's copy of a user's record (its `last_active` changed, on any node). */
  forgetRecord(userId: string): void {
    this.actors.delete(userId);
  }

  /** The channels the user muted for themselves. */
  mutedChannelsOf(userId: string): Promise<Set<string>> {
    return this.muted.get(
      userId,
      async () => new Set(await this.storage.getMutedChannelIds(userId)),
    );
  }

  /**
   * Channels that add nothing to the user's unread totals: those they muted and those they
   * are banned from (still a member, but not theirs to read).
   */
  async silencedChannelsOf(userId: string): Promise<Set<string>> {
    const [muted, restrictions] = await Promise.all([
      this.mutedChannelsOf(userId),
      this.activeRestrictions(userId),
    ]);
    const silenced = new Set(muted);
    for (const r of restrictions) if (r.kind === 'ban' && r.cid !== null) silenced.add(r.cid);
    return silenced;
  }

  // --- invalidation -------------------------------------------------------------------

  /** Drops this node's copy and tells every node to drop theirs. */
  async changed(scope: 'channel-type' | 'user', key: string): Promise<void> {
    this.forget(scope, key);
    await this.bus.publish({ kind: 'invalidate', scope, key });
  }

  /** Drops a cached entry (a bus `invalidate` message from any node, this one included). */
  forget(scope: 'channel-type' | 'user', key: string): void {
    if (scope === 'channel-type') {
      this.types.delete(key);
      return;
    }
    this.restrictions.delete(key);
    this.blockers.delete(key);
    this.blocked.delete(key);
    this.muted.delete(key);
    this.actors.delete(key);
  }

  /** Drops everything: invalidations from other nodes may have been lost. */
  clear(): void {
    this.types.clear();
    this.restrictions.clear();
    this.blockers.clear();
    this.blocked.clear();
    this.muted.clear();
    this.actors.clear();
  }

  // --- decisions ----------------------------------------------------------------------

  /**
   * App-level actions, beyond any one channel: the server and app admins (`role: admin`)
   * only; anyone else gets `403 forbidden` with `details.action`.
   */
  requireAppAdmin(actor: Actor, action: AppAction): void {
    if (actor.kind === 'server' || actor.user.role === 'admin') return;
    throw new ChatError('forbidden', `only app admins and the server may ${APP_ACTIONS[action]}`, {
      action,
    });
  }

  /** The roles a permission list may name that this caller holds in the channel. */
  rolesOf(actor: Actor, member: Pick<MemberRecord, 'role'> | null): Set<PermissionRole> {
    const roles = new Set<PermissionRole>();
    if (actor.kind === 'user' && actor.user.role === 'admin') roles.add('admin');
    if (member !== null) roles.add(member.role);
    return roles;
  }

  /** Whether the type lets one of these roles do the action (the server may do anything). */
  allows(
    actor: Actor,
    type: ResolvedChannelType,
    roles: ReadonlySet<PermissionRole>,
    action: ChannelAction,
  ): boolean {
    if (actor.kind === 'server') return true;
    return type.permissions[action].some((role) => roles.has(role));
  }

  /**
   * Read access: members, app admins and the server, unless banned from the channel.
   * Returns the caller's membership (null for the server and admins who are not members).
   */
  async requireReader(actor: Actor, cid: string): Promise<MemberRecord | null> {
    if (actor.kind === 'server') return null;
    const member = await this.storage.getMember(cid, actor.user.id);
    if (member === null && actor.user.role !== 'admin') {
      throw new ChatError('not_member', `you are not a member of ${cid}`);
    }
    await this.refuseBanned(actor.user.id, cid);
    return member;
  }

  /** Throws `banned` while the user is banned from the channel. */
  async refuseBanned(userId: string, cid: string): Promise<void> {
    const ban = (await this.activeRestrictions(userId)).find(
      (r) => r.kind === 'ban' && r.cid === cid,
    );
    if (ban !== undefined) throw restrictionError(ban);
  }

  /**
   * A moderation or management action (`pin`, `delete_others`, `add_members`, …): the
   * caller may read the channel and the type allows one of their roles.
   */
  async requirePermission(
    actor: Actor,
    cid: string,
    action: ChannelAction,
    known?: { member: MemberRecord | null },
  ): Promise<MemberRecord | null> {
    const member = known === undefined ? await this.requireReader(actor, cid) : known.member;
    if (actor.kind === 'server') return member;
    const type = await this.typeOfCid(cid);
    if (!this.allows(actor, type, this.rolesOf(actor, member), action)) {
      throw new ChatError('forbidden', `your role in ${cid} does not allow ${action}`, {
        action,
      });
    }
    return member;
  }

  /**
   * Writing (`send`, `reply`, `react`, `upload`, and editing or deleting one's own
   * messages): the permission, and not banned app-wide, not muted, channel not frozen.
   */
  async requireWriter(
    actor: Actor,
    channel: ChannelRecord,
    action: ChannelAction,
    known?: { member: MemberRecord | null },
  ): Promise<MemberRecord | null> {
    const member =
      known === undefined ? await this.requireReader(actor, channel.cid) : known.member;
    if (actor.kind === 'server') return member;
    await this.refuseRestricted(actor.user.id, channel.cid);
    if (channel.frozen) throw frozen(channel.cid);
    return this.requirePermission(actor, channel.cid, action, { member });
  }

  /** Throws `banned` (app-wide or here) or `muted` (here). */
  async refuseRestricted(userId: string, cid: string): Promise<void> {
    for (const r of await this.activeRestrictions(userId)) {
      if (r.cid === null || r.cid === cid) throw restrictionError(r);
    }
  }

  /** Slow mode: spends the user's turn in the channel, or throws `slow_mode`. */
  async consumeSlowMode(
    actor: Actor,
    cid: string,
    type: ResolvedChannelType,
    member: Pick<MemberRecord, 'role'> | null,
  ): Promise<void> {
    if (actor.kind === 'server' || type.slowModeS === 0) return;
    if (this.allows(actor, type, this.rolesOf(actor, member), 'skip_slow_mode')) return;
    await this.rateLimits.consumeSlowMode(`${cid}\n${actor.user.id}`, type.slowModeS);
  }

  /**
   * The check a user's send makes inside its transaction, where the channel and the
   * author's role are read with the members: frozen, the type's permissions, blocks.
   */
  sendCheck(
    actor: Extract<Actor, { kind: 'user' }>,
    type: ResolvedChannelType,
    blockers: ReadonlySet<string>,
    needs: readonly ChannelAction[],
  ): (channel: SendChannelView) => ChatError | null {
    return (channel) => {
      if (channel.frozen) return frozen(channel.cid);
      const roles = this.rolesOf(actor, channel.role === null ? null : { role: channel.role });
      for (const action of needs) {
        if (!this.allows(actor, type, roles, action)) {
          return new ChatError(
            'forbidden',
            `your role in ${channel.cid} does not allow ${action}`,
            {
              action,
            },
          );
        }
      }
      if (channel.distinct && blockers.size > 0) {
        for (const id of channel.memberIds) {
          if (id !== actor.user.id && blockers.has(id)) {
            return new ChatError('blocked', 'a member of this conversation blocked you');
          }
        }
      }
      return null;
    };
  }
}

function frozen(cid: string): ChatError {
  return new ChatError('frozen', `${cid} is frozen: it is read-only until unfrozen`);
}

function restrictionError(r: RestrictionRecord): ChatError {
  const expiresAt = r.expiresAt === null ? null : new Date(r.expiresAt).toISOString();
  const where = r.cid === null ? 'from this app' : `in ${r.cid}`;
  return r.kind === 'ban'
    ? new ChatError('banned', `you are banned ${where}`, { cid: r.cid, expires_at: expiresAt })
    : new ChatError('muted', `you are muted in ${r.cid}: you may read but not write`, {
        cid: r.cid,
        expires_at: expiresAt,
      });
}
