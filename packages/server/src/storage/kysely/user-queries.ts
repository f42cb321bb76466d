import type { UserRole } from '@parley/protocol';
import { sql } from 'kysely';
import type { Insertable, Kysely, SqlBool, Updateable } from 'kysely';
import { UnknownUsersError } from '../storage-errors.js';
import type { UserRecord, UserUpsert } from '../storage.js';
import { later } from './channel-transaction.js';
import type { Database, UsersTable } from './database.js';
import { jsonStatementsOf } from './json-statements.js';
import { toUser } from './row-mappers.js';
import type { StorageAdapter } from './storage-adapter.js';

// Users. Each function takes the Kysely instance; those used inside a transaction take it too.

export function upsertUsers(
  db: Kysely<Database>,
  users: readonly UserUpsert[],
  now: number,
): Promise<UserRecord[]> {
  return db.transaction().execute(async (trx) => {
    const stored = new Map<string, UserRecord>();
    // One statement per user, as each updates only the fields it specifies. Sorted by id so
    // that concurrent batches lock rows in one order and cannot deadlock on PostgreSQL.
    const sorted = [...users].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const user of sorted) {
      const set: Updateable<UsersTable> = { updated_at: now };
      if (user.name !== undefined) set.name = user.name;
      if (user.image !== undefined) set.image = user.image;
      if (user.role !== undefined) set.role = user.role;
      if (user.data !== undefined) set.data = JSON.stringify(user.data);
      if (user.email !== undefined) set.email = user.email;
      const row = await trx
        .insertInto('parley_users')
        .values({ ...newUserRow(user.id, now), ...set })
        .onConflict((oc) => oc.column('id').doUpdateSet(set))
        .returningAll()
        .executeTakeFirstOrThrow();
      stored.set(user.id, toUser(row));
    }
    // In the order given; a user listed twice appears twice, as finally stored.
    return users.map((user) => stored.get(user.id)!);
  });
}

export async function ensureUser(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<UserRecord> {
  // Read first: this runs on every authenticated request, and an insert that does nothing
  // is still a write (on PostgreSQL a transaction id and a commit record to flush).
  const existing = await db
    .selectFrom('parley_users')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (existing !== undefined) return toUser(existing);
  await db
    .insertInto('parley_users')
    .values(newUserRow(id, now))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('parley_users')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** The users among `ids`; one prepared statement for any number of ids (every send reads its authors). */
export async function getUsers(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  ids: readonly string[],
): Promise<UserRecord[]> {
  if (ids.length === 0) return [];
  const rows = await jsonStatementsOf(adapter).execute(
    db,
    'users.by-id',
    { rows: [...new Set(ids)].map((id) => ({ id })), columns: { id: 'text' }, alias: 'r' },
    (table) => db.selectFrom(table).innerJoin('parley_users as u', 'u.id', 'r.id').selectAll('u'),
  );
  return rows.map(toUser);
}

export async function queryUsers(
  db: Kysely<Database>,
  query: {
    ids?: readonly string[] | undefined;
    prefix?: string | undefined;
    role?: UserRole | undefined;
    afterId?: string | undefined;
    limit: number;
  },
): Promise<UserRecord[]> {
  const { ids, prefix, role, afterId, limit } = query;
  if (ids?.length === 0) return [];
  let select = db.selectFrom('parley_users').selectAll().orderBy('id').limit(limit);
  if (ids !== undefined) select = select.where('id', 'in', ids);
  if (role !== undefined) select = select.where('role', '=', role);
  if (afterId !== undefined) select = select.where('id', '>', afterId);
  if (prefix !== undefined && prefix !== '') {
    // lower() on both sides: LIKE ignores case on SQLite but not on PostgreSQL. `!` escapes
    // the wildcards; a backslash would need string-literal rules that differ between them.
    const pattern = `${prefix.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;
    select = select.where((eb) =>
      eb.or([
        sql<SqlBool>`lower(${eb.ref('name')}) like ${pattern} escape '!'`,
        sql<SqlBool>`lower(${eb.ref('id')}) like ${pattern} escape '!'`,
      ]),
    );
  }
  return (await select.execute()).map(toUser);
}

export async function setLastActive(
  db: Kysely<Database>,
  userId: string,
  at: number,
): Promise<void> {
  // Never backwards: several nodes may report the same user out of order.
  await db
    .updateTable('parley_users')
    .set({ last_active: later('last_active', at) })
    .where('id', '=', userId)
    .execute();
}

export async function getContactIds(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parley_members as mine')
    .innerJoin('parley_members as other', 'other.cid', 'mine.cid')
    .where('mine.user_id', '=', userId)
    .where('other.user_id', '!=', userId)
    .select('other.user_id')
    .distinct()
    .execute();
  return rows.map((row) => row.user_id);
}

/** Throws UnknownUsersError unless every id is a stored user. */
export async function assertUsersExist(
  db: Kysely<Database>,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db
    .selectFrom('parley_users')
    .select('id')
    .where('id', 'in', userIds)
    .execute();
  const known = new Set(rows.map((row) => row.id));
  const unknown = userIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UnknownUsersError(unknown);
}

function newUserRow(id: string, now: number): Insertable<UsersTable> {
  return {
    id,
    name: null,
    image: null,
    role: 'user',
    data: '{}',
    created_at: now,
    updated_at: now,
    last_active: null,
  };
}
