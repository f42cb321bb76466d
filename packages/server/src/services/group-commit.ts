/** Stores a batch; answers one settled result per item, in order. */
export type CommitBatch<T, R> = (items: T[]) => Promise<PromiseSettledResult<R>[]>;

/**
 * Group commit: items submitted while a batch is being committed, or in the same turn of
 * the event loop, are committed together in the next batch, so many writers share one
 * transaction (and one fsync). Nothing waits on a timer: an idle queue commits a lone
 * item at the end of the current turn, and a busy one commits the next batch as soon as
 * the last is done, so a batch grows with the load and latency does not.
 *
 * With `depth` 2, a second batch starts while the first is being committed (so that its
 * reads overlap the first's write, over a network); `commit` must then keep the batches'
 * writes in order itself. Answers always come in batch order: a batch's items are
 * answered once every earlier batch's are.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private running = 0;
  private scheduled = false;
  /** Settles once the last batch started has answered its items. */
  private answered: Promise<void> = Promise.resolve();

  /**
   * @param commit stores a batch; a rejection fails every item of it.
   * @param maxBatch most items per batch; the rest wait for the next.
   * @param depth most batches being committed at once.
   */
  constructor(
    private readonly commit: CommitBatch<T, R>,
    private readonly maxBatch: number,
    private readonly depth = 1,
  ) {}

  /** Resolves (or rejects) with the item's result once its batch is committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.depth || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: the frames that arrived with
    // this one join its batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running++;
    const batch =
      this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatch);
    const earlier = this.answered;
    let done!: () => void;
    this.answered = new Promise((resolve) => (done = resolve));
    try {
      const results = await this.commit(batch.map((p) => p.item));
      await earlier;
      batch.forEach((pending, i) => {
        const result = results[i];
        if (result?.status === 'fulfilled') pending.resolve(result.value);
        else pending.reject(result?.reason ?? new Error('the batch answered no result for it'));
      });
    } catch (error) {
      await earlier;
      for (const pending of batch) pending.reject(error);
    } finally {
      done();
      this.running--;
      this.schedule();
    }
  }
}

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (reason: unknown) => void;
}
