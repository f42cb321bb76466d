import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '@parley/protocol';
import type { ServiceContext } from '../../services/context.js';

/** `GET /health` and `GET /metrics`: no token needed. */
export function systemRoutes(app: FastifyInstance, ctx: ServiceContext, nodeId: string): void {
  const started = Date.now();
  app.get('/health', { config: { public: true } }, async (_request, reply) => {
    let ok = true;
    try {
      await Promise.race([
        ctx.storage.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
      ]);
    } catch {
      ok = false;
    }
    const { readiness } = ctx;
    const redis = readiness.redis;
    ok &&= readiness.storageReady && !readiness.draining && redis !== 'unavailable';
    const body: HealthResponse = {
      status: ok ? 'ok' : 'unavailable',
      storage: ctx.storage.dialect,
      node_id: nodeId,
      redis,
      uptime_s: Math.round((Date.now() - started) / 1000),
    };
    return reply.code(ok ? 200 : 503).send(body);
  });
  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
