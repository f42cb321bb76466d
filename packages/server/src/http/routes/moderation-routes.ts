import type { FastifyInstance } from 'fastify';
import {
  analyticsRequestSchema,
  banRequestSchema,
  blockRequestSchema,
  channelMuteRequestSchema,
  channelParamsSchema,
  channelTypeNameParamsSchema,
  createChannelTypeRequestSchema,
  flagParamsSchema,
  flagRequestSchema,
  freezeRequestSchema,
  liftRequestSchema,
  queryAuditLogRequestSchema,
  queryBlocksRequestSchema,
  queryFlagsRequestSchema,
  resolveFlagRequestSchema,
  toCid,
  updateChannelTypeRequestSchema,
  userParamsSchema,
} from '@parley/protocol';
import type { AppServices } from '../app.js';
import { toChannel } from '../../services/wire.js';
import { parse } from '../parse.js';

/** Channel types, moderation, blocks, channel mutes, freezing, the audit log and analytics. */
export function moderationRoutes(
  app: FastifyInstance,
  services: Pick<AppServices, 'channelTypes' | 'moderation' | 'controls' | 'analytics'>,
): void {
  const { channelTypes: types, moderation, controls, analytics } = services;
  app.get('/channel-types', async () => ({ channel_types: await types.list() }));

  app.get('/channel-types/:name', async (request) => {
    const { name } = parse(channelTypeNameParamsSchema, request.params);
    return { channel_type: await types.get(name) };
  });

  app.post('/channel-types/:name', async (request, reply) => {
    const { name } = parse(channelTypeNameParamsSchema, request.params);
    const body = parse(createChannelTypeRequestSchema, request.body ?? {});
    const channelType = await types.create(request.actor, name, body);
    return reply.code(201).send({ channel_type: channelType });
  });

  app.patch('/channel-types/:name', async (request) => {
    const { name } = parse(channelTypeNameParamsSchema, request.params);
    const body = parse(updateChannelTypeRequestSchema, request.body ?? {});
    return { channel_type: await types.update(request.actor, name, body) };
  });

  app.post('/moderation/flag', async (request, reply) => {
    const body = parse(flagRequestSchema, request.body);
    return reply.code(201).send({ flag: await moderation.flag(request.actor, body) });
  });

  app.get('/moderation/flags', async (request) => {
    const query = parse(queryFlagsRequestSchema, request.query);
    return moderation.flags(request.actor, query);
  });

  app.post('/moderation/flags/:id/resolve', async (request) => {
    const { id } = parse(flagParamsSchema, request.params);
    const body = parse(resolveFlagRequestSchema, request.body ?? {});
    return { flag: await moderation.resolveFlag(request.actor, id, body) };
  });

  for (const kind of ['ban', 'mute'] as const) {
    app.post(`/moderation/${kind}`, async (request, reply) => {
      const body = parse(banRequestSchema, request.body);
      const restriction = await moderation.restrict(request.actor, kind, body);
      return reply.code(201).send({ restriction });
    });
    app.delete(`/moderation/${kind}`, async (request) => {
      const body = parse(liftRequestSchema, request.body);
      return { lifted: await moderation.lift(request.actor, kind, body) };
    });
  }

  for (const [method, blocked] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/users/:id/block',
      handler: async (request) => {
        const { id } = parse(userParamsSchema, request.params);
        const body = parse(blockRequestSchema, request.body ?? {});
        return controls.block(request.actor, id, blocked, body.user_id);
      },
    });
    app.route({
      method,
      url: '/channels/:type/:id/mute',
      handler: async (request) => {
        const { type, id } = parse(channelParamsSchema, request.params);
        const body = parse(channelMuteRequestSchema, request.body ?? {});
        return controls.muteChannel(request.actor, toCid(type, id), blocked, body.user_id);
      },
    });
    app.route({
      method,
      url: '/channels/:type/:id/freeze',
      handler: async (request) => {
        const { type, id } = parse(channelParamsSchema, request.params);
        const body = parse(freezeRequestSchema, request.body ?? {});
        const channel = await moderation.freeze(request.actor, toCid(type, id), blocked, body);
        return { channel: toChannel(channel) };
      },
    });
  }

  app.get('/blocks', async (request) => {
    const query = parse(queryBlocksRequestSchema, request.query);
    return { blocked_user_ids: await controls.blocks(request.actor, query.user_id) };
  });

  app.get('/audit-log', async (request) => {
    const query = parse(queryAuditLogRequestSchema, request.query);
    return moderation.auditLog(request.actor, query);
  });

  app.get('/analytics', async (request) => {
    const query = parse(analyticsRequestSchema, request.query);
    return analytics.get(request.actor, query);
  });
}
