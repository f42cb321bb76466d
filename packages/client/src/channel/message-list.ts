import type { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';

/**
 * A message as a channel shows it. A pending one (`sending`, or `failed` with its `error`)
 * has `seq` 0 and the current user as author until the server stores it.
 */
export type LocalMessage = Message & {
  status: 'sending' | 'sent' | 'failed';
  error?: ChatError;
};

/** A stored message as shown. */
export const sent = (message: Message): LocalMessage => ({ ...message, status: 'sent' });

/**
 * Adds stored messages to a list, replacing any message (stored or pending) with the same
 * id, so an id is never shown twice. The list keeps stored messages in seq order and the
 * pending ones after them, in send order.
 */
export function mergeStored(
  list: readonly LocalMessage[],
  messages: readonly Message[],
): LocalMessage[] {
  if (messages.length === 0) return list.slice();
  const incoming = new Map(messages.map((m) => [m.id, sent(m)]));
  const stored: LocalMessage[] = [];
  const pending: LocalMessage[] = [];
  for (const m of list) {
    if (incoming.has(m.id)) continue;
    (m.status === 'sent' ? stored : pending).push(m);
  }
  const last = stored.at(-1)?.seq ?? 0;
  const added = [...incoming.values()].sort((a, b) => a.seq - b.seq);
  stored.push(...added);
  // The usual case, newer messages at the end, needs no sort of the whole list.
  if (added[0]!.seq <= last) stored.sort((a, b) => a.seq - b.seq);
  return [...stored, ...pending];
}

/** Adds or replaces a pending message; pending messages stay last, in send order. */
export function withPending(list: readonly LocalMessage[], message: LocalMessage): LocalMessage[] {
  const at = list.findIndex((m) => m.id === message.id);
  if (at === -1) return [...list, message];
  if (list[at]!.status === 'sent') return list.slice(); // already stored: nothing is pending
  return [...list.slice(0, at), ...list.slice(at + 1), message];
}

/** Changes the pending message `id`, if there is one. */
export function updatePending(
  list: readonly LocalMessage[],
  id: string,
  update: (message: LocalMessage) => LocalMessage,
): LocalMessage[] {
  return list.map((m) => (m.id === id && m.status !== 'sent' ? update(m) : m));
}

/** The newest stored message. */
export function lastStored(list: readonly LocalMessage[]): LocalMessage | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.status === 'sent') return list[i];
  return undefined;
}
