import type { Kysely } from 'kysely';
import { requestChannel, type ChatService } from '../chat/chat-service.js';
import type { AtasDatabase } from '../db/database.js';
import type { InvitationRow } from '../services/invitations.js';

export interface MigrateLegacyChatOptions {
  db: Kysely<AtasDatabase>;
  chat: ChatService;
  /** Count what would be copied; write nothing to Parley. Default false. */
  dryRun?: boolean;
  /** Called after each message (or, in a dry run, each conversation). */
  onProgress?: (done: number, total: number) => void;
}

export interface MigrateLegacyChatSummary {
  conversations: number;
  /** Legacy messages seen. */
  messages: number;
  /** Stored in Parley by this run (0 in a dry run). */
  imported: number;
  /** Already in Parley from an earlier run. */
  alreadyImported: number;
  /** Messages of conversations that belong to no invitation: they have no channel. */
  skipped: number;
  dryRun: boolean;
}

/**
 * Copies every legacy conversation into its request channel, in order, with the original
 * author and time. Each message keeps the id `legacy-<uuid>`, so Parley answers a second
 * copy with `duplicate` and stores nothing: the migration can be run again, or resumed
 * after a failure, safely.
 */
export async function migrateLegacyChat(
  options: MigrateLegacyChatOptions,
): Promise<MigrateLegacyChatSummary> {
  const { db, chat } = options;
  const dryRun = options.dryRun ?? false;
  const rows = await db
    .selectFrom('atas_legacy_messages')
    .selectAll()
    .orderBy('conversation_uuid')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const invitations = new Map<string, InvitationRow>(
    (await db.selectFrom('atas_invitations').selectAll().execute()).map((i) => [
      i.conversation_uuid,
      i,
    ]),
  );
  const summary: MigrateLegacyChatSummary = {
    conversations: new Set(rows.map((r) => r.conversation_uuid)).size,
    messages: rows.length,
    imported: 0,
    alreadyImported: 0,
    skipped: 0,
    dryRun,
  };
  const ensured = new Set<string>();
  let done = 0;
  for (const row of rows) {
    const invitation = invitations.get(row.conversation_uuid);
    if (invitation === undefined) {
      summary.skipped += 1;
    } else if (!dryRun) {
      if (!ensured.has(invitation.id)) {
        await ensureChannel(db, chat, invitation);
        ensured.add(invitation.id);
      }
      const { duplicate } = await chat.sendMessage(requestChannel(row.conversation_uuid), {
        id: `legacy-${row.id}`,
        userId: row.author_id,
        text: row.text,
        createdAt: new Date(row.created_at),
      });
      if (duplicate) summary.alreadyImported += 1;
      else summary.imported += 1;
    }
    done += 1;
    options.onProgress?.(done, rows.length);
  }
  return summary;
}

async function ensureChannel(
  db: Kysely<AtasDatabase>,
  chat: ChatService,
  invitation: InvitationRow,
): Promise<void> {
  const people = await db
    .selectFrom('atas_users')
    .select(['id', 'name', 'avatar_url'])
    .where('id', 'in', [invitation.organizer_id, invitation.speaker_id])
    .execute();
  const organizer = people.find((p) => p.id === invitation.organizer_id);
  const speaker = people.find((p) => p.id === invitation.speaker_id);
  if (organizer === undefined || speaker === undefined) {
    throw new Error(`invitation ${invitation.id} names a missing user`);
  }
  await chat.getOrCreateRequestChannel(invitation, organizer, speaker);
}
