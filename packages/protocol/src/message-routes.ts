import type { RestRoute } from './rest-routes.js';
import { searchRequestSchema, searchResponseSchema } from './schemas/search.js';
import {
  deleteMessageRequestSchema,
  getRepliesRequestSchema,
  messageResponseSchema,
  sendReactionResponseSchema,
  updateMessageRequestSchema,
} from './schemas/message-actions.js';
import { getMessagesResponseSchema } from './schemas/message.js';
import { messageParamsSchema, reactionParamsSchema } from './schemas/params.js';
import {
  deleteReactionRequestSchema,
  getReactionsRequestSchema,
  getReactionsResponseSchema,
  sendReactionRequestSchema,
} from './schemas/reaction.js';
import { messageRead, messageWrite } from './route-errors.js';

/** Routes of one message (edits, deletes, reactions, replies) and search. */
export const messageRoutes = [
  {
    method: 'GET',
    path: '/messages/:id',
    summary: 'One message (ids are app-wide)',
    auth: 'any',
    params: messageParamsSchema,
    responses: { 200: { description: 'The message', schema: messageResponseSchema } },
    errors: messageRead,
  },
  {
    method: 'PATCH',
    path: '/messages/:id',
    summary: 'Edit the text or data (the author), pin or unpin (owners, moderators, admins)',
    auth: 'any',
    params: messageParamsSchema,
    body: updateMessageRequestSchema,
    responses: { 200: { description: 'The message as changed', schema: messageResponseSchema } },
    errors: [
      ...messageWrite,
      'message_too_long',
      'custom_data_too_large',
      'edit_window_expired',
      'user_mismatch',
      'message_blocked',
    ],
  },
  {
    method: 'DELETE',
    path: '/messages/:id',
    summary: 'Delete a message: a tombstone, or gone from history with `hard=true` (admins)',
    auth: 'any',
    params: messageParamsSchema,
    query: deleteMessageRequestSchema,
    responses: { 200: { description: 'The tombstone', schema: messageResponseSchema } },
    errors: [...messageWrite, 'user_mismatch'],
  },
  {
    method: 'POST',
    path: '/messages/:id/reactions',
    summary: 'React to a message; the same type twice is a no-op',
    auth: 'any',
    params: messageParamsSchema,
    body: sendReactionRequestSchema,
    responses: {
      200: {
        description: 'The user already had this reaction',
        schema: sendReactionResponseSchema,
      },
      201: { description: 'Added', schema: sendReactionResponseSchema },
    },
    errors: [...messageWrite, 'too_many_reaction_types', 'user_mismatch'],
  },
  {
    method: 'DELETE',
    path: '/messages/:id/reactions/:type',
    summary: 'Take a reaction back; one that is not there is a no-op',
    auth: 'any',
    params: reactionParamsSchema,
    query: deleteReactionRequestSchema,
    responses: { 200: { description: 'The message after', schema: messageResponseSchema } },
    errors: [...messageWrite, 'user_mismatch'],
  },
  {
    method: 'GET',
    path: '/messages/:id/reactions',
    summary: 'Who reacted to a message, newest first',
    auth: 'any',
    params: messageParamsSchema,
    query: getReactionsRequestSchema,
    responses: { 200: { description: 'A page of reactions', schema: getReactionsResponseSchema } },
    errors: messageRead,
  },
  {
    method: 'GET',
    path: '/messages/:id/replies',
    summary: 'A page of the thread of a message, oldest first',
    auth: 'any',
    params: messageParamsSchema,
    query: getRepliesRequestSchema,
    responses: { 200: { description: 'A page of replies', schema: getMessagesResponseSchema } },
    errors: messageRead,
  },
  {
    method: 'GET',
    path: '/search',
    summary: "Messages matching a query in the caller's channels (server: any, or as_user_id's)",
    description:
      'Words and "quoted phrases" must all appear, as parts of words too; -word excludes; case and accents do not matter. Highlights are UTF-16 ranges of the text.',
    auth: 'any',
    query: searchRequestSchema,
    responses: { 200: { description: 'A page of results', schema: searchResponseSchema } },
    errors: ['channel_not_found', 'not_member', 'user_mismatch', 'banned'],
  },
] as const satisfies readonly RestRoute[];
