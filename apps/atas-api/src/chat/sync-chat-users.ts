import type { Kysely } from 'kysely';
import type { AtasDatabase } from '../db/database.js';
import type { ChatService } from './chat-service.js';

/** Parley takes at most 100 users per upsert. */
const BATCH = 100;

/**
 * Pushes every account's name, avatar and email to Parley, 100 at a time: accounts made
 * before ATAS pushed emails (or while Parley was down) get their address, so Parley can
 * email them about unread messages. Resolves with the number of accounts pushed.
 */
export async function syncChatUsers(db: Kysely<AtasDatabase>, chat: ChatService): Promise<number> {
  let pushed = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('atas_users')
      .select(['id', 'name', 'avatar_url', 'email', 'password_hash'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return pushed;
    await chat.upsertUsers(rows);
    pushed += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}
