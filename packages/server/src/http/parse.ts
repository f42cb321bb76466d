import type { z } from 'zod';
import { fromZod } from '../to-chat-error.js';

/** Validates input with a protocol schema; failures become `invalid_request` with details. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw fromZod(result.error);
  return result.data;
}
