import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AtasError } from '../atas-error.js';
import type { AtasDatabase, LinkKind, LinksTable } from '../db/database.js';

export type LinkRow = Selectable<LinksTable>;

/** How long a link lasts, by kind. */
export interface LinkLifetimes {
  /** An invite link for a speaker without an account. Default 7 days. */
  inviteSeconds: number;
  /** A password reset link. Default 1 hour. */
  passwordResetSeconds: number;
}

export const DEFAULT_LINK_LIFETIMES: LinkLifetimes = {
  inviteSeconds: 7 * 24 * 60 * 60,
  passwordResetSeconds: 60 * 60,
};

/** The token a link carries: 32 random bytes, base64url; only its SHA-256 is stored. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * One-time, expiring links (invites by email, password resets). Issuing and using take the
 * caller's transaction, so a link is written with what it belongs to and used together with
 * what it does, or not at all.
 */
export class OneTimeLinks {
  constructor(readonly lifetimes: LinkLifetimes = DEFAULT_LINK_LIFETIMES) {}

  /** A new token; earlier unused links of the same kind and target stop working. */
  async issue(
    db: Kysely<AtasDatabase>,
    link: { kind: LinkKind; userId: string; invitationId?: string | null },
  ): Promise<string> {
    const now = Date.now();
    let revoke = db
      .updateTable('atas_links')
      .set({ used_at: now })
      .where('kind', '=', link.kind)
      .where('user_id', '=', link.userId)
      .where('used_at', 'is', null);
    if (link.invitationId != null) revoke = revoke.where('invitation_id', '=', link.invitationId);
    await revoke.execute();
    const token = randomBytes(32).toString('base64url');
    const seconds =
      link.kind === 'invite' ? this.lifetimes.inviteSeconds : this.lifetimes.passwordResetSeconds;
    await db
      .insertInto('atas_links')
      .values({
        token_hash: hashToken(token),
        kind: link.kind,
        user_id: link.userId,
        invitation_id: link.invitationId ?? null,
        expires_at: now + seconds * 1000,
        used_at: null,
        created_at: now,
      })
      .execute();
    return token;
  }

  /**
   * The link of `token` if it can still be used: `link_invalid` (404) for a token that was
   * never issued, `link_used` (410) once used or replaced, `link_expired` (410) after its time.
   */
  async check(db: Kysely<AtasDatabase>, kind: LinkKind, token: string): Promise<LinkRow> {
    const row = await db
      .selectFrom('atas_links')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (row === undefined) throw new AtasError('link_invalid', 'this link is not valid');
    if (row.used_at !== null) {
      throw new AtasError(
        'link_used',
        'this link has been used already or replaced by a newer one',
      );
    }
    if (row.expires_at <= Date.now()) throw new AtasError('link_expired', 'this link has expired');
    return row;
  }

  /**
   * Uses the link once: the conditional update makes two racing uses safe, only one wins.
   * Call inside the transaction that does what the link allows.
   */
  async use(db: Kysely<AtasDatabase>, kind: LinkKind, token: string): Promise<LinkRow> {
    const row = await this.check(db, kind, token);
    const result = await db
      .updateTable('atas_links')
      .set({ used_at: Date.now() })
      .where('token_hash', '=', row.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new AtasError('link_used', 'this link has been used already');
    }
    return row;
  }

  /** Ends every unused link of an invitation (it was withdrawn). */
  async revokeForInvitation(db: Kysely<AtasDatabase>, invitationId: string): Promise<void> {
    await db
      .updateTable('atas_links')
      .set({ used_at: Date.now() })
      .where('invitation_id', '=', invitationId)
      .where('used_at', 'is', null)
      .execute();
  }
}
