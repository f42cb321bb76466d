import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../auth/password.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { normalizeEmail, toPublicUser } from '../services/accounts.js';

const loginBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const profileBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    avatar_url: z
      .string()
      .max(2048)
      .url()
      .refine((url) => /^https?:\/\//i.test(url), 'avatar_url must be an http(s) URL')
      .nullable()
      .optional(),
  })
  .strict();

/** `POST /api/v1/auth/login`, `GET /api/v1/me` and `PATCH /api/v1/me`. */
export function authRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.post('/api/v1/auth/login', async (request) => {
    const { email, password } = parse(loginBody, request.body);
    const key = normalizeEmail(email);
    await ctx.loginThrottle.check(key);
    const user = await ctx.accounts.findByEmail(email);
    // An unknown email still runs a hash, so both failures look and take alike.
    const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (user === undefined || !ok) {
      await ctx.loginThrottle.failed(key);
      throw new AtasError('invalid_credentials', 'the email or the password is wrong');
    }
    await ctx.loginThrottle.succeeded(key);
    return { session: await ctx.sessions.sign(user.id), user: toPublicUser(user) };
  });

  app.get('/api/v1/me', async (request) => {
    const user = await ctx.authenticate(request);
    return { user: toPublicUser(user) };
  });

  // The profile the chat shows: a change reaches Parley at once when it is up, and at the
  // next chat token (which upserts the user) when it is not.
  app.patch('/api/v1/me', async (request) => {
    const user = await ctx.authenticate(request);
    const changes = parse(profileBody, request.body ?? {});
    const updated = await ctx.accounts.updateProfile(user.id, {
      name: changes.name,
      avatarUrl: changes.avatar_url,
    });
    let chatNotified = true;
    try {
      await ctx.chat.upsertUser(updated);
    } catch (err) {
      chatNotified = false;
      request.log.warn({ err, user: user.id }, 'profile not pushed to the chat');
    }
    return { user: toPublicUser(updated), chat_notified: chatNotified };
  });
}
