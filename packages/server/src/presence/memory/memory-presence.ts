import type { PresenceTracker } from '../presence-tracker.js';

/** Presence for one node (no options). */
export function createMemoryPresence(): PresenceTracker {
  return new MemoryPresence();
}

/** Presence for one node, in memory. */
export class MemoryPresence implements PresenceTracker {
  private readonly connections = new Map<string, Set<string>>();

  async connect(userId: string, connectionId: string): Promise<boolean> {
    let set = this.connections.get(userId);
    const wasOffline = set === undefined || set.size === 0;
    if (set === undefined) {
      set = new Set();
      this.connections.set(userId, set);
    }
    set.add(connectionId);
    return wasOffline;
  }

  async disconnect(userId: string, connectionId: string): Promise<boolean> {
    const set = this.connections.get(userId);
    if (set === undefined || !set.delete(connectionId)) return false;
    if (set.size > 0) return false;
    this.connections.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => (this.connections.get(id)?.size ?? 0) > 0));
  }

  onChanged(): void {
    // Connections end with their process: none is left behind to expire.
  }

  async close(): Promise<void> {
    this.connections.clear();
  }
}
