import { z } from 'zod';
import { channelMemberSchema, channelSchema } from './channel.js';
import { cidSchema, messageIdSchema, timestampSchema, userIdSchema } from './ids.js';
import { messageSchema } from './message.js';
import { reactionCountsSchema, reactionSchema } from './reaction.js';
import { userSchema } from './user.js';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';

const seq = z.number().int().positive();

/** A thread after a reply: what changed on its parent message. */
export const threadUpdateSchema = z.object({
  parent_id: messageIdSchema,
  reply_count: z.number().int().nonnegative(),
  thread_participants: z.array(userIdSchema),
});

/** A message was stored in the channel (a reply carries its thread's new state). */
export const messageNewEventSchema = z.object({
  type: z.literal('message.new'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  message: messageSchema,
  /** For a reply: its parent's reply count and participants after it. */
  thread: threadUpdateSchema.optional(),
});

/** A message was edited, pinned or unpinned: `message` is its new state. */
export const messageUpdatedEventSchema = z.object({
  type: z.literal('message.updated'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  message: messageSchema,
});

/** A message was deleted: `message` is its tombstone; `hard` when it is gone from history. */
export const messageDeletedEventSchema = z.object({
  type: z.literal('message.deleted'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  message: messageSchema,
  hard: z.boolean(),
  /** For a reply: its parent's reply count and participants after it. */
  thread: threadUpdateSchema.optional(),
});

/**
 * A reaction was added or removed; the counts are the message's after it. (No list of
 * newest reactions: a storm of them would carry it to every member each time; a client
 * keeps its `latest_reactions` by adding and removing the event's `reaction`.)
 */
const reactionEventFields = {
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  message_id: messageIdSchema,
  reaction: reactionSchema,
  reaction_counts: reactionCountsSchema,
};
export const reactionNewEventSchema = z.object({
  type: z.literal('reaction.new'),
  ...reactionEventFields,
});
export const reactionDeletedEventSchema = z.object({
  type: z.literal('reaction.deleted'),
  ...reactionEventFields,
});

/** A member moved their read position forward. */
export const messageReadEventSchema = z.object({
  type: z.literal('message.read'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
  last_read_message_id: messageIdSchema.nullable(),
  last_read_seq: z.number().int().nonnegative(),
});

export const memberAddedEventSchema = z.object({
  type: z.literal('member.added'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  member: channelMemberSchema,
});

export const memberRemovedEventSchema = z.object({
  type: z.literal('member.removed'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
});

export const channelUpdatedEventSchema = z.object({
  type: z.literal('channel.updated'),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  channel: channelSchema,
});

/**
 * A member was banned from the channel (no reading, no writing) or muted in it (reading,
 * no writing), or that ended. Stored with a seq like every channel change.
 */
const restrictionEventFields = {
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
  /** The moderator; null for the server. */
  by_user_id: userIdSchema.nullable(),
  reason: z.string().nullable(),
};
export const memberBannedEventSchema = z.object({
  type: z.literal('member.banned'),
  ...restrictionEventFields,
  expires_at: timestampSchema.nullable(),
});
export const memberUnbannedEventSchema = z.object({
  type: z.literal('member.unbanned'),
  ...restrictionEventFields,
});
export const memberMutedEventSchema = z.object({
  type: z.literal('member.muted'),
  ...restrictionEventFields,
  expires_at: timestampSchema.nullable(),
});
export const memberUnmutedEventSchema = z.object({
  type: z.literal('member.unmuted'),
  ...restrictionEventFields,
});

/** The channel became read-only for users (`frozen`), or writable again. */
export const channelFrozenEventSchema = z.object({
  type: z.enum(['channel.frozen', 'channel.unfrozen']),
  cid: cidSchema,
  seq,
  created_at: timestampSchema,
  by_user_id: userIdSchema.nullable(),
  reason: z.string().nullable(),
});

/** Events stored in a channel's log with a strictly increasing `seq`, recoverable by `since_seq`. */
export const channelEventSchema = z.discriminatedUnion('type', [
  messageNewEventSchema,
  messageUpdatedEventSchema,
  messageDeletedEventSchema,
  reactionNewEventSchema,
  reactionDeletedEventSchema,
  messageReadEventSchema,
  memberAddedEventSchema,
  memberRemovedEventSchema,
  channelUpdatedEventSchema,
  memberBannedEventSchema,
  memberUnbannedEventSchema,
  memberMutedEventSchema,
  memberUnmutedEventSchema,
  channelFrozenEventSchema,
]);
export type ChannelEvent = z.infer<typeof channelEventSchema>;
export type ChannelEventType = ChannelEvent['type'];

/** Someone started typing (ephemeral: no seq, not stored). */
export const typingEventSchema = z.object({
  type: z.enum(['typing.start', 'typing.stop']),
  cid: cidSchema,
  user_id: userIdSchema,
  created_at: timestampSchema,
});
export type TypingEvent = z.infer<typeof typingEventSchema>;

/** A user came online or went offline; sent to users who share a channel with them. */
export const presenceChangedEventSchema = z.object({
  type: z.literal('user.presence.changed'),
  user: userSchema,
  created_at: timestampSchema,
});
export type PresenceChangedEvent = z.infer<typeof presenceChangedEventSchema>;

/** The channel was deleted with all its messages. */
export const channelDeletedEventSchema = z.object({
  type: z.literal('channel.deleted'),
  cid: cidSchema,
  created_at: timestampSchema,
});

const unreadTotals = {
  /** Unread messages in this channel for the receiving user. */
  unread_count: z.number().int().nonnegative(),
  total_unread_count: z.number().int().nonnegative(),
  unread_channels: z.number().int().nonnegative(),
};

/** A new message in a channel the receiving user is a member of but does not watch. */
export const notificationMessageNewEventSchema = z.object({
  type: z.literal('notification.message_new'),
  cid: cidSchema,
  created_at: timestampSchema,
  channel: channelSchema,
  message: messageSchema,
  ...unreadTotals,
});

/** The receiving user was added to a channel. */
export const notificationAddedToChannelEventSchema = z.object({
  type: z.literal('notification.added_to_channel'),
  cid: cidSchema,
  created_at: timestampSchema,
  channel: channelSchema,
  member: channelMemberSchema,
  ...unreadTotals,
});

/** The receiving user was removed from a channel. */
export const notificationRemovedFromChannelEventSchema = z.object({
  type: z.literal('notification.removed_from_channel'),
  cid: cidSchema,
  created_at: timestampSchema,
  total_unread_count: z.number().int().nonnegative(),
  unread_channels: z.number().int().nonnegative(),
});

/** The receiving user marked a channel read (on any of their connections). */
export const notificationMarkReadEventSchema = z.object({
  type: z.literal('notification.mark_read'),
  cid: cidSchema,
  created_at: timestampSchema,
  last_read_message_id: messageIdSchema.nullable(),
  last_read_seq: z.number().int().nonnegative(),
  ...unreadTotals,
});

/**
 * The receiving user was mentioned in a message of a channel this connection does not
 * watch (it gets `notification.message_new` too; this one is for a louder alert).
 */
export const notificationMentionEventSchema = z.object({
  type: z.literal('notification.mention'),
  cid: cidSchema,
  created_at: timestampSchema,
  channel: channelSchema,
  message: messageSchema,
  /** Unread messages mentioning the user in this channel, and in all. */
  unread_mentions: z.number().int().nonnegative(),
  total_unread_mentions: z.number().int().nonnegative(),
});

/** Sent by the server every heartbeat interval; a client that hears nothing for long reconnects. */
export const healthCheckEventSchema = z.object({
  type: z.literal('health.check'),
  created_at: timestampSchema,
});

/** Every event the server pushes over the WebSocket. */
export const serverEventSchema = z.discriminatedUnion('type', [
  messageNewEventSchema,
  messageUpdatedEventSchema,
  messageDeletedEventSchema,
  reactionNewEventSchema,
  reactionDeletedEventSchema,
  messageReadEventSchema,
  memberAddedEventSchema,
  memberRemovedEventSchema,
  channelUpdatedEventSchema,
  memberBannedEventSchema,
  memberUnbannedEventSchema,
  memberMutedEventSchema,
  memberUnmutedEventSchema,
  channelFrozenEventSchema,
  typingEventSchema,
  presenceChangedEventSchema,
  channelDeletedEventSchema,
  notificationMessageNewEventSchema,
  notificationAddedToChannelEventSchema,
  notificationRemovedFromChannelEventSchema,
  notificationMarkReadEventSchema,
  notificationMentionEventSchema,
  healthCheckEventSchema,
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;
export type ServerEventType = ServerEvent['type'];
/** The event of one type (the typing events share one schema, hence the distributive check). */
export type ServerEventOf<T extends ServerEventType> = ServerEvent extends infer E
  ? E extends { type: infer U }
    ? T extends U
      ? E
      : never
    : never
  : never;

/** Query string of `GET /channels/:type/:id/events`: every event after `since_seq`. */
export const getEventsRequestSchema = z.strictObject({
  since_seq: z.coerce.number().int().min(0).max(DEFAULT_LIMITS.maxSeq),
  limit: z.coerce.number().int().min(1).max(PAGE.eventsMax).default(PAGE.eventsDefault),
});
export type GetEventsRequest = z.input<typeof getEventsRequestSchema>;

export const getEventsResponseSchema = z.object({
  /** Events with seq > since_seq, in seq order, at most `limit`. */
  events: z.array(channelEventSchema),
  /** True when more events follow the last one returned. */
  has_more: z.boolean(),
  /** The channel's latest seq at the time of the call. */
  last_seq: z.number().int().nonnegative(),
});
export type GetEventsResponse = z.infer<typeof getEventsResponseSchema>;
