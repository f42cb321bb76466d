import { errorStatus, type ErrorCode } from '@parley/protocol';
import { expect } from 'vitest';
import { ChatError } from '../../src/index.js';

/**
 * The ChatError a call rejects with, after checking its code and the status that goes with
 * it; fails the test if the call resolves or throws anything else.
 */
export async function expectChatError(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<ChatError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected ${code}, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(ChatError);
  const error = outcome.error as ChatError;
  expect({ code: error.code, status: error.status }).toEqual({ code, status: errorStatus[code] });
  return error;
}
