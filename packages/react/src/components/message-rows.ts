import type { ChannelStateSnapshot, LocalMessage } from '@parley/client';

/** Messages of one author closer than this form one group (one name and avatar). */
export const GROUP_GAP_MS = 5 * 60_000;

/** One line of a message list: a day separator or a message. */
export type Row =
  | { kind: 'day'; key: string; date: Date }
  | { kind: 'message'; key: string; index: number; message: LocalMessage; groupStart: boolean };

/**
 * The rows for `messages[from, to)`: messages grouped by author within five minutes, with a
 * separator before each new day; a system message stands alone. `messages[from - 1]` decides
 * the first row's grouping. `dayKey` names a date's calendar day (in the time zone shown).
 */
export function messageRows(
  messages: readonly LocalMessage[],
  from: number,
  to: number,
  dayKey: (date: Date) => string = localDayKey,
): Row[] {
  const rows: Row[] = [];
  let previous = from > 0 ? messages[from - 1] : undefined;
  for (let i = from; i < to; i++) {
    const message = messages[i]!;
    const date = new Date(message.created_at);
    const before = previous === undefined ? undefined : new Date(previous.created_at);
    const newDay = before === undefined || dayKey(before) !== dayKey(date);
    if (newDay) {
      rows.push({ kind: 'day', key: `day-${dayKey(date)}-${message.id}`, date });
    }
    const groupStart =
      newDay ||
      previous === undefined ||
      previous.type === 'system' ||
      message.type === 'system' ||
      previous.user_id !== message.user_id ||
      date.getTime() - before!.getTime() > GROUP_GAP_MS;
    rows.push({ kind: 'message', key: message.id, index: i, message, groupStart });
    previous = message;
  }
  return rows;
}

/**
 * The id of the latest own stored message that another member's read position covers:
 * where "Seen" goes. Undefined when none is.
 */
export function seenMessageId(
  state: ChannelStateSnapshot,
  me: string | undefined,
): string | undefined {
  if (me === undefined) return undefined;
  let read = 0;
  for (const [userId, position] of Object.entries(state.read)) {
    if (userId !== me) read = Math.max(read, position.last_read_seq);
  }
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const message = state.messages[i]!;
    if (message.user_id === me && message.status === 'sent' && message.seq <= read) {
      return message.id;
    }
  }
  return undefined;
}

function localDayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}
