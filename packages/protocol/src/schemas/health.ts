import { z } from 'zod';

/** `GET /health`: 200 when the storage answers, 503 otherwise. */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  storage: z.enum(['sqlite', 'postgres']),
  node_id: z.string(),
  uptime_s: z.number().nonnegative(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
