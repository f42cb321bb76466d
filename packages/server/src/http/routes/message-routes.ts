import type { FastifyInstance } from 'fastify';
import {
  channelParamsSchema,
  getEventsRequestSchema,
  getMessagesRequestSchema,
  markReadRequestSchema,
  sendMessageRequestSchema,
  toCid,
} from '@parley/protocol';
import type { ChannelReads } from '../../services/channel-reads.js';
import type { MessageService } from '../../services/message-service.js';
import { messagePageJson } from '../message-page-json.js';
import { parse } from '../parse.js';

export function messageRoutes(
  app: FastifyInstance,
  messages: MessageService,
  reads: ChannelReads,
): void {
  app.post('/channels/:type/:id/messages', async (request, reply) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const body = parse(sendMessageRequestSchema, request.body);
    const result = await messages.send(request.actor, toCid(type, id), body);
    return reply.code(result.duplicate ? 200 : 201).send(result);
  });

  app.get('/channels/:type/:id/messages', async (request, reply) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const query = parse(getMessagesRequestSchema, request.query);
    const page = await reads.history(request.actor, toCid(type, id), query);
    // The JSON Fastify would write (JSON.stringify), written in half the time.
    return reply.type('application/json; charset=utf-8').send(messagePageJson(page));
  });

  app.post('/channels/:type/:id/read', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const body = parse(markReadRequestSchema, request.body);
    return reads.markRead(request.actor, toCid(type, id), body);
  });

  app.get('/channels/:type/:id/events', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const query = parse(getEventsRequestSchema, request.query);
    return reads.events(request.actor, toCid(type, id), query.since_seq, query.limit);
  });
}
