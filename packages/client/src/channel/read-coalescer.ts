/**
 * Turns a burst of `markRead()` calls into one `channel.read`: the first call schedules
 * the send after `delayMs`; calls until then join it.
 */
export class ReadCoalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly flush: () => void,
  ) {}

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  request(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
  }

  /** Drops a scheduled send. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
