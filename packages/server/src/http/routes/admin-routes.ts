import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ChatError } from '@parley/protocol';

/**
 * The console's pages load only the console's own files and call only this server; no
 * inline script or style (the build has none), no framing, no plug-ins.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every asset after its content: a changed file is a new URL. */
const HASHED = /^assets\/[\w.-]+$/;

/**
 * `GET /admin`: the admin console, a static build (packages/admin) served with a strict
 * CSP. The page holds no data; it calls the REST API with the operator's credential.
 * `index.html` is revalidated on every load, hashed assets are cached for a year.
 */
export function adminRoutes(app: FastifyInstance, adminDir: string | null): void {
  if (adminDir === null) return;
  const built = existsSync(join(adminDir, 'index.html'));
  if (built) void app.register(fastifyStatic, { root: adminDir, serve: false });

  const send = (reply: FastifyReply, file: string) => {
    if (!built) {
      throw new ChatError(
        'not_found',
        `the admin console is not built in ${adminDir}: run npm run build`,
      );
    }
    const immutable = HASHED.test(file);
    void reply
      .header('content-security-policy', ADMIN_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin');
    if (!immutable) void reply.header('cache-control', 'no-cache');
    return reply.sendFile(file, adminDir, {
      dotfiles: 'deny',
      cacheControl: immutable,
      immutable,
      maxAge: immutable ? '365d' : 0,
    });
  };

  app.get('/admin', { config: { public: true, page: true } }, async (_request, reply) =>
    send(reply, 'index.html'),
  );
  app.get('/admin/*', { config: { public: true, page: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    // The console routes in the URL's hash; any other path under /admin is its page.
    if (file === '' || !file.includes('.')) return send(reply, 'index.html');
    // The build has no dotfiles; send() would answer one with a bare 403.
    if (file.split('/').some((segment) => segment.startsWith('.'))) {
      throw new ChatError('not_found', `no file /admin/${file}`);
    }
    return send(reply, file);
  });
}
