import type { z } from 'zod';
import { fromZod } from './to-atas-error.js';

/** Validates a body, query or params; failures are `invalid_request` listing the issues. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw fromZod(result.error);
  return result.data;
}
