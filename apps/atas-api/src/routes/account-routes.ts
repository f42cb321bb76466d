import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { hashPassword } from '../auth/password.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { deliver } from '../mail/deliver.js';
import { passwordResetEmail } from '../mail/emails.js';
import { Accounts, hasJoined, normalizeEmail, toPublicUser } from '../services/accounts.js';

/** A new password: 8 to 1024 characters. */
export const newPasswordSchema = z
  .string()
  .min(8, 'the password needs at least 8 characters')
  .max(1024);

const signupBody = z
  .object({
    email: z.email().max(320),
    password: newPasswordSchema,
    name: z.string().trim().min(1).max(100),
  })
  .strict();

const resetRequestBody = z.object({ email: z.string().trim().min(1).max(320) }).strict();
const resetConfirmBody = z
  .object({ token: z.string().min(1).max(200), password: newPasswordSchema })
  .strict();

/** Organizers' sign-up and password resets by email. */
export function accountRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.post('/api/v1/auth/signup', async (request, reply) => {
    const body = parse(signupBody, request.body);
    await ctx.requestLimits.signUp(request.ip);
    const existing = await ctx.accounts.findByEmail(body.email);
    if (existing !== undefined) {
      throw new AtasError(
        'email_taken',
        hasJoined(existing)
          ? 'an account with this email exists: log in, or reset its password'
          : 'this email has an invitation waiting: open the link in the invitation email',
      );
    }
    const user = await ctx.accounts.create({ ...body, role: 'organizer' });
    // Parley learns the address now (emails about unread messages), or at the first chat token.
    await ctx.chat
      .upsertUser(user)
      .catch((err: unknown) =>
        request.log.warn({ err, user: user.id }, 'account not pushed to the chat yet'),
      );
    return reply.code(201).send({ session: await ctx.sessions.sign(user.id), user });
  });

  // Always 202, whether the email has an account or not: the answer tells nobody who has one.
  app.post('/api/v1/auth/password-reset', async (request, reply) => {
    const { email } = parse(resetRequestBody, request.body);
    await ctx.requestLimits.passwordReset(request.ip, normalizeEmail(email));
    const user = await ctx.accounts.findByEmail(email);
    if (user !== undefined && hasJoined(user)) {
      const token = await ctx.links.issue(ctx.db, { kind: 'password_reset', userId: user.id });
      const expiresAt = new Date(Date.now() + ctx.links.lifetimes.passwordResetSeconds * 1000);
      const link = `${ctx.webUrl}/reset-password/${token}`;
      await deliver(
        ctx.mailer,
        request.log,
        passwordResetEmail({ to: user.email, link, expiresAt }),
      );
    }
    return reply.code(202).send({ status: 'sent' });
  });

  app.post('/api/v1/auth/password-reset/confirm', async (request) => {
    const body = parse(resetConfirmBody, request.body);
    await ctx.links.check(ctx.db, 'password_reset', body.token); // fail fast, before hashing
    const hash = await hashPassword(body.password);
    const user = await ctx.db.transaction().execute(async (trx) => {
      const link = await ctx.links.use(trx, 'password_reset', body.token);
      return new Accounts(trx).setPassword(link.user_id, hash);
    });
    await ctx.loginThrottle.succeeded(user.email);
    return { session: await ctx.sessions.sign(user.id), user: toPublicUser(user) };
  });
}
