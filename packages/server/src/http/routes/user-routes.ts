import type { FastifyInstance } from 'fastify';
import {
  ChatError,
  getUnreadRequestSchema,
  queryUsersRequestSchema,
  upsertUsersRequestSchema,
  userIdSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { UserService } from '../../services/user-service.js';
import { parse } from '../parse.js';

const userParams = z.object({ id: userIdSchema });

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
    const { id } = parse(userParams, request.params);
    return { user: await users.get(id) };
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
    const actor = request.actor;
    if (actor.kind === 'user') {
      if (user_id !== undefined && user_id !== actor.user.id) {
        throw new ChatError('user_mismatch', `the token is for ${actor.user.id}, not ${user_id}`);
      }
      return users.unread(actor.user.id);
    }
    if (user_id === undefined) {
      throw new ChatError('invalid_request', 'server-side calls must name the user in user_id');
    }
    return users.unread(user_id);
  });
}
