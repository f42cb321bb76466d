import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AtasError } from '../atas-error.js';
import { hashPassword } from '../auth/password.js';
import type { AtasDatabase, UserRole, UsersTable } from '../db/database.js';

export type UserRow = Selectable<UsersTable>;

/** What a client sees of a user: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  role: UserRole;
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  role: UserRole;
  avatarUrl?: string | null;
}

/**
 * Accounts: organizers sign up, speakers are invited (an account without a password until
 * they follow the invite link), seeding and tooling create either.
 */
export class Accounts {
  constructor(private readonly db: Kysely<AtasDatabase>) {}

  /** Creates an account; `email_taken` if the (case-insensitive) email exists. */
  async create(input: NewUser): Promise<PublicUser> {
    const email = normalizeEmail(input.email);
    if ((await this.findByEmail(email)) !== undefined) {
      throw new AtasError('email_taken', `an account with email ${email} exists`);
    }
    const row: UserRow = {
      id: randomUUID(),
      email,
      password_hash: await hashPassword(input.password),
      name: input.name,
      avatar_url: input.avatarUrl ?? null,
      role: input.role,
      created_at: Date.now(),
    };
    await this.db.insertInto('atas_users').values(row).execute();
    return toPublicUser(row);
  }

  /**
   * The account of a speaker invited by email: no password (none matches), a name taken from
   * the address until they choose one. `email_taken` if the email exists.
   */
  async createInvited(email: string): Promise<UserRow> {
    const normalized = normalizeEmail(email);
    if ((await this.findByEmail(normalized)) !== undefined) {
      throw new AtasError('email_taken', `an account with email ${normalized} exists`);
    }
    const row: UserRow = {
      id: randomUUID(),
      email: normalized,
      password_hash: '',
      name: normalized.split('@')[0] || normalized,
      avatar_url: null,
      role: 'speaker',
      created_at: Date.now(),
    };
    await this.db.insertInto('atas_users').values(row).execute();
    return row;
  }

  /** Sets the password (already hashed: hash before a transaction, it is slow) and maybe the name. */
  async setPassword(id: string, passwordHash: string, name?: string): Promise<UserRow> {
    await this.db
      .updateTable('atas_users')
      .set(
        name === undefined
          ? { password_hash: passwordHash }
          : { password_hash: passwordHash, name },
      )
      .where('id', '=', id)
      .execute();
    const row = await this.findById(id);
    if (row === undefined) throw new AtasError('unauthorized', 'the account no longer exists');
    return row;
  }

  /** Changes the profile fields given; returns the row as it is now. */
  async updateProfile(
    id: string,
    changes: { name?: string; avatarUrl?: string | null },
  ): Promise<UserRow> {
    const set: { name?: string; avatar_url?: string | null } = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.avatarUrl !== undefined) set.avatar_url = changes.avatarUrl;
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('atas_users').set(set).where('id', '=', id).execute();
    }
    const row = await this.findById(id);
    if (row === undefined) throw new AtasError('unauthorized', 'the account no longer exists');
    return row;
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('atas_users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('atas_users').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    avatar_url: row.avatar_url,
    role: row.role,
  };
}

/** False for a speaker invited by email who has not set a password yet. */
export function hasJoined(row: { password_hash: string }): boolean {
  return row.password_hash !== '';
}
