/**
 * Called when a user's presence changed without a connect or disconnect on this node:
 * their last connection expired (its node died), or came back after a Redis outage.
 */
export type PresenceChangedHandler = (userId: string) => void;

/**
 * Who is online. A user is online while at least one of their connections is open on any
 * node; a multi-node implementation keeps this in shared storage with expiring heartbeats,
 * so the connections of a node that dies stop counting by themselves.
 */
export interface PresenceTracker {
  /** Records an open connection; true when the user was offline before. */
  connect(userId: string, connectionId: string): Promise<boolean>;
  /** Records a closed connection; true when it was the user's last one. */
  disconnect(userId: string, connectionId: string): Promise<boolean>;
  /** The subset of `userIds` that is online. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /** Calls `handler` (on one node only) for each such change; see PresenceChangedHandler. */
  onChanged(handler: PresenceChangedHandler): void;
  /**
   * Stops refreshing. The connections recorded here are left to expire rather than
   * removed, so users who reconnect to another node at once never appear offline.
   */
  close(): Promise<void>;
}
