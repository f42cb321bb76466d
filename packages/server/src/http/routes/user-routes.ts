import type { FastifyInstance } from 'fastify';
import {
  ChatError,
  getUnreadRequestSchema,
  queryUsersRequestSchema,
  setUserRoleRequestSchema,
  upsertUsersRequestSchema,
  userParamsSchema,
} from '@parley/protocol';
import { actingUserId } from '../../services/access.js';
import type { UserService } from '../../services/user-service.js';
import { parse } from '../parse.js';

export function userRoutes(app: FastifyInstance, users: UserService): void {
  app.post('/users', async (request) => {
    const body = parse(upsertUsersRequestSchema, request.body);
    return { users: await users.upsert(request.actor, body.users) };
  });

  app.get('/users', async (request) => {
    const query = parse(queryUsersRequestSchema, request.query);
    return users.query(query);
  });

  app.get('/users/:id', async (request) => {
    const { id } = parse(userParamsSchema, request.params);
    return { user: await users.get(id) };
  });

  app.put('/users/:id/role', async (request) => {
    const { id } = parse(userParamsSchema, request.params);
    const body = parse(setUserRoleRequestSchema, request.body);
    return { user: await users.setRole(request.actor, id, body) };
  });

  app.get('/me', async (request) => {
    const actor = request.actor;
    if (actor.kind !== 'user') {
      throw new ChatError('invalid_request', '/me needs a user token');
    }
    return { user: await users.get(actor.user.id) };
  });

  app.get('/unread', async (request) => {
    const { user_id } = parse(getUnreadRequestSchema, request.query);
    return users.unread(actingUserId(request.actor, user_id));
  });
}
