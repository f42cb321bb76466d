/** Stores a batch; answers one settled result per item, in order. */
export type CommitBatch<T, R> = (items: T[]) => Promise<PromiseSettledResult<R>[]>;

/**
 * Group commit: items submitted while a batch is being committed, or in the same turn of
 * the event loop, are committed together in the next batch, so many writers share one
 * transaction (and one fsync). Nothing waits on a timer: an idle queue commits a lone
 * item at the end of the current turn, and a busy one commits the next batch as soon as
 * the last is done, so a batch grows with the load and latency does not.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private running = false;
  private scheduled = false;

  /**
   * @param commit stores a batch; a rejection fails every item of it.
   * @param maxBatch most items per batch; the rest wait for the next.
   */
  constructor(
    private readonly commit: CommitBatch<T, R>,
    private readonly maxBatch: number,
  ) {}

  /** Resolves (or rejects) with the item's result once its batch is committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: the frames that arrived with
    // this one join its batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    const batch =
      this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatch);
    try {
      const results = await this.commit(batch.map((p) => p.item));
      batch.forEach((pending, i) => {
        const result = results[i];
        if (result?.status === 'fulfilled') pending.resolve(result.value);
        else pending.reject(result?.reason ?? new Error('the batch answered no result for it'));
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (reason: unknown) => void;
}
