import {
  ChatError,
  type QueryUsersResponse,
  type SetUserRoleRequest,
  type UnreadSummary,
  type User,
  type UserInput,
  userIdSchema,
} from '@parley/protocol';
import type { UserRecord } from '../storage/storage.js';
import { UnknownUsersError } from '../storage/storage-errors.js';
import { checkData, requireServer, requireUser } from './access.js';
import { userRoleChanged } from './app-events.js';
import { auditEntry } from './audit-entry.js';
import type { Actor, ServiceContext } from './context.js';
import { PageCursors } from './page-cursor.js';
import { toUser } from './wire.js';

/** Users, presence-aware lookups and unread totals. */
export class UserService {
  private readonly cursors: PageCursors;

  constructor(private readonly ctx: ServiceContext) {
    this.cursors = new PageCursors(ctx.config.secret);
  }

  async upsert(actor: Actor, users: UserInput[]): Promise<User[]> {
    requireServer(actor);
    const ids = new Set<string>();
    for (const user of users) {
      if (ids.has(user.id)) {
        throw new ChatError('invalid_request', `user ${user.id} appears twice`);
      }
      ids.add(user.id);
      checkData(user.data, this.ctx.config.limits.maxCustomDataBytes);
    }
    const stored = await this.ctx.storage.upsertUsers(users, Date.now());
    // A role may have changed: every node reads the user's record again.
    await Promise.all(stored.map((user) => this.ctx.access.changed('user', user.id)));
    return this.withPresence(stored);
  }

  /** Changes a user's app role (the server, app admins): audited, and a `user.role_changed` app event. */
  async setRole(actor: Actor, id: string, req: SetUserRoleRequest): Promise<User> {
    this.ctx.access.requireAppAdmin(actor, 'assign_app_roles');
    const by = actor.kind === 'user' ? actor.user.id : null;
    const now = Date.now();
    const result = await this.ctx.storage.setUserRole(
      id,
      req.role,
      now,
      auditEntry(by, 'user.role', now, {
        targetUserId: id,
        reason: req.reason ?? null,
        data: { role: req.role },
      }),
      (previous) => userRoleChanged(id, req.role, previous, by, now),
    );
    if (result === null) throw new ChatError('user_not_found', `user ${id} does not exist`);
    // Every node reads the user's record again: the new role applies to the next request.
    await this.ctx.access.changed('user', id);
    return (await this.withPresence([result.user]))[0]!;
  }

  async get(id: string): Promise<User> {
    const user = await requireUser(this.ctx.storage, id);
    return (await this.withPresence([user]))[0]!;
  }

  async query(query: {
    ids?: string[] | undefined;
    q?: string | undefined;
    role?: 'user' | 'admin' | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<QueryUsersResponse> {
    const afterId =
      query.cursor === undefined
        ? undefined
        : this.cursors.decode('users', query.cursor, userCursorSchema);
    const rows = await this.ctx.storage.queryUsers({
      ids: query.ids,
      prefix: query.q,
      role: query.role,
      afterId,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return {
      users: await this.withPresence(page),
      next_cursor: more ? this.cursors.encode('users', page.at(-1)!.id) : null,
    };
  }

  /** Wire users with their online flag, in the order given. */
  async withPresence(users: readonly UserRecord[]): Promise<User[]> {
    const online = await this.ctx.presence.online(users.map((u) => u.id));
    return users.map((u) => toUser(u, online.has(u.id)));
  }

  /**
   * Wire users by id for the given ids (missing ids are left out), from the records this
   * node keeps (AccessControl.userRecords): every change of a record drops it on every
   * node (an upsert or role change, and `last_active` when presence changes), so a page of
   * messages costs no query for its authors.
   */
  async usersById(ids: Iterable<string>): Promise<Map<string, User>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    // Side by side: with several nodes, presence is a Redis round trip of its own.
    const [found, online] = await Promise.all([
      this.ctx.access.userRecords(unique),
      this.ctx.presence.online(unique),
    ]);
    return new Map([...found.values()].map((u) => [u.id, toUser(u, online.has(u.id))]));
  }

  /** Throws `unknown_users` unless every id exists. */
  async requireExisting(ids: readonly string[]): Promise<Map<string, User>> {
    const users = await this.usersById(ids);
    const missing = ids.filter((id) => !users.has(id));
    if (missing.length > 0) throw new UnknownUsersError(missing);
    return users;
  }

  async unread(userId: string): Promise<UnreadSummary> {
    const [counts, silenced] = await Promise.all([
      this.ctx.storage.getUnreadCounts(userId),
      this.ctx.access.silencedChannelsOf(userId),
    ]);
    let total = 0;
    let mentions = 0;
    const channels: UnreadSummary['channels'] = [];
    for (const [cid, count] of counts) {
      // A muted channel adds nothing to the badge (its channel state still counts), nor
      // does one the user is banned from.
      if (silenced.has(cid)) continue;
      total += count.unread;
      mentions += count.mentions;
      channels.push({ cid, unread_count: count.unread, unread_mentions: count.mentions });
    }
    channels.sort((a, b) => (a.cid < b.cid ? -1 : 1));
    return {
      total_unread_count: total,
      unread_channels: channels.length,
      total_unread_mentions: mentions,
      channels,
    };
  }
}

/** A users page continues after this user id. */
const userCursorSchema = userIdSchema;
