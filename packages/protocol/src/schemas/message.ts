import { z } from 'zod';
import { PAGE } from '../limits.js';
import {
  cidSchema,
  customDataSchema,
  messageIdSchema,
  timestampSchema,
  userIdSchema,
} from './ids.js';
import { userSchema } from './user.js';

/** `regular` messages come from users; `system` messages from the app backend. */
export const messageTypeSchema = z.enum(['regular', 'system']);
export type MessageType = z.infer<typeof messageTypeSchema>;

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
    text: z.string(),
    data: customDataSchema,
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

/**
 * `POST /channels/:type/:id/messages`, and the `message` of a `message.send` frame.
 * Text length is checked against the server's `maxMessageLength` (default 5,000 code points).
 */
export const sendMessageRequestSchema = z.strictObject({
  /** Client-chosen id; sending the same id again returns the stored message. */
  id: messageIdSchema.optional(),
  text: z.string(),
  type: messageTypeSchema.optional(),
  /** Server-side calls: the author. User tokens: must be the caller if present. */
  user_id: userIdSchema.optional(),
  data: customDataSchema.optional(),
  /** Historical time for imports (server-side calls only), ISO 8601. */
  created_at: z.iso.datetime({ offset: true }).optional(),
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
