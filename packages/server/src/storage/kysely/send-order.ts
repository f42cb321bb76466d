import type { NewMessage, SendResult } from '../storage.js';

/** A send batch still being written: what it writes, and its results once it is done. */
interface Pending {
  cids: ReadonlySet<string>;
  ids: ReadonlySet<string>;
  results: Promise<readonly SendResult[] | undefined>;
}

/** A batch's place among those being written (SendOrder.enter). */
export interface SendTurn {
  /**
   * The last seq of each channel the earlier batches it follows took, once they are all
   * written (empty when it follows none). Never rejects: a batch before fails alone.
   */
  after: Promise<ReadonlyMap<string, number>>;
  /** Says the batch is written (undefined: it failed). Call exactly once. */
  done(results: readonly SendResult[] | undefined): void;
}

/**
 * The send batches of one storage being written at once (the group commit keeps two in
 * flight on PostgreSQL). A batch follows each earlier one it shares a channel with (its
 * seqs come after that one's) or a message id with (the first stores it, the later one
 * finds it stored): it reads meanwhile, then writes once that one is done. With batches
 * it shares neither with it is written at the same time: they write disjoint channel,
 * message and event rows, so neither can change what the other decided, and the
 * database's row locks order whatever else they both touch (a user's daily statistics).
 */
export class SendOrder {
  private readonly pending = new Set<Pending>();

  /** Registers a batch about to be written, after every batch registered before it. */
  enter(messages: readonly NewMessage[]): SendTurn {
    const cids = new Set(messages.map((m) => m.cid));
    const ids = new Set(messages.map((m) => m.id));
    const shares = (p: Pending) =>
      [...cids].some((cid) => p.cids.has(cid)) || [...ids].some((id) => p.ids.has(id));
    const earlier = [...this.pending].filter(shares).map((p) => p.results);
    let done!: (results: readonly SendResult[] | undefined) => void;
    const pending: Pending = {
      cids,
      ids,
      results: new Promise((resolve) => (done = resolve)),
    };
    this.pending.add(pending);
    return {
      after: lastSeqsOf(earlier),
      done: (results) => {
        this.pending.delete(pending);
        done(results);
      },
    };
  }
}

/** Each channel's last seq among the stored results of `batches`, once all are done. */
async function lastSeqsOf(
  batches: readonly Promise<readonly SendResult[] | undefined>[],
): Promise<ReadonlyMap<string, number>> {
  const lastSeqs = new Map<string, number>();
  for (const results of await Promise.all(batches)) {
    for (const result of results ?? []) {
      if (result.status !== 'stored') continue;
      const { cid, lastSeq } = result.channel;
      if ((lastSeqs.get(cid) ?? 0) < lastSeq) lastSeqs.set(cid, lastSeq);
    }
  }
  return lastSeqs;
}
