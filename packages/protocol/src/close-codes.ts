/**
 * WebSocket close codes. The range says what a client should do:
 * 4000–4499 are temporary (reconnect with backoff), 4500–4999 are permanent (stop).
 */
export const CloseCode = {
  /** The client closed the connection itself. */
  Normal: 1000,
  /** The server is shutting down or restarting. Reconnect. */
  ServerShutdown: 4000,
  /** No heartbeat arrived in time; the connection was presumed dead. Reconnect. */
  HeartbeatTimeout: 4001,
  /** The client did not read its events fast enough. Reconnect and resync. */
  SlowConsumer: 4002,
  /** The token expired. Get a new token, then reconnect. */
  TokenExpired: 4003,
  /** An unexpected server error. Reconnect. */
  InternalError: 4004,
  /**
   * The node lost its link to the other nodes (Redis) and got it back: events may have
   * been missed. Reconnect at once and recover by seq.
   */
  Resync: 4005,
  /** The token is missing, forged or malformed, or the api key is wrong. Do not retry with it. */
  AuthFailed: 4500,
} as const;

/** One of the {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** True when a client should reconnect after a close with this code. */
export function shouldReconnect(code: number): boolean {
  if (code >= 4500 && code <= 4999) return false;
  // 1000 is a close the client asked for; every other code (network loss 1006,
  // 1001 going away, 1009 frame too big, 4000–4499) is worth a retry.
  return code !== CloseCode.Normal;
}
