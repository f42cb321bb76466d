import type { FastifyRequest } from 'fastify';
import { ChatError } from '@parley/protocol';
import { readBearer } from '../auth/tokens.js';
import type { Actor, ServiceContext } from '../services/context.js';
import type { TokenCheck } from '../auth/verified-tokens.js';

/** Resolves the caller of a REST request from `Authorization: Bearer <token>`. */
export async function authenticate(
  request: FastifyRequest,
  ctx: ServiceContext,
  tokens: TokenCheck,
): Promise<Actor> {
  const query = request.query as Record<string, unknown> | undefined;
  const apiKey = request.headers['x-api-key'] ?? query?.api_key;
  if (apiKey !== undefined && apiKey !== ctx.config.apiKey) {
    throw new ChatError('invalid_api_key', 'the api key does not match this server');
  }
  // Checked here; the routes' strict query schemas would refuse it as an unknown field.
  if (query !== undefined) delete query.api_key;
  const principal = await tokens.verify(readBearer(request.headers.authorization));
  if (principal.kind === 'server') return principal;
  // A valid token proves the user exists in the app; the first call creates the record.
  const user = await ctx.access.actor(principal.userId);
  return { kind: 'user', user };
}
