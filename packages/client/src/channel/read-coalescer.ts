import type { RequestFrame } from '../connection/request-tracker.js';
import type { ChannelModel } from './channel-state.js';

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

/**
 * The `channel.read` frame that marks a channel read, or undefined when there is nothing
 * to mark: a watched channel has every message, so it reads up to the last one shown.
 */
export function readFrame(
  model: ChannelModel,
  cid: string | undefined,
  me: string | null,
): RequestFrame | undefined {
  if (cid === undefined || me === null) return undefined;
  const frame: RequestFrame = { type: 'channel.read', cid };
  if (model.watching) {
    const last = model.window.newest;
    const mine = model.read[me];
    if (last === undefined || (mine !== undefined && mine.last_read_seq >= last.seq)) {
      return undefined;
    }
    frame.message_id = last.id;
  }
  return frame;
}
