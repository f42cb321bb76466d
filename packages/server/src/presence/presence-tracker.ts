/**
 * Who is online. A user is online while at least one of their connections is open on any
 * node; a multi-node implementation keeps this in shared storage with expiring heartbeats.
 */
export interface PresenceTracker {
  /** Records an open connection; true when the user was offline before. */
  connect(userId: string, connectionId: string): Promise<boolean>;
  /** Records a closed connection; true when it was the user's last one. */
  disconnect(userId: string, connectionId: string): Promise<boolean>;
  /** The subset of `userIds` that is online. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}
