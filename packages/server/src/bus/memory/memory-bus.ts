import type { Bus, BusHandler, BusMessage } from '../bus.js';

/** The in-process bus (no options: it has nothing to configure). */
export function createMemoryBus(): Bus {
  return new MemoryBus();
}

/** The default bus: one node, delivery in the same process, in publish order. */
export class MemoryBus implements Bus {
  private readonly handlers = new Set<BusHandler>();

  async publish(message: BusMessage): Promise<void> {
    for (const handler of this.handlers) handler(message);
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onMissed(): void {
    // One process: nothing travels, so nothing can be lost on the way.
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
