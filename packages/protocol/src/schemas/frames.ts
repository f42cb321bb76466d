import { z } from 'zod';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';
import { channelStateSchema, markReadResponseSchema, unreadSummarySchema } from './channel.js';
import { errorBodySchema } from './errors.js';
import { getEventsResponseSchema, serverEventSchema } from './events.js';
import {
  cidSchema,
  customDataSchema,
  messageIdSchema,
  timestampSchema,
  userIdSchema,
} from './ids.js';
import { messageResponseSchema, sendReactionResponseSchema } from './message-actions.js';
import { reactionTypeSchema, sendReactionRequestSchema } from './reaction.js';
import { sendMessageRequestSchema, sendMessageResponseSchema } from './message.js';
import { userSchema } from './user.js';
import {
  blockResponseSchema,
  channelMuteResponseSchema,
  flagResponseSchema,
  liftResponseSchema,
  restrictionResponseSchema,
} from './moderation.js';

/** Correlates a request frame with its `response` or `error` frame. */
const reqId = z.string().min(1).max(64).optional();

export const pingFrameSchema = z.strictObject({ type: z.literal('ping'), req_id: reqId });

/** Start receiving a channel's events on this connection; the response is the channel state. */
export const watchFrameSchema = z.strictObject({
  type: z.literal('channel.watch'),
  req_id: reqId,
  cid: cidSchema,
  message_limit: z.number().int().min(0).max(PAGE.messagesMax).optional(),
});

export const unwatchFrameSchema = z.strictObject({
  type: z.literal('channel.unwatch'),
  req_id: reqId,
  cid: cidSchema,
});

export const typingFrameSchema = z.strictObject({
  type: z.enum(['typing.start', 'typing.stop']),
  req_id: reqId,
  cid: cidSchema,
});

/** Send a message; the response comes once it is stored. */
export const sendMessageFrameSchema = z.strictObject({
  type: z.literal('message.send'),
  req_id: reqId,
  cid: cidSchema,
  message: sendMessageRequestSchema.omit({ user_id: true, type: true, created_at: true }),
});

export const markReadFrameSchema = z.strictObject({
  type: z.literal('channel.read'),
  req_id: reqId,
  cid: cidSchema,
  message_id: messageIdSchema.optional(),
});

/** Recovery: every event of the channel after `since_seq`. */
export const getEventsFrameSchema = z.strictObject({
  type: z.literal('channel.events'),
  req_id: reqId,
  cid: cidSchema,
  since_seq: z.number().int().min(0).max(DEFAULT_LIMITS.maxSeq),
  limit: z.number().int().min(1).max(PAGE.eventsMax).optional(),
});

/** Edit, pin or unpin a message (ids are app-wide: no cid). */
export const updateMessageFrameSchema = z.strictObject({
  type: z.literal('message.update'),
  req_id: reqId,
  message_id: messageIdSchema,
  text: z.string().optional(),
  data: customDataSchema.optional(),
  mentioned_users: z.array(userIdSchema).max(DEFAULT_LIMITS.maxMentions).optional(),
  pinned: z.boolean().optional(),
});

/** Delete a message: a tombstone, or gone with `hard` (admins). */
export const deleteMessageFrameSchema = z.strictObject({
  type: z.literal('message.delete'),
  req_id: reqId,
  message_id: messageIdSchema,
  hard: z.boolean().optional(),
});

/** React to a message; the same type twice is a no-op. */
export const sendReactionFrameSchema = z.strictObject({
  type: z.literal('reaction.send'),
  req_id: reqId,
  message_id: messageIdSchema,
  reaction: sendReactionRequestSchema.omit({ user_id: true }),
});

/** Take a reaction back; one that is not there is a no-op. */
export const deleteReactionFrameSchema = z.strictObject({
  type: z.literal('reaction.delete'),
  req_id: reqId,
  message_id: messageIdSchema,
  reaction_type: reactionTypeSchema,
});

/** Flag a message or a user for moderators (as `POST /moderation/flag`). */
export const flagFrameSchema = z.strictObject({
  type: z.literal('moderation.flag'),
  req_id: reqId,
  message_id: messageIdSchema.optional(),
  target_user_id: userIdSchema.optional(),
  reason: z.string().min(1).max(500).optional(),
});

/** Ban or mute a user, or lift it (moderators; as `/moderation/ban` and `/moderation/mute`). */
export const restrictFrameSchema = z.strictObject({
  type: z.enum(['moderation.ban', 'moderation.unban', 'moderation.mute', 'moderation.unmute']),
  req_id: reqId,
  target_user_id: userIdSchema,
  cid: cidSchema.optional(),
  timeout_s: z
    .number()
    .int()
    .min(1)
    .max(10 * 365 * 86_400)
    .optional(),
  reason: z.string().min(1).max(500).optional(),
});

/** Block or unblock a user (as `POST`/`DELETE /users/:id/block`). */
export const blockFrameSchema = z.strictObject({
  type: z.enum(['user.block', 'user.unblock']),
  req_id: reqId,
  target_user_id: userIdSchema,
});

/** Mute or unmute a channel for oneself (as `/channels/:type/:id/mute`). */
export const channelMuteFrameSchema = z.strictObject({
  type: z.enum(['channel.mute', 'channel.unmute']),
  req_id: reqId,
  cid: cidSchema,
});

/** Every frame a client may send. */
export const clientFrameSchema = z.discriminatedUnion('type', [
  pingFrameSchema,
  watchFrameSchema,
  unwatchFrameSchema,
  typingFrameSchema,
  sendMessageFrameSchema,
  markReadFrameSchema,
  getEventsFrameSchema,
  updateMessageFrameSchema,
  deleteMessageFrameSchema,
  sendReactionFrameSchema,
  deleteReactionFrameSchema,
  flagFrameSchema,
  restrictFrameSchema,
  blockFrameSchema,
  channelMuteFrameSchema,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export const clientFrameTypes: readonly ClientFrameType[] = [
  'ping',
  'channel.watch',
  'channel.unwatch',
  'typing.start',
  'typing.stop',
  'message.send',
  'channel.read',
  'channel.events',
  'message.update',
  'message.delete',
  'reaction.send',
  'reaction.delete',
  'moderation.flag',
  'moderation.ban',
  'moderation.unban',
  'moderation.mute',
  'moderation.unmute',
  'user.block',
  'user.unblock',
  'channel.mute',
  'channel.unmute',
];

/** The `result` of a successful response, by request frame type. */
export const frameResultSchemas = {
  ping: z.object({}),
  'channel.watch': channelStateSchema.extend({ typing: z.array(userIdSchema) }),
  'channel.unwatch': z.object({}),
  'typing.start': z.object({}),
  'typing.stop': z.object({}),
  'message.send': sendMessageResponseSchema,
  'channel.read': markReadResponseSchema,
  'channel.events': getEventsResponseSchema,
  'message.update': messageResponseSchema,
  'message.delete': messageResponseSchema,
  'reaction.send': sendReactionResponseSchema,
  'reaction.delete': messageResponseSchema,
  'moderation.flag': flagResponseSchema,
  'moderation.ban': restrictionResponseSchema,
  'moderation.unban': liftResponseSchema,
  'moderation.mute': restrictionResponseSchema,
  'moderation.unmute': liftResponseSchema,
  'user.block': blockResponseSchema,
  'user.unblock': blockResponseSchema,
  'channel.mute': channelMuteResponseSchema,
  'channel.unmute': channelMuteResponseSchema,
} as const satisfies Record<ClientFrameType, z.ZodType>;
export type FrameResult<T extends ClientFrameType> = z.infer<(typeof frameResultSchemas)[T]>;
export type WatchResult = FrameResult<'channel.watch'>;

/** The first frame on every connection. */
export const connectionOkFrameSchema = z.object({
  type: z.literal('connection.ok'),
  connection_id: z.string(),
  user: userSchema,
  unread: unreadSummarySchema,
  /** The server sends `health.check` this often; silence for twice as long means a dead link. */
  heartbeat_interval_ms: z.number().int().positive(),
  server_time: timestampSchema,
});
export type ConnectionOkFrame = z.infer<typeof connectionOkFrameSchema>;

/** The answer to a request frame that succeeded. */
export const responseFrameSchema = z.object({
  type: z.literal('response'),
  req_id: z.string(),
  result: z.record(z.string(), z.unknown()),
});
export type ResponseFrame = z.infer<typeof responseFrameSchema>;

/** A request frame failed, or the connection is about to be closed. */
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  req_id: z.string().optional(),
  error: errorBodySchema.shape.error,
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

export const pongFrameSchema = z.object({ type: z.literal('pong'), req_id: z.string().optional() });

/** Every frame the server may send. */
export const serverFrameSchema = z.union([
  connectionOkFrameSchema,
  responseFrameSchema,
  errorFrameSchema,
  pongFrameSchema,
  serverEventSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
