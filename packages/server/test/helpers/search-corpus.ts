import type { TestServer } from './test-server.js';

/**
 * A multilingual corpus for search, sent in this order to `team:trip` (alice, bob) unless
 * it names another channel: accents, case, CJK without spaces, Arabic, German, emoji,
 * LIKE's own characters, a thread reply, a system message, and a channel alice and bob
 * are not in. Keys name the messages in assertions.
 */
export const SEARCH_CORPUS = [
  { key: 'friday', user: 'alice', text: 'Hotel booking confirmed for Friday' },
  { key: 'shuttle', user: 'bob', text: 'The hotel shuttle leaves at 9' },
  { key: 'cafe', user: 'bob', text: 'Café meeting moved' },
  { key: 'lait', user: 'alice', text: 'CAFE au lait' },
  { key: 'room', user: 'bob', text: '会议室在三楼' },
  { key: 'cancelled', user: 'alice', text: '明天的会议取消了' },
  { key: 'flight', user: 'alice', text: 'Flight AB123 delayed 🚀' },
  { key: 'desk', user: 'bob', text: 'check in at the front desk' },
  { key: 'noon', user: 'alice', text: 'Check-in closes at noon' },
  { key: 'nearby', user: 'bob', text: 'Hotels nearby are cheaper' },
  { key: 'arabic', user: 'alice', text: 'مرحبا بكم في الفندق' },
  { key: 'german', user: 'bob', text: 'Übernachtung im Hotel gebucht' },
  { key: 'sale', user: 'alice', text: '50% off_sale today' },
  { key: 'reply', user: 'bob', text: 'hotel reply in a thread', parent: 'friday' },
  { key: 'system', user: null, text: 'Invitation accepted: hotel covered' },
  { key: 'secret', user: 'carol', text: 'secret hotel plans', cid: 'team:other' },
] as const;

export type CorpusKey = (typeof SEARCH_CORPUS)[number]['key'];

/** Sends the corpus (one message per 2 ms of created_at, in order); answers ids by key. */
export async function seedSearchCorpus(server: TestServer): Promise<Map<CorpusKey, string>> {
  await server.createUsers('alice', 'bob', 'carol');
  await server.createChannel('team', 'trip', ['bob'], 'alice');
  await server.createChannel('team', 'other', ['carol'], 'carol');
  const ids = new Map<CorpusKey, string>();
  const start = Date.parse('2026-06-01T10:00:00Z');
  for (const [i, entry] of SEARCH_CORPUS.entries()) {
    const cid = 'cid' in entry ? entry.cid : 'team:trip';
    const body: Record<string, unknown> = {
      id: `corpus-${entry.key}`,
      text: entry.text,
      created_at: new Date(start + i * 60_000).toISOString(),
      ...(entry.user === null ? { type: 'system' } : { user_id: entry.user }),
    };
    if ('parent' in entry) body.parent_id = ids.get(entry.parent);
    const res = await server.api('POST', `/channels/${cid.replace(':', '/')}/messages`, { body });
    if (res.status !== 201) throw new Error(`seed ${entry.key}: ${JSON.stringify(res.body)}`);
    ids.set(entry.key, res.body.message.id as string);
  }
  return ids;
}
