import type { FastifyInstance } from 'fastify';
import {
  changeMembersRequestSchema,
  channelParamsSchema,
  channelTypeParamsSchema,
  getChannelRequestSchema,
  getOrCreateChannelRequestSchema,
  getOrCreateDistinctChannelRequestSchema,
  newChannelParamsSchema,
  queryChannelsRequestSchema,
  removeMembersRequestSchema,
  toCid,
  updateChannelRequestSchema,
} from '@parley/protocol';
import type { ChannelService } from '../../services/channel-service.js';
import type { UserService } from '../../services/user-service.js';
import { toChannel, toMember } from '../../services/wire.js';
import { parse } from '../parse.js';

export function channelRoutes(
  app: FastifyInstance,
  channels: ChannelService,
  users: UserService,
): void {
  app.post('/channels/:type', async (request, reply) => {
    const { type } = parse(channelTypeParamsSchema, request.params);
    const body = parse(getOrCreateDistinctChannelRequestSchema, request.body);
    const result = await channels.getOrCreateDistinct(request.actor, type, body);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post('/channels/:type/:id', async (request, reply) => {
    const { type, id } = parse(newChannelParamsSchema, request.params);
    const body = parse(getOrCreateChannelRequestSchema, request.body);
    const result = await channels.getOrCreate(request.actor, type, id, body);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.get('/channels/:type/:id', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const query = parse(getChannelRequestSchema, request.query);
    return channels.get(request.actor, toCid(type, id), query.message_limit);
  });

  app.patch('/channels/:type/:id', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const body = parse(updateChannelRequestSchema, request.body);
    return { channel: toChannel(await channels.update(request.actor, toCid(type, id), body)) };
  });

  app.delete('/channels/:type/:id', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const cid = toCid(type, id);
    await channels.delete(request.actor, cid);
    return { cid, deleted: true };
  });

  const membersReply = async (result: Awaited<ReturnType<ChannelService['addMembers']>>) => {
    const byId = await users.usersById(result.members.map((m) => m.userId));
    return {
      channel: toChannel(result.channel),
      members: result.members.flatMap((m) => {
        const user = byId.get(m.userId);
        return user === undefined ? [] : [toMember(m, user)];
      }),
    };
  };

  app.post('/channels/:type/:id/members', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const body = parse(changeMembersRequestSchema, request.body);
    return membersReply(await channels.addMembers(request.actor, toCid(type, id), body));
  });

  app.delete('/channels/:type/:id/members', async (request) => {
    const { type, id } = parse(channelParamsSchema, request.params);
    const body = parse(removeMembersRequestSchema, request.body);
    return membersReply(await channels.removeMembers(request.actor, toCid(type, id), body));
  });

  app.get('/channels', async (request) => {
    const query = parse(queryChannelsRequestSchema, request.query);
    return channels.query(request.actor, query);
  });
}
