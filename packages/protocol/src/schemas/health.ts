import { z } from 'zod';

/**
 * `GET /health`: 200 when the node can serve (storage answers, Redis connected when
 * configured, not shutting down), 503 otherwise.
 */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  storage: z.enum(['sqlite', 'postgres']),
  node_id: z.string(),
  /** `off`: one node, no Redis configured; else whether this node's Redis links are up. */
  redis: z.enum(['off', 'ok', 'unavailable']),
  uptime_s: z.number().nonnegative(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
