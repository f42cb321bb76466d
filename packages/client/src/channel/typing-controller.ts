import { TYPING } from '@parley/protocol/codes';

/** What the typing controller sends and how often. */
export interface TypingControllerOptions {
  /** Sends a typing frame for the channel. */
  send(type: 'typing.start' | 'typing.stop'): void;
  /** Least time between two `typing.start`. Default `TYPING.startIntervalMs` (2 s). */
  startIntervalMs?: number;
  /** Quiet time after the last keystroke before `typing.stop`. Default `TYPING.stopAfterMs` (3 s). */
  stopAfterMs?: number;
}

/**
 * The current user's typing state in one channel (docs/protocol.md, Typing): `typing.start`
 * at most every 2 s while keystrokes come, `typing.stop` 3 s after the last one.
 */
export class TypingController {
  private lastStart = -Infinity;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly startIntervalMs: number;
  private readonly stopAfterMs: number;

  constructor(private readonly options: TypingControllerOptions) {
    this.startIntervalMs = options.startIntervalMs ?? TYPING.startIntervalMs;
    this.stopAfterMs = options.stopAfterMs ?? TYPING.stopAfterMs;
  }

  /** True between a `typing.start` and its stop. */
  get typing(): boolean {
    return this.stopTimer !== undefined;
  }

  /** The user pressed a key. */
  keystroke(): void {
    const now = Date.now();
    if (!this.typing || now - this.lastStart >= this.startIntervalMs) {
      this.lastStart = now;
      this.options.send('typing.start');
    }
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.stop(), this.stopAfterMs);
  }

  /** Sends `typing.stop` now, if typing. */
  stop(): void {
    if (!this.typing) return;
    this.reset();
    this.options.send('typing.stop');
  }

  /**
   * A message was sent: the server ends the typing state itself, so only the local timer
   * goes, and the next keystroke starts afresh.
   */
  reset(): void {
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
    this.lastStart = -Infinity;
  }
}
