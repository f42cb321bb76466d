import { z } from 'zod';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';
import { attachmentSchema, uploadIdSchema } from './attachment.js';
import {
  cidSchema,
  customDataSchema,
  messageIdSchema,
  timestampSchema,
  userIdSchema,
} from './ids.js';
import { reactionCountsSchema, reactionSchema } from './reaction.js';
import { userSchema } from './user.js';

/** `regular` messages come from users; `system` messages from the app backend. */
export const messageTypeSchema = z.enum(['regular', 'system']);
export type MessageType = z.infer<typeof messageTypeSchema>;

/** What a quote shows of the quoted message: its current state, emptied once deleted. */
export const quotedMessageSchema = z
  .object({
    id: messageIdSchema,
    cid: cidSchema,
    seq: z.number().int().positive(),
    type: messageTypeSchema,
    user_id: userIdSchema.nullable(),
    user: userSchema.nullable(),
    text: z.string(),
    created_at: timestampSchema,
    deleted_at: timestampSchema.nullable(),
  })
  .meta({ id: 'QuotedMessage' });
export type QuotedMessage = z.infer<typeof quotedMessageSchema>;

/** A stored message. */
export const messageSchema = z
  .object({
    id: messageIdSchema,
    cid: cidSchema,
    /** The channel event sequence number this message was stored at. */
    seq: z.number().int().positive(),
    type: messageTypeSchema,
    /** The author; null for system messages sent without an author. */
    user_id: userIdSchema.nullable(),
    user: userSchema.nullable(),
    /** Empty once deleted. */
    text: z.string(),
    /** Empty once deleted. */
    data: customDataSchema,
    /**
     * Files sent with the message, in the order sent, with URLs signed for this reader
     * (fresh in every answer and event). Empty once deleted: the files are removed.
     */
    attachments: z.array(attachmentSchema),
    created_at: timestampSchema,
    /** Moves with edits, pins and deletion (not with reactions or replies). */
    updated_at: timestampSchema,
    /** When the text or data was last edited; null if never. */
    edited_at: timestampSchema.nullable(),
    /** A tombstone: the message was deleted then; text, data and reactions are gone. */
    deleted_at: timestampSchema.nullable(),
    /** The thread this message replies to; null for a message of the channel. */
    parent_id: messageIdSchema.nullable(),
    /** A reply also shown in the channel's own history. */
    show_in_channel: z.boolean(),
    /** Replies to this message (0 for replies themselves). */
    reply_count: z.number().int().nonnegative(),
    /** Users who replied, in the order they first did (at most 20). */
    thread_participants: z.array(userIdSchema),
    quoted_message_id: messageIdSchema.nullable(),
    quoted_message: quotedMessageSchema.nullable(),
    /** Members mentioned in the text. */
    mentioned_users: z.array(userSchema),
    /** Reactions by type, for types with at least one. */
    reaction_counts: reactionCountsSchema,
    /** The newest reactions (at most 10), newest first. */
    latest_reactions: z.array(reactionSchema),
    /** The reader's own reactions; always empty in events, which every member shares. */
    own_reactions: z.array(reactionSchema),
    pinned: z.boolean(),
    pinned_at: timestampSchema.nullable(),
    /** Who pinned it: a user id, or null when pinned by the server without one. */
    pinned_by: userIdSchema.nullable(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

/** An attachment as a send names it: the id `POST /uploads` answered. */
export const attachmentRefSchema = z
  .strictObject({ id: uploadIdSchema })
  .meta({ id: 'AttachmentRef' });

/**
 * `POST /channels/:type/:id/messages`, and the `message` of a `message.send` frame.
 * Text length is checked against the server's `maxMessageLength` (default 5,000 code points).
 */
export const sendMessageRequestSchema = z.strictObject({
  /** Client-chosen id; sending the same id again returns the stored message. */
  id: messageIdSchema.optional(),
  /** Required (not blank) unless the message has attachments. */
  text: z.string().default(''),
  type: messageTypeSchema.optional(),
  /** Server-side calls: the author. User tokens: must be the caller if present. */
  user_id: userIdSchema.optional(),
  data: customDataSchema.optional(),
  /** Historical time for imports (server-side calls only), ISO 8601. */
  created_at: z.iso.datetime({ offset: true }).optional(),
  /** Reply in the thread of this message (same channel, not itself a reply). */
  parent_id: messageIdSchema.optional(),
  /** A reply that is also shown in the channel. */
  show_in_channel: z.boolean().optional(),
  /** Quote this message (same channel). */
  quoted_message_id: messageIdSchema.optional(),
  /** Members mentioned in the text; ids of users who are not members are dropped. */
  mentioned_users: z.array(userIdSchema).max(DEFAULT_LIMITS.maxMentions).optional(),
  /**
   * Files uploaded with `POST /uploads` by the author, for this channel, that no other
   * message carries; each id at most once.
   */
  attachments: z
    .array(attachmentRefSchema)
    .max(DEFAULT_LIMITS.maxAttachments)
    .refine((list) => new Set(list.map((a) => a.id)).size === list.length, {
      message: 'each attachment may be named once',
    })
    .optional(),
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

export const sendMessageResponseSchema = z.object({
  message: messageSchema,
  /** True when the id was already stored and nothing new was created. */
  duplicate: z.boolean(),
});
export type SendMessageResponse = z.infer<typeof sendMessageResponseSchema>;

/** Query string of `GET /channels/:type/:id/messages`: at most one of before, after, around. */
export const getMessagesRequestSchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(PAGE.messagesMax).default(PAGE.messagesDefault),
    before: messageIdSchema.optional(),
    after: messageIdSchema.optional(),
    around: messageIdSchema.optional(),
  })
  .refine(
    (q) => [q.before, q.after, q.around].filter((v) => v !== undefined).length <= 1,
    'use at most one of before, after and around',
  );
export type GetMessagesRequest = z.input<typeof getMessagesRequestSchema>;

/** A page of history, oldest first. */
export const getMessagesResponseSchema = z.object({
  messages: z.array(messageSchema),
  has_more_before: z.boolean(),
  has_more_after: z.boolean(),
});
export type GetMessagesResponse = z.infer<typeof getMessagesResponseSchema>;
