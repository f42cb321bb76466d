/** Whether this node's Redis links are up; `off` when it runs alone. */
export type RedisState = 'off' | 'ok' | 'unavailable';

/**
 * Whether this node can serve, for `/health`, new WebSocket connections and REST calls:
 * its storage is migrated, its Redis links are up (when configured) and it is not
 * shutting down.
 */
export class Readiness {
  /** Migrations ran: the storage can be used. */
  storageReady = false;
  /** Shutting down: no new connections. */
  draining = false;

  constructor(private readonly redisState: () => RedisState = () => 'off') {}

  get redis(): RedisState {
    return this.redisState();
  }

  /** New WebSocket connections are taken only when the node can reach everything. */
  get acceptsConnections(): boolean {
    return this.storageReady && !this.draining && this.redis !== 'unavailable';
  }
}
