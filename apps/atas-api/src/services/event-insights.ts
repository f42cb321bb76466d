import type { Kysely } from 'kysely';
import { AtasError } from '../atas-error.js';
import { requestChannel, type ChatService } from '../chat/chat-service.js';
import type { ConversationStats } from '../chat/conversation-stats.js';
import type { AtasDatabase, InvitationStatus } from '../db/database.js';
import type { EventRow } from './events.js';

/** One request of an event, as the Insights panel shows it. */
export interface RequestInsightJson {
  invitation_id: string;
  speaker: { id: string; name: string };
  status: InvitationStatus;
  /** Messages people sent in its Communication Log; null while the chat is unavailable. */
  messages: number | null;
  /** Seconds from its first message to the first answer by the other side; null: none yet. */
  first_response_s: number | null;
}

/** `GET /api/v1/events/:id/insights`: how the event's invitations and their talks go. */
export interface EventInsightsJson {
  event_id: string;
  /** Invitations by status, and all of them. */
  invitations: Record<InvitationStatus, number> & { total: number };
  /** Every request, newest invitation first. */
  requests: RequestInsightJson[];
  /** Messages of all its requests; null while the chat is unavailable. */
  messages: number | null;
  /** The median of the requests' first-response times (those answered); null: none. */
  median_first_response_s: number | null;
  /** False when Parley could not be asked: the chat figures are null then. */
  chat_available: boolean;
}

/** Conversations read from Parley at once: a large event does not open 100 requests together. */
const CONCURRENCY = 4;

/**
 * An event's figures: invitations by status from ATAS's database; messages and first
 * responses per request from each Communication Log's history in Parley (server SDK).
 */
export async function eventInsights(
  db: Kysely<AtasDatabase>,
  chat: ChatService,
  event: EventRow,
): Promise<EventInsightsJson> {
  const rows = await db
    .selectFrom('atas_invitations as i')
    .innerJoin('atas_users as u', 'u.id', 'i.speaker_id')
    .select(['i.id', 'i.status', 'i.conversation_uuid', 'u.id as speaker_id', 'u.name'])
    .where('i.event_id', '=', event.id)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .execute();
  const invitations = { pending: 0, accepted: 0, declined: 0, withdrawn: 0, total: rows.length };
  for (const row of rows) invitations[row.status] += 1;

  let stats: (ConversationStats | null)[];
  let available = true;
  try {
    stats = await inBatches(rows, (row) =>
      chat.conversationStats(requestChannel(row.conversation_uuid)),
    );
  } catch (err) {
    if (!(err instanceof AtasError && err.code === 'chat_unavailable')) throw err;
    available = false;
    stats = rows.map(() => null);
  }

  const requests = rows.map((row, i): RequestInsightJson => {
    const figures = stats[i] ?? null;
    return {
      invitation_id: row.id,
      speaker: { id: row.speaker_id, name: row.name },
      status: row.status,
      messages: figures?.messages ?? null,
      first_response_s:
        figures === null || figures.firstResponseMs === null
          ? null
          : figures.firstResponseMs / 1000,
    };
  });
  const answered = requests.flatMap((r) =>
    r.first_response_s === null ? [] : [r.first_response_s],
  );
  return {
    event_id: event.id,
    invitations,
    requests,
    messages: available ? requests.reduce((sum, r) => sum + (r.messages ?? 0), 0) : null,
    median_first_response_s: median(answered),
    chat_available: available,
  };
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  }
  return results;
}
