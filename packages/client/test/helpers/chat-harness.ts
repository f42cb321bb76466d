import WebSocket from 'ws';
import { ChatClient, type ChatClientOptions } from '../../src/index.js';
import { sleep } from './wait.js';

/** Fast, test-sized reconnect timings; no window online/offline events in Node. */
export const TEST_CLIENT_OPTIONS = {
  WebSocket,
  networkEvents: null,
  reconnect: { minDelayMs: 50, maxDelayMs: 300 },
} satisfies Partial<ChatClientOptions>;

/** What a test saw of a client's WebSocket use: sockets opened, frames sent, how each closed. */
export interface SocketRecord {
  created: number;
  closeCodes: number[];
  /** Every frame the client sent, parsed, on any socket. */
  sent: any[];
}

/** A `ws` WebSocket class that records every socket the client opens and its close code. */
export function recordingWebSocket(): {
  WebSocket: NonNullable<ChatClientOptions['WebSocket']>;
  record: SocketRecord;
} {
  const record: SocketRecord = { created: 0, closeCodes: [], sent: [] };
  class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      record.created += 1;
      this.on('close', (code) => record.closeCodes.push(code));
      const send = this.send.bind(this) as (...sendArgs: unknown[]) => void;
      this.send = ((...sendArgs: unknown[]) => {
        record.sent.push(JSON.parse(String(sendArgs[0])));
        send(...sendArgs);
      }) as WebSocket['send'];
    }
  }
  return {
    WebSocket: RecordingWebSocket,
    record,
  };
}

/** Creates clients for one test and disconnects every one of them afterwards. */
export class ClientPool {
  private readonly clients: ChatClient[] = [];

  create(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
    const client = new ChatClient({ ...TEST_CLIENT_OPTIONS, url, ...options });
    this.clients.push(client);
    return client;
  }

  async disconnectAll(): Promise<void> {
    const clients = this.clients.splice(0);
    await Promise.all(clients.map((c) => withTimeout(c.disconnect(), 5_000, 'disconnect()')));
  }
}

/** Records `connection.changed` transitions as `previous→state`. */
export function recordTransitions(client: ChatClient): string[] {
  const transitions: string[] = [];
  client.on('connection.changed', (e: any) => transitions.push(`${e.previous}→${e.state}`));
  return transitions;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How often each id occurs, for "never shown twice" checks. */
export function countIds(messages: readonly { id: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
  return counts;
}

/** Ids that occur more than once. */
export function duplicateIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const id of ids) (seen.has(id) ? dups : seen).add(id);
  return [...dups];
}

/** Asserts nothing: gives a refused connection or a late timer the chance to show itself. */
export const settle = (ms = 300): Promise<void> => sleep(ms);
