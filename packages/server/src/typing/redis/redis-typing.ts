import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { TypingExpiredHandler, TypingTracker } from '../typing-tracker.js';
import { START, STOP, SWEEP } from './typing-scripts.js';

/** What Redis typing needs. */
export interface RedisTypingOptions {
  /** A command connection (not the subscriber). */
  redis: Redis;
  /** Prefix of every key. Default `parley:`. */
  keyPrefix?: string;
  /** A state without stop ends after this. Default 7,000 ms. */
  timeoutMs?: number;
  logger: FastifyBaseLogger;
}

/** Typing states shared by every node through Redis. */
export function createRedisTyping(options: RedisTypingOptions): TypingTracker {
  return new RedisTyping(options);
}

/**
 * States live in a hash per channel; a sorted set of all states by deadline lets every
 * node sweep expired ones (a quarter of the timeout apart, at most a second), and the
 * node whose script ends a state reports it. A state started on a node that dies ends
 * by that expiry. Without Redis, typing is not shown: calls answer "nobody typing".
 */
export class RedisTyping implements TypingTracker {
  private readonly channelPrefix: string;
  private readonly expiryKey: string;
  private readonly timeoutMs: number;
  /** States started by this node's connections: connection → "<cid>\n<user>". */
  private readonly byConnection = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;
  private expired: TypingExpiredHandler = () => {};

  constructor(private readonly options: RedisTypingOptions) {
    const prefix = options.keyPrefix ?? 'parley:';
    this.channelPrefix = `${prefix}typing:`;
    this.expiryKey = `${prefix}typing-expiry`;
    this.timeoutMs = options.timeoutMs ?? 7_000;
    let sweeping = false;
    this.timer = setInterval(
      () => {
        if (sweeping || options.redis.status !== 'ready') return;
        sweeping = true;
        this.sweep()
          .catch((err: unknown) => options.logger.warn({ err }, 'typing sweep failed'))
          .finally(() => (sweeping = false));
      },
      Math.max(10, Math.min(1_000, Math.floor(this.timeoutMs / 4))),
    );
    this.timer.unref();
  }

  onExpired(handler: TypingExpiredHandler): void {
    this.expired = handler;
  }

  async start(cid: string, userId: string, connectionId: string): Promise<boolean> {
    const member = `${cid}\n${userId}`;
    let states = this.byConnection.get(connectionId);
    if (states === undefined) this.byConnection.set(connectionId, (states = new Set()));
    states.add(member);
    const now = Date.now();
    return this.attempt(false, async () => {
      const started = await START.run(
        this.options.redis,
        [this.channelPrefix + cid, this.expiryKey],
        [now, now + this.timeoutMs, userId, connectionId, member, this.timeoutMs * 2],
      );
      return started === 1;
    });
  }

  stop(cid: string, userId: string): Promise<boolean> {
    return this.end(cid, userId, '');
  }

  async typing(cid: string): Promise<string[]> {
    return this.attempt([], async () => {
      const states = await this.options.redis.hgetall(this.channelPrefix + cid);
      const now = Date.now();
      return Object.entries(states)
        .filter(([, state]) => Number(state.slice(0, state.indexOf(':'))) >= now)
        .map(([userId]) => userId);
    });
  }

  async dropConnection(connectionId: string): Promise<void> {
    const states = this.byConnection.get(connectionId);
    this.byConnection.delete(connectionId);
    for (const member of states ?? []) {
      const cut = member.indexOf('\n');
      const cid = member.slice(0, cut);
      const userId = member.slice(cut + 1);
      if (await this.end(cid, userId, connectionId)) this.expired(cid, userId);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.byConnection.clear();
  }

  /** Ends a state (only the one `connectionId` started, unless it is ""). */
  private end(cid: string, userId: string, connectionId: string): Promise<boolean> {
    return this.attempt(false, async () => {
      const ended = await STOP.run(
        this.options.redis,
        [this.channelPrefix + cid, this.expiryKey],
        [userId, `${cid}\n${userId}`, connectionId],
      );
      return ended === 1;
    });
  }

  private async sweep(): Promise<void> {
    const ended = (await SWEEP.run(
      this.options.redis,
      [this.expiryKey],
      [Date.now(), 1_000, this.channelPrefix],
    )) as string[];
    for (let i = 0; i + 1 < ended.length; i += 2) this.expired(ended[i]!, ended[i + 1]!);
  }

  private async attempt<T>(fallback: T, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.options.logger.warn({ err }, 'typing in Redis unavailable');
      return fallback;
    }
  }
}
