import type { FastifyRequest } from 'fastify';
import { ChatError } from '@parley/protocol';
import type { TokenVerifier } from '../auth/tokens.js';
import type { Actor, ServiceContext } from '../services/context.js';

/** Resolves the caller of a REST request from `Authorization: Bearer <token>`. */
export async function authenticate(
  request: FastifyRequest,
  ctx: ServiceContext,
  tokens: TokenVerifier,
): Promise<Actor> {
  const query = request.query as Record<string, unknown> | undefined;
  const apiKey = request.headers['x-api-key'] ?? query?.api_key;
  if (apiKey !== undefined && apiKey !== ctx.config.apiKey) {
    throw new ChatError('invalid_api_key', 'the api key does not match this server');
  }
  // Checked here; the routes' strict query schemas would refuse it as an unknown field.
  if (query !== undefined) delete query.api_key;
  const header = request.headers.authorization;
  let token: string | undefined;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null) {
      throw new ChatError('token_invalid', 'the Authorization header must be "Bearer <token>"');
    }
    token = match[1];
  }
  const principal = await tokens.verify(token);
  if (principal.kind === 'server') return principal;
  // A valid token proves the user exists in the app; the first call creates the record.
  const user = await ctx.storage.ensureUser(principal.userId, Date.now());
  return { kind: 'user', user };
}
