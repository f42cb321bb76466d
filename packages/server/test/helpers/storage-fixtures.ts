import type { EventBuilder, MessageChange } from '../../src/storage/index.js';

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
