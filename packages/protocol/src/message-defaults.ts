import type { Message } from './schemas/message.js';

/**
 * The fields of a message that is not a reply, quotes and mentions nobody, has no files or reactions,
 * was never pinned, edited or deleted: what a client shows a message with before the server
 * stores it, and what a test message starts from.
 */
export const PLAIN_MESSAGE_FIELDS = {
  attachments: [],
  edited_at: null,
  deleted_at: null,
  parent_id: null,
  show_in_channel: false,
  reply_count: 0,
  thread_participants: [],
  quoted_message_id: null,
  quoted_message: null,
  mentioned_users: [],
  reaction_counts: {},
  latest_reactions: [],
  own_reactions: [],
  pinned: false,
  pinned_at: null,
  pinned_by: null,
} as const satisfies Partial<Message>;

/** The rich fields of a Message, as PLAIN_MESSAGE_FIELDS spells them (mutable copies). */
export function plainMessageFields(): Pick<Message, keyof typeof PLAIN_MESSAGE_FIELDS> {
  return {
    ...PLAIN_MESSAGE_FIELDS,
    attachments: [],
    thread_participants: [],
    mentioned_users: [],
    reaction_counts: {},
    latest_reactions: [],
    own_reactions: [],
  };
}
