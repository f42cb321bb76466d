import { z } from 'zod';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';
import { customDataSchema, messageIdSchema, userIdSchema } from './ids.js';
import { messageSchema } from './message.js';
import { reactionSchema } from './reaction.js';

/** `PATCH /messages/:id`, and the fields of a `message.update` frame. */
export const updateMessageRequestSchema = z
  .strictObject({
    /** New text (the author only). */
    text: z.string().optional(),
    /** New custom data, replacing the old (the author only). */
    data: customDataSchema.optional(),
    /** Members mentioned in the new text; left as they were when absent. */
    mentioned_users: z.array(userIdSchema).max(DEFAULT_LIMITS.maxMentions).optional(),
    /** Pin or unpin (owners, moderators, admins, the server). */
    pinned: z.boolean().optional(),
    /** Server-side calls: who acts (absent: the server itself). */
    user_id: userIdSchema.optional(),
  })
  .refine(
    (r) => r.text !== undefined || r.data !== undefined || r.pinned !== undefined,
    'give text, data or pinned',
  );
export type UpdateMessageRequest = z.infer<typeof updateMessageRequestSchema>;

/** Query string of `DELETE /messages/:id`. */
export const deleteMessageRequestSchema = z.strictObject({
  /** Remove the message itself instead of leaving a tombstone (admins and the server). */
  hard: z.enum(['true', 'false']).optional(),
  /** Server-side calls: who acts (absent: the server itself). */
  user_id: userIdSchema.optional(),
});

/** The answer of every call that changes a message: the message as it is now. */
export const messageResponseSchema = z.object({ message: messageSchema });
export type MessageResponse = z.infer<typeof messageResponseSchema>;

/** The answer of `POST /messages/:id/reactions`. */
export const sendReactionResponseSchema = z.object({
  message: messageSchema,
  reaction: reactionSchema,
  /** True when the user already had this reaction: nothing changed. */
  duplicate: z.boolean(),
});
export type SendReactionResponse = z.infer<typeof sendReactionResponseSchema>;

/** Query string of `GET /messages/:id/replies`: like history, at most one of before and after. */
export const getRepliesRequestSchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(PAGE.messagesMax).default(PAGE.messagesDefault),
    before: messageIdSchema.optional(),
    after: messageIdSchema.optional(),
  })
  .refine((q) => q.before === undefined || q.after === undefined, 'use before or after, not both');

/** Query string of `GET /channels/:type/:id/pinned`: newest pin first. */
export const getPinnedRequestSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PAGE.pinnedMax).default(PAGE.pinnedDefault),
});

export const getPinnedResponseSchema = z.object({ messages: z.array(messageSchema) });
export type GetPinnedResponse = z.infer<typeof getPinnedResponseSchema>;
