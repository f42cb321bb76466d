import type { GetMessagesResponse, Message } from '@parley/protocol';
import { trimNewest, trimOldest, type ChannelModel } from './channel-state.js';
import { sent } from './message-list.js';

/** Where a page of history was asked for: before, after or around a message, or the latest. */
export interface PageCursor {
  before?: string;
  after?: string;
  around?: string;
}

/**
 * A page of history merged into the window. A page next to a loaded message joins it; one
 * whose cursor message is no longer loaded (dropped meanwhile) would leave a hole and is
 * ignored. A page without a cursor is the latest, and one `around` a message is where the
 * reader jumps: either replaces the stored messages. `recent`
 * are the messages that arrived while the page was on its way: once the window holds the
 * newest messages again they follow the page, so none is missing after it.
 */
export function withPage(
  state: ChannelModel,
  page: GetMessagesResponse,
  cursor: PageCursor,
  recent: readonly Message[],
): ChannelModel {
  const { window } = state;
  if (cursor.before !== undefined) {
    if (window.get(cursor.before) === undefined) return state;
    const next = { ...state, window: window.add(page.messages) };
    if (window.oldest?.id === cursor.before) next.hasMoreOlder = page.has_more_before;
    return trimNewest(next);
  }
  let next: ChannelModel;
  if (cursor.after !== undefined) {
    if (window.get(cursor.after) === undefined) return state;
    next = { ...state, window: window.add(page.messages) };
    if (window.newest?.id === cursor.after) next.hasMoreNewer = page.has_more_after;
  } else {
    next = {
      ...state,
      window: window.replaceStored(page.messages),
      hasMoreOlder: page.has_more_before,
      hasMoreNewer: page.has_more_after,
    };
  }
  if (!next.hasMoreNewer) next.window = next.window.add(recent);
  return trimOldest(next);
}

/**
 * The server stored one of the user's messages. Until its event is applied it stays among
 * the pending ones, as `sent`; applied already, or outside the loaded messages, only the
 * pending copy goes.
 */
export function withAck(state: ChannelModel, message: Message): ChannelModel {
  const { window } = state;
  if (window.get(message.id) !== undefined || state.hasMoreNewer) {
    const next = window.withoutPending([message]);
    return next === window ? state : { ...state, window: next };
  }
  const newest = window.newest;
  if (newest === undefined || message.seq > newest.seq) {
    const acked = sent(message);
    const shown = window.pending.some((m) => m.id === message.id);
    return {
      ...state,
      // In its place among the pending ones: they were sent in order.
      window: shown
        ? window.updatePending(message.id, () => acked)
        : window.withPendingMessage(acked),
    };
  }
  const oldest = window.oldest!;
  return {
    ...state,
    window: message.seq > oldest.seq ? window.add([message]) : window.withoutPending([message]),
  };
}
