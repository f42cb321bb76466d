import { z } from 'zod';
import { anyChannelIdSchema, channelIdSchema, channelTypeSchema, userIdSchema } from './ids.js';

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
