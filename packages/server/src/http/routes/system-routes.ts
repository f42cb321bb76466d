import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '@parley/protocol';
import { API_VERSION } from '../../api-docs/api-version.js';
import { buildOpenApiDocument } from '../../api-docs/openapi.js';
import type { ServiceContext } from '../../services/context.js';

/** `GET /health`, `GET /metrics` and `GET /openapi.json`: no token needed. */
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
  let openApi: string | null = null;
  app.get('/openapi.json', { config: { public: true } }, async (_request, reply) => {
    // Built on first use: a node that is never asked spends nothing on it.
    openApi ??= JSON.stringify(buildOpenApiDocument(API_VERSION));
    return reply.type('application/json; charset=utf-8').send(openApi);
  });
  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
