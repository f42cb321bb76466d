import { ChatError } from '@parley/protocol';

/**
 * What the SDK needs of a protocol zod schema. Typed locally so the SDK checks arguments
 * with the server's own schemas without depending on zod itself.
 */
export interface Schema<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
}

/**
 * Checks a value with a protocol schema before anything is sent, and fails the way the
 * server would: `invalid_request` with `details.issues` of `{ path, message }`.
 * `at` names the argument, so the path reads `members.1` rather than `1`.
 */
export function check<T>(schema: Schema<T>, value: unknown, at?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [...(at === undefined ? [] : [at]), ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new ChatError(
    'invalid_request',
    first === undefined ? 'invalid arguments' : `${first.path || 'argument'}: ${first.message}`,
    { issues },
  );
}

/** Refuses an argument with one message, in the same shape as {@link check}. */
export function invalid(path: string, message: string): ChatError {
  return new ChatError('invalid_request', `${path}: ${message}`, { issues: [{ path, message }] });
}
