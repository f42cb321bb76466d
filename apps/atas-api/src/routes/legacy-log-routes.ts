import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { participantInvitation } from './invitation-routes.js';

/** The legacy Communication Log, as the old polling front end used it. */
export function legacyLogRoutes(app: FastifyInstance, ctx: AtasContext): void {
  const postBody = z.object({
    text: z
      .string()
      .refine((t) => t.trim() !== '', 'text is blank')
      .refine((t) => [...t].length <= ctx.maxMessageLength, {
        message: `text is longer than ${ctx.maxMessageLength} characters`,
      }),
  });

  app.get('/api/v1/invitations/:id/messages', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await participantInvitation(ctx, request, user);
    return { messages: await ctx.legacyLog.list(invitation.conversation_uuid) };
  });

  app.post('/api/v1/invitations/:id/messages', async (request, reply) => {
    const user = await ctx.authenticate(request);
    const invitation = await participantInvitation(ctx, request, user);
    const { text } = parse(postBody, request.body);
    const row = await ctx.legacyLog.post({
      conversationUuid: invitation.conversation_uuid,
      authorId: user.id,
      text,
    });
    return reply.code(201).send({
      message: {
        id: row.id,
        conversation_uuid: row.conversation_uuid,
        author: { id: user.id, name: user.name },
        text: row.text,
        created_at: new Date(row.created_at).toISOString(),
      },
    });
  });
}
