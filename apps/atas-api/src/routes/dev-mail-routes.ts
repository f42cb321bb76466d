import type { FastifyInstance } from 'fastify';
import type { AtasContext } from '../http/context.js';
import { newestFirst, readMailFolder } from '../mail/mail-folder.js';

/**
 * `GET /api/v1/dev/mail`: the emails of the file outbox and of `folders` (Parley's, in
 * `npm start`), newest first. Registered only with the `devMailbox` option and no SMTP.
 */
export function devMailRoutes(app: FastifyInstance, ctx: AtasContext, folders: string[]): void {
  app.get('/api/v1/dev/mail', async () => {
    const lists = await Promise.all([
      ctx.mailer.list().then((emails) => emails ?? []),
      ...folders.map((folder) => readMailFolder(folder)),
    ]);
    return { emails: lists.flat().sort(newestFirst) };
  });
}
