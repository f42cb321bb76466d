import type { BusMessage } from '../bus/bus.js';

/** Slack for the other nodes' clocks and the bus's delay, added to a state's expiry. */
const SLACK_MS = 1_000;

/**
 * Who may be typing where, as this node heard it: every `typing.start` (refreshes too)
 * and `typing.stop` travels on the bus to every node. A send ends its author's typing
 * state; asking the tracker costs a Redis script with several nodes, yet almost no send
 * follows a typing state. This says when the tracker need not be asked.
 *
 * Never "no" when a state may exist, but in one race: a user typing in one tab whose
 * other tab, on another node, sends before the start has crossed the bus (a millisecond).
 * The state then ends by expiry; clients drop a typist at their message anyway. A node
 * that may have missed bus messages answers "maybe" for one typing timeout: after its
 * subscription was cut, and after it started when the tracker is shared with other nodes
 * (states started before it; each ends within a timeout unless refreshed, and a refresh
 * is heard).
 */
export class TypingHints {
  /** `cid\nuserId` → when the state expires at the latest. */
  private readonly until = new Map<string, number>();
  private unsureUntil: number;
  private pruneAt = 1_024;
  private readonly now: () => number;

  constructor(
    private readonly timeoutMs: number,
    options: { shared: boolean; now?: () => number },
  ) {
    this.now = options.now ?? Date.now;
    this.unsureUntil = options.shared ? this.now() + timeoutMs + SLACK_MS : 0;
  }

  /** Notes a typing event from the bus (this node's own included). */
  observe(message: BusMessage): void {
    if (message.kind !== 'channel') return;
    const { event } = message;
    if (event.type === 'typing.start') {
      this.until.set(`${event.cid}\n${event.user_id}`, this.now() + this.timeoutMs + SLACK_MS);
      if (this.until.size >= this.pruneAt) this.prune();
    } else if (event.type === 'typing.stop') {
      this.until.delete(`${event.cid}\n${event.user_id}`);
    }
  }

  /** Bus messages may have been lost: every answer is "maybe" for one timeout. */
  missed(): void {
    this.unsureUntil = this.now() + this.timeoutMs + SLACK_MS;
  }

  /** False when the user cannot be typing in the channel. */
  mayBeTyping(cid: string, userId: string): boolean {
    const now = this.now();
    if (now < this.unsureUntil) return true;
    const key = `${cid}\n${userId}`;
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(key);
    return false;
  }

  /** How many states are remembered (expired ones until the next prune). */
  get size(): number {
    return this.until.size;
  }

  /** Drops expired states; the next prune waits until the map has doubled again. */
  private prune(): void {
    const now = this.now();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    this.pruneAt = Math.max(1_024, this.until.size * 2);
  }
}
