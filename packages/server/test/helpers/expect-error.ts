import { expect } from 'vitest';
import { errorStatus, type ErrorCode } from '@parley/protocol';

/**
 * Asserts a REST answer is the documented error: the code's HTTP status, the one JSON
 * shape `{ error: { code, message, details? } }`, and no stack trace for the client.
 */
export function expectError(res: { status: number; body: any }, code: ErrorCode): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({
    status: errorStatus[code],
    code,
  });
  expect(typeof res.body.error.message).toBe('string');
  expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(
    true,
  );
  expect(JSON.stringify(res.body)).not.toMatch(/\.(?:js|ts):\d+/);
}

/** Asserts a WebSocket request failed with an error frame carrying this code. */
export async function expectFrameError(request: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(request).rejects.toMatchObject({ name: 'ChatError', code });
}
