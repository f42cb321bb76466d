import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AtasDatabase, LegacyMessagesTable } from '../db/database.js';

export type LegacyMessageRow = Selectable<LegacyMessagesTable>;

export interface LegacyMessageJson {
  id: string;
  conversation_uuid: string;
  author: { id: string; name: string };
  text: string;
  created_at: string;
}

/** The old polling Communication Log, kept in ATAS's database. */
export class LegacyLog {
  constructor(private readonly db: Kysely<AtasDatabase>) {}

  /** A conversation's messages, oldest first. */
  async list(conversationUuid: string): Promise<LegacyMessageJson[]> {
    const rows = await this.db
      .selectFrom('atas_legacy_messages as m')
      .innerJoin('atas_users as u', 'u.id', 'm.author_id')
      .select(['m.id', 'm.conversation_uuid', 'm.author_id', 'u.name', 'm.text', 'm.created_at'])
      .where('m.conversation_uuid', '=', conversationUuid)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      conversation_uuid: r.conversation_uuid,
      author: { id: r.author_id, name: r.name },
      text: r.text,
      created_at: new Date(r.created_at).toISOString(),
    }));
  }

  /** Stores a message; `createdAt` is for seeding and imports (default now). */
  async post(input: {
    conversationUuid: string;
    authorId: string;
    text: string;
    createdAt?: Date;
  }): Promise<LegacyMessageRow> {
    const row: LegacyMessageRow = {
      id: randomUUID(),
      conversation_uuid: input.conversationUuid,
      author_id: input.authorId,
      text: input.text,
      created_at: (input.createdAt ?? new Date()).getTime(),
    };
    await this.db.insertInto('atas_legacy_messages').values(row).execute();
    return row;
  }
}
