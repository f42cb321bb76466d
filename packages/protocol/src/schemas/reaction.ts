import { z } from 'zod';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';
import { messageIdSchema, timestampSchema, userIdSchema } from './ids.js';
import { userSchema } from './user.js';

/**
 * A reaction type: what the reaction is (`like`, `heart`, or an emoji itself), 1–64
 * characters without white space. A user has at most one reaction of each type on a message.
 */
export const reactionTypeSchema = z
  .string()
  .min(1)
  .max(DEFAULT_LIMITS.maxReactionTypeLength)
  .regex(/^\S+$/u, 'reaction types have no white space');

/** One user's reaction of one type to a message. */
export const reactionSchema = z
  .object({
    message_id: messageIdSchema,
    user_id: userIdSchema,
    /** The user as when the reaction was made or read. */
    user: userSchema.nullable(),
    type: reactionTypeSchema,
    /** An app-defined weight (claps, votes), 1 unless set. */
    score: z.number().int(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Reaction' });
export type Reaction = z.infer<typeof reactionSchema>;

/** Counts of a message's reactions by type, for types with at least one. */
export const reactionCountsSchema = z.record(z.string(), z.number().int().positive());

/** `POST /messages/:id/reactions`, and the fields of a `reaction.send` frame. */
export const sendReactionRequestSchema = z.strictObject({
  type: reactionTypeSchema,
  /** Default 1. */
  score: z.number().int().min(1).max(1_000_000).optional(),
  /** Remove the user's other reactions to the message (one reaction per user, like a vote). */
  enforce_unique: z.boolean().optional(),
  /** Server-side calls: who reacts. */
  user_id: userIdSchema.optional(),
});
export type SendReactionRequest = z.infer<typeof sendReactionRequestSchema>;

/** Query string of `DELETE /messages/:id/reactions/:type`. */
export const deleteReactionRequestSchema = z.strictObject({ user_id: userIdSchema.optional() });

/** Query string of `GET /messages/:id/reactions`: who reacted, newest first. */
export const getReactionsRequestSchema = z.strictObject({
  type: reactionTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(PAGE.reactionsMax).default(PAGE.reactionsDefault),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(400).optional(),
});

export const getReactionsResponseSchema = z.object({
  reactions: z.array(reactionSchema),
  next_cursor: z.string().nullable(),
});
export type GetReactionsResponse = z.infer<typeof getReactionsResponseSchema>;
