import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { hashPassword } from '../auth/password.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { Accounts, toPublicUser } from '../services/accounts.js';
import { newPasswordSchema } from './account-routes.js';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
const joinBody = z
  .object({ name: z.string().trim().min(1).max(100), password: newPasswordSchema })
  .strict();

/**
 * The invite link of a speaker without an account: `GET` shows what it is for, `POST` sets
 * the name and password, uses the link and signs the speaker in.
 */
export function inviteLinkRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.get('/api/v1/invite-links/:token', async (request) => {
    const { token } = parse(tokenParams, request.params);
    const link = await ctx.links.check(ctx.db, 'invite', token);
    const invitation = await ctx.invitations.findById(link.invitation_id ?? '');
    const user = await ctx.accounts.findById(link.user_id);
    if (invitation === undefined || user === undefined) {
      throw new AtasError('link_invalid', 'this link is not valid');
    }
    return { email: user.email, invitation: await ctx.invitations.toJson(invitation) };
  });

  app.post('/api/v1/invite-links/:token', async (request) => {
    const { token } = parse(tokenParams, request.params);
    const body = parse(joinBody, request.body);
    await ctx.links.check(ctx.db, 'invite', token); // fail fast, before the slow hash
    const hash = await hashPassword(body.password);
    const { user, invitationId } = await ctx.db.transaction().execute(async (trx) => {
      const link = await ctx.links.use(trx, 'invite', token);
      // Joined now: the other invite links of this person must not set a password again.
      await trx
        .updateTable('atas_links')
        .set({ used_at: Date.now() })
        .where('user_id', '=', link.user_id)
        .where('kind', '=', 'invite')
        .where('used_at', 'is', null)
        .execute();
      const user = await new Accounts(trx).setPassword(link.user_id, hash, body.name);
      return { user, invitationId: link.invitation_id };
    });
    // The chat shows the chosen name from now on (else at the first chat token).
    await ctx.chat.upsertUser(user).catch((err: unknown) => {
      request.log.warn({ err, user: user.id }, 'new name not pushed to the chat yet');
    });
    return {
      session: await ctx.sessions.sign(user.id),
      user: toPublicUser(user),
      invitation_id: invitationId,
    };
  });
}
