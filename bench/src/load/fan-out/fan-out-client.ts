import type { BenchUser } from '../../lib/setup.js';

/** The systems the fan-out scenario compares. */
export type FanOutSystem = 'parley' | 'ws' | 'socket.io';

/**
 * What every fan-out message carries: its send time on the monotonic clock (the same in
 * every worker thread) and the rate step it belongs to.
 */
export interface FanOutStamp {
  t: number;
  s: number;
}

/** Where the broadcast server is, and the channel (Parley) everyone is in. */
export interface FanOutTarget {
  url: string;
  cid: string;
}

/** One connection to a broadcast system: a member that receives, or the one that sends. */
export interface FanOutClient {
  /** Broadcasts message number `n` carrying `stamp`; resolves once the system took it. */
  send(stamp: FanOutStamp, n: number): Promise<void>;
  /** Set by the worker: called with the stamp of every broadcast this member receives. */
  onReceive: (stamp: FanOutStamp) => void;
  /** False once the connection is gone (Parley closes a slow consumer, for one). */
  isOpen(): boolean;
  close(): Promise<void>;
}

/** Connects one user; a receiver is listening (Parley: watching) once it resolves. */
export type ConnectFanOut = (
  target: FanOutTarget,
  user: BenchUser,
  role: 'sender' | 'receiver',
) => Promise<FanOutClient>;

/**
 * The frame the baselines relay: shaped like Parley's `message.new` so every system moves
 * and parses frames of about the same size.
 */
export function baselineFrame(target: FanOutTarget, stamp: FanOutStamp, n: number): object {
  const created_at = new Date().toISOString();
  return {
    type: 'message.new',
    cid: target.cid,
    seq: n,
    created_at,
    message: {
      id: `fan-out-${n}`,
      cid: target.cid,
      seq: n,
      type: 'regular',
      text: 'fan-out',
      user: { id: 'fan-out-sender', name: 'fan-out-sender', image: null, data: {} },
      data: stamp,
      created_at,
      updated_at: created_at,
    },
  };
}

/** The stamp inside a received `message.new` frame (Parley's or a baseline's), if any. */
export function stampOf(frame: Record<string, unknown>): FanOutStamp | undefined {
  if (frame['type'] !== 'message.new') return undefined;
  const data = (frame['message'] as { data?: Partial<FanOutStamp> } | undefined)?.data;
  return typeof data?.t === 'number' && typeof data.s === 'number'
    ? { t: data.t, s: data.s }
    : undefined;
}
