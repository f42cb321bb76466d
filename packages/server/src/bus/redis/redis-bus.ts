import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ServerEvent } from '@parley/protocol';
import type { Bus, BusHandler, BusMessage } from '../bus.js';
import { eventText, knownEventText } from '../event-text.js';

/** What the Redis bus needs. */
export interface RedisBusOptions {
  /** Sends publishes; should queue them while Redis is away (see RedisClients). */
  publisher: Redis;
  /** A connection of its own, in subscribe mode; created with `autoResubscribe: false`. */
  subscriber: Redis;
  /** Prefix of the pub/sub channel's name. Default `parley:`. */
  keyPrefix?: string;
  logger: FastifyBaseLogger;
}

/**
 * What travels on the channel, three parts a line each: the sending bus's id (a node drops
 * its own messages, delivered locally already, without parsing them), the message but its
 * event as JSON, and the event's JSON as the publishing node serialized it for its own
 * sockets (empty for a message without an event). JSON text holds no raw line break.
 */
function encode(uid: string, message: BusMessage): string {
  if (message.kind === 'invalidate') return `${uid}\n${JSON.stringify(message)}\n`;
  const { event, ...rest } = message;
  return `${uid}\n${JSON.stringify(rest)}\n${eventText(event)}`;
}

/** The message of `raw` (see encode); the event's text is kept for the sockets. */
function decode(raw: string, headerAt: number): BusMessage {
  // A node of a version before this format, during a rolling upgrade: `{ o, m }`.
  if (raw.startsWith('{')) return (JSON.parse(raw) as { m: BusMessage }).m;
  const eventAt = raw.indexOf('\n', headerAt) + 1;
  if (eventAt === 0) throw new Error('no event line');
  const message = JSON.parse(raw.slice(headerAt, eventAt - 1)) as BusMessage;
  if (eventAt === raw.length) return message;
  const text = raw.slice(eventAt);
  const event = JSON.parse(text) as ServerEvent;
  knownEventText(event, text);
  return { ...message, event } as BusMessage;
}

/** The bus over Redis pub/sub for several nodes. */
export function createRedisBus(options: RedisBusOptions): RedisBus {
  return new RedisBus(options);
}

/**
 * Fan-out between nodes over one Redis pub/sub channel. Every node needs every message
 * (notifications go to members connected anywhere, not only to watchers), so one channel
 * carries all; per-channel subscriptions would save little and cost a SUBSCRIBE per watch.
 *
 * A publish is delivered to this node's handlers at once, and sent to Redis without
 * waiting (a send's acknowledgement does not wait for the other nodes). Pub/sub keeps
 * no history: a message sent while a node's subscription is down is lost to that node,
 * so when the subscription comes back the bus says so (`onMissed`) and the node's
 * clients recover by seq.
 */
export class RedisBus implements Bus {
  /** Unique per bus, not the configurable node id: two nodes given one name still hear each other. */
  private readonly uid = randomUUID();
  private readonly channel: string;
  private readonly handlers = new Set<BusHandler>();
  private readonly missedHandlers: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private subscribedOnce = false;
  private lost = false;
  private closed = false;
  private readonly onReady = () => void this.resubscribe();
  private readonly onClose = () => {
    if (this.subscribedOnce) this.lost = true;
  };
  private readonly onMessage = (channel: string, raw: string) => this.receive(channel, raw);

  constructor(private readonly options: RedisBusOptions) {
    this.channel = `${options.keyPrefix ?? 'parley:'}bus`;
    const { subscriber } = options;
    subscriber.on('message', this.onMessage);
    subscriber.on('ready', this.onReady);
    subscriber.on('close', this.onClose);
    if (subscriber.status === 'ready') void this.resubscribe();
  }

  async publish(message: BusMessage): Promise<void> {
    for (const handler of this.handlers) handler(message);
    const sent = this.options.publisher.publish(this.channel, encode(this.uid, message)).then(
      () => {},
      (err: unknown) =>
        // The other nodes' clients miss it; they find the gap at the channel's next event,
        // or recover after their own node's resync.
        this.options.logger.warn(
          { err, cid: 'cid' in message ? message.cid : undefined },
          'bus publish lost',
        ),
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onMissed(handler: () => void): void {
    this.missedHandlers.push(handler);
  }

  /** True once subscribed, and while the subscription holds. */
  get subscribed(): boolean {
    return this.subscribedOnce && !this.lost && this.options.subscriber.status === 'ready';
  }

  /** Stops delivering; waits (5 s at most) for publishes still on their way to Redis. */
  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    const { subscriber } = this.options;
    subscriber.off('message', this.onMessage);
    subscriber.off('ready', this.onReady);
    subscriber.off('close', this.onClose);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.inFlight),
      new Promise((resolve) => (timer = setTimeout(resolve, 5_000))),
    ]);
    clearTimeout(timer);
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.options.subscriber.subscribe(this.channel);
    } catch (err) {
      // The connection dropped again; its next 'ready' tries again.
      this.options.logger.warn({ err }, 'bus subscribe failed');
      return;
    }
    if (this.closed) return;
    const missed = this.lost;
    this.subscribedOnce = true;
    this.lost = false;
    if (missed) {
      this.options.logger.warn('bus subscription restored; clients will recover by seq');
      for (const handler of this.missedHandlers) handler();
    }
  }

  private receive(channel: string, raw: string): void {
    if (channel !== this.channel || this.closed) return;
    const headerAt = raw.indexOf('\n') + 1;
    // Its own, delivered locally when it was published.
    if (headerAt === this.uid.length + 1 && raw.startsWith(this.uid)) return;
    let message: BusMessage;
    try {
      message = decode(raw, headerAt);
    } catch (err) {
      this.options.logger.error({ err }, 'unreadable bus message');
      return;
    }
    for (const handler of this.handlers) handler(message);
  }
}
