import type { FastifyInstance } from 'fastify';
import type { AtasContext } from '../http/context.js';

/** `GET /api/v1/chat/token`: the only place a browser gets chat credentials. */
export function chatRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.get('/api/v1/chat/token', async (request) => {
    const user = await ctx.authenticate(request);
    // Upserting first keeps names and avatars in the chat current, and fails with
    // chat_unavailable (503) when Parley cannot be reached.
    await ctx.chat.upsertUser(user);
    return {
      token: await ctx.chat.createUserToken(user.id),
      user_id: user.id,
      api_key: ctx.chat.options.apiKey,
      url: ctx.chat.options.url,
    };
  });
}
