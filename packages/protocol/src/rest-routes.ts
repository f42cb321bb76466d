import { z } from 'zod';
import type { ErrorCode } from './error-codes.js';
import {
  changeMembersRequestSchema,
  changeMembersResponseSchema,
  channelStateSchema,
  deleteChannelResponseSchema,
  getChannelRequestSchema,
  getOrCreateChannelRequestSchema,
  getOrCreateChannelResponseSchema,
  getOrCreateDistinctChannelRequestSchema,
  getUnreadRequestSchema,
  markReadRequestSchema,
  markReadResponseSchema,
  queryChannelsRequestSchema,
  queryChannelsResponseSchema,
  removeMembersRequestSchema,
  unreadSummarySchema,
  updateChannelRequestSchema,
  updateChannelResponseSchema,
} from './schemas/channel.js';
import { getEventsRequestSchema, getEventsResponseSchema } from './schemas/events.js';
import { fileRoutes } from './file-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { moderationRoutes } from './moderation-routes.js';
import { healthResponseSchema } from './schemas/health.js';
import { getPinnedRequestSchema, getPinnedResponseSchema } from './schemas/message-actions.js';
import {
  getMessagesRequestSchema,
  getMessagesResponseSchema,
  sendMessageRequestSchema,
  sendMessageResponseSchema,
} from './schemas/message.js';
import {
  channelParamsSchema,
  channelTypeParamsSchema,
  newChannelParamsSchema,
  userParamsSchema,
} from './schemas/params.js';
import {
  getUserResponseSchema,
  setUserRoleRequestSchema,
  queryUsersRequestSchema,
  queryUsersResponseSchema,
  upsertUsersRequestSchema,
  upsertUsersResponseSchema,
} from './schemas/user.js';
import { channelRead, channelManage } from './route-errors.js';
import { messageRoutes } from './message-routes.js';

/**
 * Who may call a route: `public` needs no token; `user` a user token; `server` the server
 * token; `any` either (the route's own rules say what each may do).
 */
export type RouteAuth = 'public' | 'user' | 'server' | 'any';

/** One REST route: the single description its handler, its docs and its tests read. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the server registers it: `/channels/:type/:id`. */
  path: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** How the body is sent: JSON (the default) or multipart/form-data (uploads). */
  bodyType?: 'json' | 'multipart';
  /** Successful answers by status; no schema for a body that is not JSON. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** The error codes particular to this route (authentication, rate limits, validation and storage errors come on top). */
  errors: readonly ErrorCode[];
}
/** Every REST route of the server, in the order of docs/protocol.md. */
export const restRoutes = [
  {
    method: 'GET',
    path: '/health',
    summary: 'Whether this node and its storage answer (for load balancers)',
    auth: 'public',
    responses: {
      200: { description: 'The storage answered within 2 s', schema: healthResponseSchema },
      503: { description: 'The storage did not answer', schema: healthResponseSchema },
    },
    errors: [],
  },
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics of this node',
    auth: 'public',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This description of the REST API (OpenAPI 3.1)',
    auth: 'public',
    responses: {
      200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) },
    },
    errors: [],
  },
  {
    method: 'POST',
    path: '/users',
    summary: 'Upsert 1–100 users; fields left out keep their stored value',
    auth: 'server',
    body: upsertUsersRequestSchema,
    responses: {
      200: { description: 'The users, in the order given', schema: upsertUsersResponseSchema },
    },
    errors: ['server_auth_required', 'custom_data_too_large'],
  },
  {
    method: 'GET',
    path: '/users',
    summary: 'Every user of the app, sorted by id, a page at a time',
    auth: 'any',
    query: queryUsersRequestSchema,
    responses: { 200: { description: 'A page of users', schema: queryUsersResponseSchema } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/users/:id',
    summary: 'One user',
    auth: 'any',
    params: userParamsSchema,
    responses: { 200: { description: 'The user', schema: getUserResponseSchema } },
    errors: ['user_not_found'],
  },
  {
    method: 'PUT',
    path: '/users/:id/role',
    summary: "Change a user's app role (`user` or `admin`); audited, and an app event",
    auth: 'any',
    params: userParamsSchema,
    body: setUserRoleRequestSchema,
    responses: {
      200: { description: 'The user with its new role', schema: getUserResponseSchema },
    },
    errors: ['forbidden', 'user_not_found'],
  },
  {
    method: 'GET',
    path: '/me',
    summary: 'The caller',
    auth: 'user',
    responses: { 200: { description: 'The user of the token', schema: getUserResponseSchema } },
    errors: [],
  },
  {
    method: 'GET',
    path: '/unread',
    summary: 'Unread totals of the caller (server: of `user_id`)',
    auth: 'any',
    query: getUnreadRequestSchema,
    responses: { 200: { description: 'Unread totals', schema: unreadSummarySchema } },
    errors: ['user_mismatch'],
  },
  {
    method: 'POST',
    path: '/channels/:type',
    summary: 'Get or create the distinct channel of a member list (a DM when two)',
    auth: 'any',
    params: channelTypeParamsSchema,
    body: getOrCreateDistinctChannelRequestSchema,
    responses: {
      200: { description: 'The channel existed', schema: getOrCreateChannelResponseSchema },
      201: { description: 'The channel was created', schema: getOrCreateChannelResponseSchema },
    },
    errors: ['unknown_users', 'user_mismatch', 'not_member', 'banned', 'custom_data_too_large'],
  },
  {
    method: 'POST',
    path: '/channels/:type/:id',
    summary: 'Get a channel, creating it if needed',
    auth: 'any',
    params: newChannelParamsSchema,
    body: getOrCreateChannelRequestSchema,
    responses: {
      200: { description: 'The channel existed', schema: getOrCreateChannelResponseSchema },
      201: { description: 'The channel was created', schema: getOrCreateChannelResponseSchema },
    },
    errors: ['unknown_users', 'user_mismatch', 'not_member', 'banned', 'custom_data_too_large'],
  },
  {
    method: 'GET',
    path: '/channels/:type/:id',
    summary: 'A channel with its members, latest messages and read states',
    auth: 'any',
    params: channelParamsSchema,
    query: getChannelRequestSchema,
    responses: { 200: { description: 'The channel state', schema: channelStateSchema } },
    errors: channelRead,
  },
  {
    method: 'PATCH',
    path: '/channels/:type/:id',
    summary: "Set and unset keys of a channel's custom data",
    auth: 'any',
    params: channelParamsSchema,
    body: updateChannelRequestSchema,
    responses: { 200: { description: 'The changed channel', schema: updateChannelResponseSchema } },
    errors: [...channelManage, 'custom_data_too_large'],
  },
  {
    method: 'DELETE',
    path: '/channels/:type/:id',
    summary: 'Delete a channel with its members, messages and events',
    auth: 'any',
    params: channelParamsSchema,
    responses: { 200: { description: 'Deleted', schema: deleteChannelResponseSchema } },
    errors: channelManage,
  },
  {
    method: 'POST',
    path: '/channels/:type/:id/members',
    summary: 'Add members',
    auth: 'any',
    params: channelParamsSchema,
    body: changeMembersRequestSchema,
    responses: {
      200: { description: 'Every member after the change', schema: changeMembersResponseSchema },
    },
    errors: [...channelManage, 'unknown_users'],
  },
  {
    method: 'DELETE',
    path: '/channels/:type/:id/members',
    summary: 'Remove members (any member may remove themselves)',
    auth: 'any',
    params: channelParamsSchema,
    body: removeMembersRequestSchema,
    responses: {
      200: { description: 'Every member after the change', schema: changeMembersResponseSchema },
    },
    errors: channelManage,
  },
  {
    method: 'GET',
    path: '/channels',
    summary:
      "The caller's channels (server: `user_id`'s, or every channel; `all=true`: every channel, for the server and app admins), latest activity first",
    auth: 'any',
    query: queryChannelsRequestSchema,
    responses: {
      200: { description: 'A page of channel states', schema: queryChannelsResponseSchema },
    },
    errors: ['user_mismatch', 'user_not_found', 'forbidden'],
  },
  {
    method: 'POST',
    path: '/channels/:type/:id/messages',
    summary: 'Send a message; answered once it is durably stored',
    description:
      'Sending the same `id` again returns the stored message with 200 and `duplicate: true`.',
    auth: 'any',
    params: channelParamsSchema,
    body: sendMessageRequestSchema,
    responses: {
      200: { description: 'The id was already stored', schema: sendMessageResponseSchema },
      201: { description: 'Stored', schema: sendMessageResponseSchema },
    },
    errors: [
      ...channelRead,
      'forbidden',
      'user_mismatch',
      'message_too_long',
      'custom_data_too_large',
      'message_id_conflict',
      'message_not_found',
      'message_deleted',
      'file_not_found',
      'attachment_not_owned',
      'attachment_wrong_channel',
      'attachment_in_use',
      'muted',
      'frozen',
      'slow_mode',
      'message_blocked',
      'blocked',
    ],
  },
  {
    method: 'GET',
    path: '/channels/:type/:id/messages',
    summary: 'A page of history, oldest first',
    auth: 'any',
    params: channelParamsSchema,
    query: getMessagesRequestSchema,
    responses: { 200: { description: 'A page of messages', schema: getMessagesResponseSchema } },
    errors: [...channelRead, 'message_not_found'],
  },
  {
    method: 'POST',
    path: '/channels/:type/:id/read',
    summary: 'Move the read position forward (default: to the latest message)',
    auth: 'any',
    params: channelParamsSchema,
    body: markReadRequestSchema,
    responses: {
      200: { description: "The reader's position and counts", schema: markReadResponseSchema },
    },
    errors: [...channelRead, 'user_mismatch', 'message_not_found'],
  },
  {
    method: 'GET',
    path: '/channels/:type/:id/events',
    summary: "The channel's event log after a seq, for recovery",
    auth: 'any',
    params: channelParamsSchema,
    query: getEventsRequestSchema,
    responses: { 200: { description: 'Events in seq order', schema: getEventsResponseSchema } },
    errors: channelRead,
  },
  {
    method: 'GET',
    path: '/channels/:type/:id/pinned',
    summary: 'The pinned messages of a channel, newest pin first',
    auth: 'any',
    params: channelParamsSchema,
    query: getPinnedRequestSchema,
    responses: { 200: { description: 'Pinned messages', schema: getPinnedResponseSchema } },
    errors: channelRead,
  },
  ...messageRoutes,
  ...fileRoutes,
  ...notificationRoutes,
  ...moderationRoutes,
] as const satisfies readonly RestRoute[];
