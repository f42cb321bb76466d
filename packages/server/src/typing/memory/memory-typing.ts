import type { TypingExpiredHandler, TypingTracker } from '../typing-tracker.js';

interface TypingState {
  timer: NodeJS.Timeout;
  connectionId: string;
}

/** Typing for one node. */
export function createMemoryTyping(options: { timeoutMs: number }): TypingTracker {
  return new MemoryTyping(options.timeoutMs);
}

/** Typing states of one node, each with its own expiry timer. */
export class MemoryTyping implements TypingTracker {
  private readonly states = new Map<string, Map<string, TypingState>>();
  private expired: TypingExpiredHandler = () => {};

  constructor(private readonly timeoutMs: number) {}

  onExpired(handler: TypingExpiredHandler): void {
    this.expired = handler;
  }

  async start(cid: string, userId: string, connectionId: string): Promise<boolean> {
    let channel = this.states.get(cid);
    if (channel === undefined) {
      channel = new Map();
      this.states.set(cid, channel);
    }
    const existing = channel.get(userId);
    if (existing !== undefined) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      if (this.remove(cid, userId)) this.expired(cid, userId);
    }, this.timeoutMs);
    timer.unref();
    channel.set(userId, { timer, connectionId });
    return existing === undefined;
  }

  async stop(cid: string, userId: string): Promise<boolean> {
    return this.remove(cid, userId);
  }

  async typing(cid: string): Promise<string[]> {
    return [...(this.states.get(cid)?.keys() ?? [])];
  }

  async dropConnection(connectionId: string): Promise<void> {
    for (const [cid, channel] of this.states) {
      for (const [userId, state] of channel) {
        if (state.connectionId === connectionId && this.remove(cid, userId)) {
          this.expired(cid, userId);
        }
      }
    }
  }

  async close(): Promise<void> {
    for (const channel of this.states.values()) {
      for (const state of channel.values()) clearTimeout(state.timer);
    }
    this.states.clear();
  }

  private remove(cid: string, userId: string): boolean {
    const channel = this.states.get(cid);
    const state = channel?.get(userId);
    if (channel === undefined || state === undefined) return false;
    clearTimeout(state.timer);
    channel.delete(userId);
    if (channel.size === 0) this.states.delete(cid);
    return true;
  }
}
