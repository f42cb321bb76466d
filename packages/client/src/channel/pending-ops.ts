import type { Message } from '@parley/protocol';
import type { LocalMessage } from './message-list.js';
import { applyOp, reflected, type MessageOp } from './message-ops.js';

interface PendingOp {
  op: MessageOp;
  /** The queue item that carries it. */
  itemId: string;
  /** The server's answer, once acknowledged. */
  ack?: Message;
}

interface Entry {
  /** The message as the server has it, as far as this client knows. */
  base: LocalMessage;
  ops: PendingOp[];
}

/**
 * Optimistic changes to messages (edits, deletes, pins, reactions), kept over the server's
 * state until the server's own event shows them. A message with pending changes keeps
 * its server state (`base`) aside: events change the base, and the message is shown as the
 * base with the changes still pending. A refused change leaves, and the message shows the
 * base with the others. So a change is never shown twice, nor lost while an event of
 * someone else's arrives first, and a rollback restores what the server has.
 */
export class PendingOps {
  private readonly entries = new Map<string, Entry>();

  /** Ids of the messages with changes pending. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** True when the message has changes pending. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** How the message `id` looks with its pending changes; undefined when none are pending. */
  current(id: string): LocalMessage | undefined {
    const entry = this.entries.get(id);
    return entry === undefined ? undefined : this.shown(entry);
  }

  /** Adds a change to the message `shown`; returns how it looks now. */
  add(shown: LocalMessage, op: MessageOp, itemId: string): LocalMessage {
    let entry = this.entries.get(shown.id);
    if (entry === undefined) this.entries.set(shown.id, (entry = { base: shown, ops: [] }));
    entry.ops.push({ op, itemId });
    return this.shown(entry);
  }

  /**
   * An event changed the message `id`: its base follows, and the changes it shows done
   * leave. Returns how the message looks now (null: gone), or undefined when nothing is
   * pending for it.
   */
  rebase(
    id: string,
    change: (held: LocalMessage) => LocalMessage | null,
  ): LocalMessage | null | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    const base = change(entry.base);
    if (base === null) {
      this.entries.delete(id);
      return null;
    }
    entry.base = base;
    return this.settled(id, entry);
  }

  /**
   * The server acknowledged the item `itemId` with `message`. Without events to wait for
   * (`live` false: the channel is not watched) the answer is the server's state.
   */
  acked(itemId: string, message: Message, live: boolean): LocalMessage | undefined {
    const entry = this.entries.get(message.id);
    if (entry === undefined) return undefined;
    for (const p of entry.ops) if (p.itemId === itemId) p.ack = message;
    if (!live) {
      entry.base = { ...message, status: entry.base.status };
      entry.ops = entry.ops.filter((p) => p.ack === undefined);
    }
    return this.settled(message.id, entry);
  }

  /** The server refused the item `itemId`: its changes leave. Returns the messages as they look now. */
  refused(itemId: string): LocalMessage[] {
    const changed: LocalMessage[] = [];
    for (const [id, entry] of this.entries) {
      const ops = entry.ops.filter((p) => p.itemId !== itemId);
      if (ops.length === entry.ops.length) continue;
      entry.ops = ops;
      changed.push(this.settled(id, entry));
    }
    return changed;
  }

  /** Forgets every pending change (the session ended); returns the server states. */
  clear(): LocalMessage[] {
    const bases = [...this.entries.values()].map((e) => e.base);
    this.entries.clear();
    return bases;
  }

  /**
   * Drops the changes the base shows done: the last acknowledged change it reflects and
   * every one before it (sent before it through the same ordered queue, their events came
   * first).
   */
  private settled(id: string, entry: Entry): LocalMessage {
    let done = -1;
    entry.ops.forEach((p, i) => {
      if (p.ack !== undefined && reflected(entry.base, p.op, p.ack)) done = i;
    });
    if (done >= 0) entry.ops = entry.ops.slice(done + 1);
    if (entry.ops.length === 0) {
      this.entries.delete(id);
      return entry.base;
    }
    return this.shown(entry);
  }

  private shown(entry: Entry): LocalMessage {
    return entry.ops.reduce((m, p) => applyOp(m, p.op), entry.base);
  }
}
