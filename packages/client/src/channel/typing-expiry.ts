import { TYPING } from '@parley/protocol/codes';

/**
 * Who else is typing in one channel. A typing state without a refresh ends after
 * `expireAfterMs`, so a lost `typing.stop` does not leave someone "typing" forever.
 */
export class TypingExpiry {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    /** Called with the user ids typing after every change. */
    private readonly changed: (userIds: string[]) => void,
    private readonly expireAfterMs: number = TYPING.expireAfterMs,
  ) {}

  get userIds(): string[] {
    return [...this.timers.keys()];
  }

  /** `typing.start` from a user: typing until a stop or the expiry. */
  start(userId: string): void {
    const known = this.timers.has(userId);
    clearTimeout(this.timers.get(userId));
    this.timers.set(
      userId,
      setTimeout(() => this.stop(userId), this.expireAfterMs),
    );
    if (!known) this.changed(this.userIds);
  }

  stop(userId: string): void {
    if (!this.timers.has(userId)) return;
    clearTimeout(this.timers.get(userId));
    this.timers.delete(userId);
    this.changed(this.userIds);
  }

  /** Replaces the whole set (from a watch result). */
  reset(userIds: readonly string[]): void {
    this.clear();
    for (const id of userIds) {
      this.timers.set(
        id,
        setTimeout(() => this.stop(id), this.expireAfterMs),
      );
    }
  }

  /** Stops every timer. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
