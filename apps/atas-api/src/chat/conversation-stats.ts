import {
  ChatError,
  type GetEventsResponse,
  type Message,
  type ParleyServerClient,
} from '@parley/server-sdk';

/** What one conversation's history says, counted as Parley's `GET /analytics` counts. */
export interface ConversationStats {
  /** Messages people sent (system notices not counted; a deleted one still counts). */
  messages: number;
  /**
   * From the first message to the first one by someone else, in milliseconds; null while
   * nobody answered (or nobody wrote).
   */
  firstResponseMs: number | null;
}

/** Events asked for per page: the most Parley gives. */
const PAGE = 500;

/**
 * Reads a channel's whole event history through the server SDK, a page at a time, and
 * counts its messages and its first response. A channel that does not exist yet (Parley
 * was down when the invitation was made) has none of either.
 */
export async function conversationStats(
  client: ParleyServerClient,
  channel: { type: string; id: string },
): Promise<ConversationStats> {
  const sent: Message[] = [];
  let sinceSeq = 0;
  for (;;) {
    let page: GetEventsResponse;
    try {
      page = await client.getEvents(channel.type, channel.id, { sinceSeq, limit: PAGE });
    } catch (err) {
      if (err instanceof ChatError && err.code === 'channel_not_found') break;
      throw err;
    }
    for (const event of page.events) {
      if (event.type === 'message.new' && event.message.type === 'regular') {
        sent.push(event.message);
      }
    }
    const last = page.events[page.events.length - 1];
    if (!page.has_more || last === undefined) break;
    sinceSeq = last.seq;
  }
  return { messages: sent.length, firstResponseMs: firstResponse(sent) };
}

/** Parley's definition: in time order (an import may be backdated), the first answer by another. */
function firstResponse(messages: Message[]): number | null {
  const byTime = messages
    .map((m) => ({ user: m.user_id, at: Date.parse(m.created_at) }))
    .sort((a, b) => a.at - b.at);
  const first = byTime[0];
  if (first === undefined) return null;
  const answer = byTime.find((m) => m.user !== first.user && m.at >= first.at);
  return answer === undefined ? null : answer.at - first.at;
}
