import WebSocket from 'ws';
import { ChatClient, type ChatClientOptions } from '../../../packages/client/src/index.js';
import { signToken } from '../../../packages/client/test/helpers/tokens.js';
import {
  createTestStorageConfig,
  STORAGE_KINDS,
} from '../../../packages/server/test/helpers/storages.js';
import {
  dropRedisKeys,
  REDIS_AVAILABLE,
  REDIS_URL,
  uniqueRedisPrefix,
} from '../../../packages/server/test/helpers/redis.js';
import { NGINX_AVAILABLE, NginxProcess } from './nginx-process.js';
import { ParleyNode, type ParleyNodeOptions } from './parley-node.js';

/** The multi-node tests need PostgreSQL, Redis and nginx; each helper says loudly what is missing. */
export const CLUSTER_AVAILABLE =
  NGINX_AVAILABLE && REDIS_AVAILABLE && STORAGE_KINDS.includes('postgres');

const SECRET = 'cluster-test-secret-at-least-32-characters';
const API_KEY = 'pk_cluster_test';

/** A client and the node nginx gave its latest WebSocket to (from `X-Parley-Node`). */
export interface ClusterClient {
  client: ChatClient;
  /** The node of the current (or last) connection. */
  readonly node: string | undefined;
  /** The close codes of every connection so far. */
  readonly closeCodes: number[];
}

/**
 * A deployment as deploy/ describes it: Parley nodes on one PostgreSQL database and one
 * Redis (under a key prefix of its own), behind a real nginx with deploy/nginx's
 * configuration, clients reaching them only through nginx.
 */
export class Cluster {
  private readonly clients: ChatClient[] = [];

  private constructor(
    readonly nodes: ParleyNode[],
    readonly nginx: NginxProcess,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(
    count: number,
    options: { redisUrl?: string; heartbeatMs?: number } = {},
  ): Promise<Cluster> {
    const storage = await createTestStorageConfig('postgres');
    const redisKeyPrefix = uniqueRedisPrefix();
    const redisUrl = options.redisUrl ?? REDIS_URL;
    const nodeOptions: ParleyNodeOptions = {
      databaseUrl: storage.databaseUrl!,
      redisUrl,
      redisKeyPrefix,
      secret: SECRET,
      apiKey: API_KEY,
      heartbeatMs: options.heartbeatMs ?? 500,
    };
    const nodes: ParleyNode[] = [];
    let nginx: NginxProcess | undefined;
    const cleanup = async () => {
      await nginx?.close();
      await Promise.all(nodes.map((n) => n.close()));
      await dropRedisKeys(redisKeyPrefix, redisUrl).catch(() => {});
      await storage.cleanup();
    };
    try {
      // One first, so the others do not all race to run the migrations (they would wait
      // on PostgreSQL's lock; this is only quicker).
      nodes.push(await ParleyNode.start('node-1', nodeOptions));
      const rest = Array.from({ length: count - 1 }, (_, i) => `node-${i + 2}`);
      // Every node that started is kept for the clean-up, also when another did not.
      const started = await Promise.allSettled(
        rest.map((name) => ParleyNode.start(name, nodeOptions)),
      );
      for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      nginx = await NginxProcess.start(nodes.map((n) => n.port));
    } catch (error) {
      await cleanup();
      throw error;
    }
    return new Cluster(nodes, nginx, cleanup);
  }

  /** nginx's address: the only one clients use. */
  get url(): string {
    return this.nginx.url;
  }

  node(name: string): ParleyNode {
    const node = this.nodes.find((n) => n.name === name);
    if (node === undefined) throw new Error(`no node ${name}`);
    return node;
  }

  tokenFor(userId: string): string {
    return signToken(SECRET, { user_id: userId });
  }

  /** A REST call through nginx, as the app backend (default) or with `token`. */
  async api<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? signToken(SECRET, { server: true })}`,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  async createUsers(...ids: string[]): Promise<void> {
    const res = await this.api('POST', '/users', {
      body: { users: ids.map((id) => ({ id, name: id })) },
    });
    if (res.status !== 200) throw new Error(`createUsers: ${res.status}`);
  }

  async createChannel(type: string, id: string, members: string[]): Promise<string> {
    const res = await this.api('POST', `/channels/${type}/${id}`, { body: { members } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`createChannel: ${res.status}`);
    return `${type}:${id}`;
  }

  /** A ChatClient connected as `userId` through nginx; it knows which node took it. */
  async connect(userId: string, options: Partial<ChatClientOptions> = {}): Promise<ClusterClient> {
    const seen: { node: string | undefined; closeCodes: number[] } = {
      node: undefined,
      closeCodes: [],
    };
    class NodeRecordingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.on('upgrade', (res) => (seen.node = String(res.headers['x-parley-node'])));
        this.on('close', (code) => seen.closeCodes.push(code));
      }
    }
    const client = new ChatClient({
      url: this.url,
      apiKey: API_KEY,
      WebSocket: NodeRecordingWebSocket,
      networkEvents: null,
      reconnect: { minDelayMs: 50, maxDelayMs: 500 },
      ...options,
    });
    this.clients.push(client);
    await client.connectUser({ id: userId }, this.tokenFor(userId));
    return {
      client,
      get node() {
        return seen.node;
      },
      closeCodes: seen.closeCodes,
    };
  }

  /**
   * A bare WebSocket of `userId` through nginx that lands on node `name`: sockets that
   * land elsewhere are held until one does (least_conn then prefers the target), then closed.
   */
  async socketOn(name: string, userId: string): Promise<WebSocket> {
    const misplaced: WebSocket[] = [];
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        const url = `${this.url.replace(/^http/, 'ws')}/connect?token=${this.tokenFor(userId)}`;
        const socket = new WebSocket(url);
        const node = await new Promise<string>((resolve, reject) => {
          socket.once('upgrade', (res) => resolve(String(res.headers['x-parley-node'])));
          socket.once('error', reject);
        });
        await new Promise((resolve) => socket.once('message', resolve)); // connection.ok
        if (node === name) return socket;
        misplaced.push(socket);
      }
      throw new Error(`no connection landed on ${name}`);
    } finally {
      for (const socket of misplaced) socket.close();
    }
  }

  /** Disconnects the clients, stops nginx and every node, drops the database and keys. */
  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.disconnect().catch(() => {})));
    await this.cleanup();
  }
}
