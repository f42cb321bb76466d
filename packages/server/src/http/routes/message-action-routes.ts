import type { FastifyInstance } from 'fastify';
import {
  channelParamsSchema,
  deleteMessageRequestSchema,
  deleteReactionRequestSchema,
  getPinnedRequestSchema,
  getReactionsRequestSchema,
  getRepliesRequestSchema,
  messageParamsSchema,
  reactionParamsSchema,
  sendReactionRequestSchema,
  toCid,
  updateMessageRequestSchema,
} from '@parley/protocol';
import type { MessageActions } from '../../services/message-actions.js';
import { parse } from '../parse.js';

/** Routes on a message by its app-wide id, and a channel's pins. */
export function messageActionRoutes(app: FastifyInstance, actions: MessageActions): void {
  app.get('/messages/:id', async (request) => {
    const { id } = parse(messageParamsSchema, request.params);
    return actions.get(request.actor, id);
  });

  app.patch('/messages/:id', async (request) => {
    const { id } = parse(messageParamsSchema, request.params);
    const body = parse(updateMessageRequestSchema, request.body);
    return actions.update(request.actor, id, body);
  });

  app.delete('/messages/:id', async (request) => {
    const { id } = parse(messageParamsSchema, request.params);
    const query = parse(deleteMessageRequestSchema, request.query);
    return actions.delete(request.actor, id, { hard: query.hard === 'true' });
  });

  app.post('/messages/:id/reactions', async (request, reply) => {
    const { id } = parse(messageParamsSchema, request.params);
    const body = parse(sendReactionRequestSchema, request.body);
    const result = await actions.react(request.actor, id, body);
    return reply.code(result.duplicate ? 200 : 201).send(result);
  });

  app.delete('/messages/:id/reactions/:type', async (request) => {
    const { id, type } = parse(reactionParamsSchema, request.params);
    const query = parse(deleteReactionRequestSchema, request.query);
    return actions.unreact(request.actor, id, type, query);
  });

  app.get('/messages/:id/reactions', async (request) => {
    const { id } = parse(messageParamsSchema, request.params);
    const query = parse(getReactionsRequestSchema, request.query);
    return actions.reactions(request.actor, id, query);
  });

  app.get('/messages/:id/replies', async (request) => {
    const { id } = parse(messageParamsSchema, request.params);
    const query = parse(getRepliesRequestSchema, request.query);
    return actions.replies(request.actor, id, query);
  });

  app.get('/channels/:type/:id/pinned', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const query = parse(getPinnedRequestSchema, request.query);
    return actions.pinned(request.actor, toCid(type, id), query.limit);
  });
}
