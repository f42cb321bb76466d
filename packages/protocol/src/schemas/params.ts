import { z } from 'zod';
import {
  anyChannelIdSchema,
  channelIdSchema,
  channelTypeSchema,
  messageIdSchema,
  userIdSchema,
} from './ids.js';
import { reactionTypeSchema } from './reaction.js';

/** Path of `POST /channels/:type` (a distinct channel). */
export const channelTypeParamsSchema = z.strictObject({ type: channelTypeSchema });

/** Path of `POST /channels/:type/:id`: an id an app may choose (never `!…`). */
export const newChannelParamsSchema = z.strictObject({
  type: channelTypeSchema,
  id: channelIdSchema,
});

/** Path of every call on an existing channel, distinct ones (`!members-…`) included. */
export const channelParamsSchema = z.strictObject({
  type: channelTypeSchema,
  id: anyChannelIdSchema,
});

/** Path of `GET /users/:id`. */
export const userParamsSchema = z.strictObject({ id: userIdSchema });

/** Path of `/messages/:id…` (message ids are app-wide). */
export const messageParamsSchema = z.strictObject({ id: messageIdSchema });

/** Path of `DELETE /messages/:id/reactions/:type`. */
export const reactionParamsSchema = z.strictObject({
  id: messageIdSchema,
  type: reactionTypeSchema,
});
