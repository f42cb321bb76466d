import { describe, expect, it } from 'vitest';
import type { GetMessagesResponse, User } from '@parley/protocol';
import type { MessageRecord } from '../storage/storage.js';
import { FileUrls } from '../uploads/file-urls.js';
import { toMessage, toUser } from '../services/wire.js';
import { plainMessage } from '../../test/helpers/storage-fixtures.js';
import { messagePageJson } from './message-page-json.js';

const T = Date.UTC(2026, 11, 6, 3, 40, 51, 741);
const files = new FileUrls('a secret of the test, long enough', 3600, () => T);

const user = (id: string, name: string | null, data: Record<string, unknown> = {}): User =>
  toUser(
    { id, name, image: null, role: 'user', data, createdAt: T, updatedAt: T, lastActive: null },
    id === 'ana',
  );
const users = new Map([
  ['ana', user('ana', 'Ana "the organiser"', { team: 'ops\n', tags: ['a', 1, null] })],
  ['ben', user('ben', 'Ben 🎤')],
]);

function record(seq: number, change: Partial<MessageRecord> = {}): MessageRecord {
  const message = plainMessage({
    id: `m-${seq}`,
    cid: 'messaging:talk',
    userId: 'ana',
    text: `message ${seq}`,
    createdAt: T + seq,
  });
  return { ...message, seq, ...change };
}

describe('a page of history as JSON', () => {
  it('is byte for byte what JSON.stringify writes, whatever the messages hold', () => {
    const quoted = record(1, { userId: 'ben', text: 'quoted "text"' });
    const records: [MessageRecord, MessageRecord | null][] = [
      [record(1), null],
      // Escapes, emoji (surrogate pairs), a lone surrogate, control characters, U+2028.
      [record(2, { text: 'say "hi" \\ back\n\ttab 🎉 \ud800 \u0001 \u2028 end' }), null],
      [record(3, { type: 'system', userId: null, data: { nested: { list: [1, 'two'] } } }), null],
      [
        record(4, {
          userId: 'ben',
          parentId: 'm-1',
          showInChannel: true,
          replyCount: 2,
          threadParticipants: ['ana', 'ben'],
          quotedMessageId: 'm-1',
          mentionedUserIds: ['ana', 'gone'],
          reactionCounts: { like: 2, '🔥': 1 },
          latestReactions: [
            { messageId: 'm-4', userId: 'ana', type: 'like', score: 1, createdAt: T, updatedAt: T },
          ],
          attachments: [
            {
              id: 'f1',
              type: 'image',
              mime: 'image/png',
              size: 10,
              name: 'a "b".png',
              width: 4,
              height: 3,
              thumb: true,
            },
          ],
          pinnedAt: T + 9,
          pinnedBy: 'ben',
          editedAt: T + 5,
          updatedAt: T + 9,
        }),
        quoted,
      ],
      [record(5, { quotedMessageId: 'm-deleted' }), null],
      [record(6, { text: '', deletedAt: T + 60_000, updatedAt: T + 60_000 }), null],
    ];
    const own = [
      { messageId: 'm-4', userId: 'ben', type: 'like', score: 1, createdAt: T, updatedAt: T },
    ];
    const page: GetMessagesResponse = {
      messages: records.map(([r, q]) =>
        toMessage(r, { users, quoted: q, own: r.seq === 4 ? own : undefined, files }),
      ),
      has_more_before: true,
      has_more_after: false,
    };
    expect(messagePageJson(page)).toBe(JSON.stringify(page));
    const empty = { messages: [], has_more_before: false, has_more_after: true };
    expect(messagePageJson(empty)).toBe(JSON.stringify(empty));
  });
});
