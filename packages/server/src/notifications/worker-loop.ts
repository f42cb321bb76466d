/**
 * Runs `step` again and again: at once while it finds work (returns > 0), else after
 * `idleMs`. Errors are reported and followed by an idle wait. `stop()` ends the loop after
 * the step in progress and resolves then.
 */
export class WorkerLoop {
  private stopped = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly step: () => Promise<number>,
    private readonly idleMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.done = this.run();
  }

  /** Runs the next step now rather than after the idle wait. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let found = 0;
      try {
        found = await this.step();
      } catch (err) {
        this.onError(err);
      }
      if (found > 0 || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.idleMs);
        // An idle wait never keeps the process alive: the server's sockets do, while it serves.
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
