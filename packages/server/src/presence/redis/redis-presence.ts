import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { PresenceChangedHandler, PresenceTracker } from '../presence-tracker.js';
import { CONNECT, DISCONNECT, REFRESH, SWEEP } from './presence-scripts.js';

/** What Redis presence needs. */
export interface RedisPresenceOptions {
  /** A command connection (not the subscriber). */
  redis: Redis;
  /** Prefix of every key. Default `parley:`. */
  keyPrefix?: string;
  /**
   * How often this node refreshes its connections. One not refreshed for two intervals
   * (its node died) stops counting. Default 25,000 ms, the server's heartbeat.
   */
  heartbeatMs?: number;
  logger: FastifyBaseLogger;
}

/** Presence shared by every node through Redis. */
export function createRedisPresence(options: RedisPresenceOptions): PresenceTracker {
  return new RedisPresence(options);
}

/** Most connections refreshed by one script call. */
const REFRESH_CHUNK = 500;

/**
 * Each user has a sorted set of their connections, scored by the time each stops
 * counting; a node pushes that time forward for its own connections every heartbeat.
 * A second sorted set holds every connection by the same time, so that any node can find
 * the expired ones: every half interval each node sweeps it, and the one whose script
 * removes a user's last live connection announces that user offline.
 *
 * Times are the nodes' clocks (keep them in sync, e.g. with NTP); the scripts run
 * atomically, so two nodes never both announce one change.
 */
export class RedisPresence implements PresenceTracker {
  private readonly userPrefix: string;
  private readonly expiryKey: string;
  private readonly ttlMs: number;
  /** This node's connections: id → user. */
  private readonly local = new Map<string, string>();
  /** This node's connections per user: a user counted here is online without asking Redis. */
  private readonly localUsers = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private changed: PresenceChangedHandler = () => {};

  constructor(private readonly options: RedisPresenceOptions) {
    const prefix = options.keyPrefix ?? 'parley:';
    this.userPrefix = `${prefix}presence:`;
    this.expiryKey = `${prefix}presence-expiry`;
    const heartbeat = options.heartbeatMs ?? 25_000;
    this.ttlMs = heartbeat * 2;
    this.every(heartbeat, () => this.refresh());
    this.every(Math.max(10, Math.floor(heartbeat / 2)), () => this.sweep());
  }

  async connect(userId: string, connectionId: string): Promise<boolean> {
    if (!this.local.has(connectionId)) {
      this.local.set(connectionId, userId);
      this.localUsers.set(userId, (this.localUsers.get(userId) ?? 0) + 1);
    }
    const now = Date.now();
    return this.attempt('connect', false, async () => {
      const cameOnline = await CONNECT.run(
        this.options.redis,
        [this.userPrefix + userId, this.expiryKey],
        [now, now + this.ttlMs, connectionId, userId, this.ttlMs * 2],
      );
      return cameOnline === 1;
    });
  }

  async disconnect(userId: string, connectionId: string): Promise<boolean> {
    const owner = this.local.get(connectionId);
    if (owner === undefined) return false;
    this.local.delete(connectionId);
    const left = (this.localUsers.get(owner) ?? 1) - 1;
    if (left === 0) this.localUsers.delete(owner);
    else this.localUsers.set(owner, left);
    return this.attempt('disconnect', false, async () => {
      const wentOffline = await DISCONNECT.run(
        this.options.redis,
        [this.userPrefix + userId, this.expiryKey],
        [Date.now(), connectionId, userId],
      );
      return wentOffline === 1;
    });
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const now = Date.now();
    // A user connected to this node is online; Redis is asked only about the others (a
    // send's author is connected here: a send batch makes no round trip for its authors).
    const here = new Set<string>();
    const elsewhere: string[] = [];
    for (const id of userIds) {
      if (this.localUsers.has(id)) here.add(id);
      else elsewhere.push(id);
    }
    if (elsewhere.length === 0) return here;
    // Without Redis, this node's own connections are all it knows.
    return this.attempt('online', here, async () => {
      const pipeline = this.options.redis.pipeline();
      for (const id of elsewhere) pipeline.zcount(this.userPrefix + id, now, '+inf');
      const counts = (await pipeline.exec()) ?? [];
      const online = new Set(here);
      counts.forEach(([err, count], i) => {
        if (err !== null) throw err;
        if (Number(count) > 0) online.add(elsewhere[i]!);
      });
      return online;
    });
  }

  onChanged(handler: PresenceChangedHandler): void {
    this.changed = handler;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.local.clear();
    this.localUsers.clear();
  }

  /** Pushes this node's connections' expiry forward; announces users who were swept meanwhile. */
  private async refresh(): Promise<void> {
    const pairs = [...this.local].map(([connectionId, userId]) => [userId, connectionId]);
    const now = Date.now();
    for (let i = 0; i < pairs.length; i += REFRESH_CHUNK) {
      const back = (await REFRESH.run(
        this.options.redis,
        [this.expiryKey],
        [
          now,
          now + this.ttlMs,
          this.userPrefix,
          this.ttlMs * 2,
          ...pairs.slice(i, i + REFRESH_CHUNK).flat(),
        ],
      )) as string[];
      // Swept while this node could not refresh (a Redis outage): online again.
      for (const userId of new Set(back)) this.changed(userId);
    }
  }

  private async sweep(): Promise<void> {
    const offline = (await SWEEP.run(
      this.options.redis,
      [this.expiryKey],
      [Date.now(), 1_000, this.userPrefix],
    )) as string[];
    for (const userId of new Set(offline)) this.changed(userId);
  }

  private every(ms: number, work: () => Promise<void>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.options.redis.status !== 'ready') return;
      running = true;
      work()
        .catch((err: unknown) => this.options.logger.warn({ err }, 'presence upkeep failed'))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async attempt<T>(what: string, fallback: T, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.options.logger.warn(
        { err, what },
        'presence in Redis unavailable; using this node’s view',
      );
      return fallback;
    }
  }
}
