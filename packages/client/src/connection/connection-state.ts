import type { ChatError } from '@parley/protocol/codes';

/**
 * Where the connection is:
 * - `idle`: `connectUser` was never called;
 * - `connecting`: the first attempt is under way;
 * - `connected`: `connection.ok` arrived;
 * - `reconnecting`: the link was lost (or the first attempt failed); retrying with backoff;
 * - `offline`: the network said offline; no attempt until it says online;
 * - `disconnected`: `disconnect()` was called, or the server refused for good.
 */
export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'disconnected';

/** The payload of `connection.changed` and of the `connection.<state>` events. */
export interface ConnectionChangedEvent {
  state: ConnectionState;
  previous: ConnectionState;
  /** Why the client stopped or lost the link, when known. */
  error?: ChatError;
}
