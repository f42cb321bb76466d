import { expect } from 'vitest';
import type { Channel, LocalMessage } from '../../../packages/client/src/index.js';

/**
 * Sends `count` messages one after another, each once the previous is acknowledged
 * (through reconnects: the client's queue resends with the same id); resolves with them.
 */
export async function sendAll(
  channel: Channel,
  prefix: string,
  count: number,
): Promise<LocalMessage[]> {
  const acked: LocalMessage[] = [];
  for (let i = 0; i < count; i++) {
    acked.push(await channel.sendMessage({ id: `${prefix}-${i}`, text: `${prefix} #${i}` }));
  }
  return acked;
}

/**
 * The messages (a channel state's, or a history page) hold every id of `ids` exactly
 * once, nothing else, in strictly rising seq order, and each sender's messages in the
 * order it sent them (`ids` lists each sender's in order).
 */
export function expectEachOnceInOrder(
  messages: readonly { id: string; seq?: number; status?: string }[],
  ids: readonly string[],
): void {
  const got = messages.map((m) => m.id);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...ids].sort());
  const seqs = messages.map((m) => m.seq ?? 0);
  expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
  expect(messages.every((m) => m.status === undefined || m.status === 'sent')).toBe(true);
  const position = new Map(got.map((id, i) => [id, i]));
  const bySender = new Map<string, number[]>();
  for (const id of ids) {
    const sender = id.replace(/-\d+$/, '');
    bySender.set(sender, [...(bySender.get(sender) ?? []), position.get(id)!]);
  }
  for (const positions of bySender.values()) {
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }
}
