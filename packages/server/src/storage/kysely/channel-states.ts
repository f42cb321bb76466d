import { leavesFirstResponse, type ChannelState } from './send-batch-reads.js';

/*
 * What send batches last knew of each channel: its members and what access checks see,
 * at a version — its last_seq. Every change to those (members added or removed, a freeze,
 * the first-response statistics) takes a seq of the channel, and a batch written in one
 * statement writes only where the channel's last_seq (and creation time) is still the one
 * it assumed. So a batch may decide from a state kept here instead of reading it: should
 * the channel have moved on, nothing of it is written and its messages are decided again
 * from a fresh read. Never a wrong decision, at worst a wasted statement.
 *
 * Kept up to date by the batches' own reads and writes, and by the events of the channel
 * that this node sees (its own and, with several nodes, the others'), which move a state
 * forward when they change nothing of it.
 */

/** A channel's state as of `state.lastSeq`, with its members. */
export interface KnownChannel {
  state: ChannelState;
  members: Set<string>;
  /** When it was read: a state is kept a while only, however right it stays. */
  readAt: number;
}

/** Events that change nothing a batch decides from (members, roles, freeze, distinct). */
const NEUTRAL_EVENTS = new Set([
  'message.new',
  'message.updated',
  'message.deleted',
  'reaction.new',
  'reaction.deleted',
  'message.read',
]);

export interface ChannelStatesOptions {
  /**
   * How long a state read is used; default 10 min. A stale one costs a wasted statement,
   * never a wrong decision; with 30 s, a quiet conversation read its channel again at most
   * sends.
   */
  ttlMs?: number;
  /** Most channels kept; past it the oldest go. Default 10,000. */
  maxChannels?: number;
}

/** Known channel states by cid (see the comment above). */
export class ChannelStates {
  private readonly known = new Map<string, KnownChannel>();
  private readonly ttlMs: number;
  private readonly maxChannels: number;

  constructor(options: ChannelStatesOptions = {}) {
    this.ttlMs = options.ttlMs ?? 600_000;
    this.maxChannels = options.maxChannels ?? 10_000;
  }

  /** The channel's known state, for one batch to decide from (its own copy). */
  get(cid: string, now = Date.now()): { state: ChannelState; members: Set<string> } | undefined {
    const entry = this.known.get(cid);
    if (entry === undefined) return undefined;
    if (now - entry.readAt >= this.ttlMs) {
      this.known.delete(cid);
      return undefined;
    }
    // Batches move lastSeq on their copy (see send-messages.ts); the members they only read.
    return { state: { ...entry.state }, members: entry.members };
  }

  /** A state just read: kept unless a later version is known. */
  read(cid: string, state: ChannelState, members: Set<string>, now = Date.now()): void {
    const entry = this.known.get(cid);
    if (entry !== undefined && entry.state.lastSeq > state.lastSeq) return;
    this.known.delete(cid);
    if (this.known.size >= this.maxChannels) {
      // The oldest insertion first (a Map keeps that order).
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(cid, { state: { ...state }, members, readAt: now });
  }

  /**
   * A batch written in one statement took the channel from `fromSeq` to `toSeq`: it wrote
   * messages only, which change nothing of the state (such a batch leaves first-response
   * statistics alone).
   */
  wrote(cid: string, fromSeq: number, toSeq: number): void {
    const entry = this.known.get(cid);
    if (entry !== undefined && entry.state.lastSeq === fromSeq) entry.state.lastSeq = toSeq;
  }

  /**
   * An event of the channel, seen on the bus. The next seq of a known state moves it
   * forward when the event changes nothing of it; anything else (a gap, a member change)
   * drops it, to be read again.
   */
  saw(cid: string, seq: number, type: string, authorId: string | null): void {
    const entry = this.known.get(cid);
    if (entry === undefined || seq <= entry.state.lastSeq) return;
    const { state } = entry;
    const neutral =
      seq === state.lastSeq + 1 &&
      NEUTRAL_EVENTS.has(type) &&
      // A message may open the channel's first-response statistics or answer them.
      (type !== 'message.new' || leavesFirstResponse(state, authorId));
    if (neutral) state.lastSeq = seq;
    else this.known.delete(cid);
  }

  forget(cid: string): void {
    this.known.delete(cid);
  }

  clear(): void {
    this.known.clear();
  }
}
