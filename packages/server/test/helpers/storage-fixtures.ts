import type {
  EventBuilder,
  MessageChange,
  MessageRecord,
  NewMessage,
  Storage,
} from '../../src/storage/index.js';
import { dayOf } from '../../src/storage/kysely/analytics-writes.js';
import { eventRow, messageRow } from '../../src/storage/kysely/row-mappers.js';
import type { SendBatchRows } from '../../src/storage/kysely/storage-adapter.js';
import type { DispatchOptions, WebhookRecord } from '../../src/storage/notification-store.js';

/** A fixed clock: 2023-11-14T22:13:20.000Z, beyond 2^31 so that bigint columns matter. */
export const T0 = 1_700_000_000_000;

/** A `message.new` payload builder for storage tests: what it stores is easy to compare. */
export const messageEvent: EventBuilder<MessageChange> = ({ message }, seq, at) => ({
  type: 'message.new',
  cid: message.cid,
  seq,
  created_at: at,
  message: { id: message.id, text: message.text, user_id: message.userId },
});

/** The rich fields of a message that is no reply, quotes and mentions nobody, and has no reactions. */
export const PLAIN = {
  parentId: null,
  showInChannel: false,
  replyCount: 0,
  threadParticipants: [],
  quotedMessageId: null,
  mentionedUserIds: [],
  reactionCounts: {},
  latestReactions: [],
  attachments: [],
  pinnedAt: null,
  pinnedBy: null,
  editedAt: null,
  deletedAt: null,
} as const;

/**
 * The rows of a send batch of one message (`StorageAdapter.writeSendBatch`), its seqs taken
 * from `lastSeq` as the batch would have read it, of a channel made at `channelCreatedAt`
 * (the tests make theirs at T0); the author reads up to it.
 */
export function oneMessageBatch(
  message: MessageRecord,
  lastSeq: number,
  channelCreatedAt = T0,
): SendBatchRows {
  const { id, cid, userId } = message;
  const at = message.createdAt;
  const seq = lastSeq + 1;
  return {
    channels: [{ cid, events: 1, message_at: at, last_seq: lastSeq, created_at: channelCreatedAt }],
    messages: [messageRow({ ...message, seq })],
    events: [
      eventRow({ cid, seq, type: 'message.new', createdAt: at, payload: { id }, messageId: id }),
    ],
    mentions: [],
    channelDays: [{ day: dayOf(at), cid, n: 1 }],
    userDays: userId === null ? [] : [{ day: dayOf(at), user_id: userId }],
    readPositions: userId === null ? [] : [{ cid, user_id: userId, seq, message_id: id, at }],
  };
}

/** A regular message to send (Storage.sendMessages) whose text is its id. */
export function newMessage(cid: string, userId: string, id: string, createdAt = T0): NewMessage {
  return { id, cid, type: 'regular', userId, text: id, data: {}, createdAt };
}

/** A plain message (see PLAIN) with the fields given; its arrays are its own. */
export function plainMessage(
  fields: Pick<MessageRecord, 'id' | 'cid' | 'userId' | 'text' | 'createdAt'>,
): MessageRecord {
  return {
    seq: 0,
    type: 'regular',
    data: {},
    updatedAt: fields.createdAt,
    ...PLAIN,
    threadParticipants: [],
    mentionedUserIds: [],
    latestReactions: [],
    attachments: [],
    ...fields,
  };
}

/** An API-made webhook at T0 to `id`.example for `events` (`*`, `flag.*`, …). */
export const webhookFor = (id: string, events: string[]): WebhookRecord => ({
  id,
  url: `http://${id}.example`,
  events,
  secret: null,
  source: 'api',
  createdAt: T0,
});

/**
 * Outbox dispatch options at T0, `limit` events a round: event ids `evt-1`, `evt-2`, …,
 * bodies of the event's id, cid, seq and type, filters `*` and `prefix.*`, emails due at once.
 */
export function dispatchOptions(limit: number): DispatchOptions {
  let ids = 0;
  return {
    now: T0,
    limit,
    newEventId: () => `evt-${++ids}`,
    webhookBody: (e, id) => JSON.stringify({ id, cid: e.cid, seq: e.seq, type: e.type }),
    wants: (webhook, type) =>
      webhook.events.some((f) => f === '*' || type.startsWith(f.slice(0, -1))),
    retryForMs: 60_000,
    emailAfterMs: 0,
    mentionEmailAfterMs: 0,
  };
}

/** Creates channel `messaging:<id>` of `members` (all with role member) at T0; returns its cid. */
export async function messagingChannel(
  storage: Storage,
  id: string,
  members: readonly string[],
): Promise<string> {
  const cid = `messaging:${id}`;
  await storage.getOrCreateChannel({
    cid,
    type: 'messaging',
    id,
    data: {},
    distinct: false,
    createdById: null,
    members: members.map((userId) => ({ userId, role: 'member' })),
    now: T0,
  });
  return cid;
}
