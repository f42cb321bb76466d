import type { FastifyInstance } from 'fastify';
import type { AtasContext } from '../http/context.js';

/** `GET /api/v1/dev/mail`: the file outbox, newest first (only with the `devMailbox` option). */
export function devMailRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.get('/api/v1/dev/mail', async () => {
    const emails = await ctx.mailer.list();
    return { enabled: emails !== null, emails: emails ?? [] };
  });
}
