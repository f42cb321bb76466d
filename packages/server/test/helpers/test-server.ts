import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createParleyServer,
  type ParleyServer,
  type ServerOptions,
  type ServerParts,
} from '../../src/index.js';
import { createTestStorageConfig, type StorageKind } from './storages.js';
import { TestClient } from './test-client.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const TEST_API_KEY = 'pk_test';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  /** A token; defaults to the server token. Pass null to send none. */
  token?: string | null;
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A real Parley server on a free port, on a fresh database of the given kind. */
export class TestServer {
  private constructor(
    readonly kind: StorageKind,
    readonly server: ParleyServer,
    readonly url: string,
    readonly serverToken: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(
    kind: StorageKind,
    options: ServerOptions = {},
    parts: ServerParts = {},
  ): Promise<TestServer> {
    const storage = await createTestStorageConfig(kind);
    const dataDir = storage.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-test-')));
    return TestServer.launch(
      kind,
      { dataDir, databaseUrl: storage.databaseUrl, ...options },
      parts,
      async () => {
        await storage.cleanup();
        await rm(dataDir, { recursive: true, force: true });
      },
    );
  }

  /**
   * Another node of `first`'s deployment: the same PostgreSQL database (which `first`
   * owns and drops), a data folder of its own; pass `redisUrl` and the same prefix.
   */
  static async besides(first: TestServer, options: ServerOptions): Promise<TestServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-node-'));
    return TestServer.launch(
      first.kind,
      { dataDir, databaseUrl: first.server.config.databaseUrl, ...options },
      {},
      () => rm(dataDir, { recursive: true, force: true }),
    );
  }

  /** Starts a server on a free port of 127.0.0.1 with the test key and secret. */
  private static async launch(
    kind: StorageKind,
    options: ServerOptions,
    parts: ServerParts,
    cleanup: () => Promise<void>,
  ): Promise<TestServer> {
    const server = createParleyServer(
      {
        port: 0,
        host: '127.0.0.1',
        apiKey: TEST_API_KEY,
        secret: TEST_SECRET,
        logLevel: process.env.PARLEY_TEST_LOG_LEVEL ?? false,
        ...options,
      },
      parts,
    );
    const { url } = await server.start();
    const serverToken = await server.tokens.createServerToken();
    return new TestServer(kind, server, url, serverToken, cleanup);
  }

  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/connect`;
  }

  tokenFor(userId: string, expiresInSeconds?: number): Promise<string> {
    return this.server.tokens.createUserToken(
      userId,
      expiresInSeconds === undefined ? {} : { expiresInSeconds },
    );
  }

  async api<T = any>(
    method: string,
    path: string,
    options: ApiOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.serverToken : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (e.g. /metrics)
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /**
   * The value `/metrics` gives series `name` (the one whose labels include every one of
   * `labels`, as `state="waiting"`, when given), or NaN when it has none.
   */
  async metric(name: string, ...labels: string[]): Promise<number> {
    const res = await this.api<string>('GET', '/metrics', { token: null });
    for (const [, own = '', value] of res.body.matchAll(
      new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'),
    )) {
      const ownLabels = own.split(',');
      if (labels.every((label) => ownLabels.includes(label))) return Number(value);
    }
    return NaN;
  }

  /** Upserts users `{ id, name: id }` through the server API. */
  async createUsers(...ids: string[]): Promise<void> {
    const res = await this.api('POST', '/users', {
      body: { users: ids.map((id) => ({ id, name: id.charAt(0).toUpperCase() + id.slice(1) })) },
    });
    if (res.status !== 200)
      throw new Error(`createUsers: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Creates a channel `type:id` with members through the server API. */
  async createChannel(
    type: string,
    id: string,
    members: string[],
    createdBy?: string,
  ): Promise<string> {
    const res = await this.api('POST', `/channels/${type}/${id}`, {
      body: { members, ...(createdBy === undefined ? {} : { created_by_id: createdBy }) },
    });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`createChannel: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return `${type}:${id}`;
  }

  /**
   * `POST /uploads` as a browser's FormData sends it: the fields in order, then `file`
   * (unless `fieldsAfterFile`). The token defaults to the server token.
   */
  async upload(
    cid: string | null,
    file: { bytes: Uint8Array; name: string; type?: string } | null,
    options: {
      token?: string | null;
      fields?: Record<string, string>;
      fieldsAfterFile?: boolean;
    } = {},
  ): Promise<ApiResponse> {
    const form = new FormData();
    const fields = { ...(cid === null ? {} : { cid }), ...options.fields };
    const addFields = () => {
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
    };
    if (!options.fieldsAfterFile) addFields();
    if (file !== null) {
      form.append(
        'file',
        new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
        file.name,
      );
    }
    if (options.fieldsAfterFile) addFields();
    const token = options.token === undefined ? this.serverToken : options.token;
    const res = await fetch(`${this.url}/uploads`, {
      method: 'POST',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      body: form,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // the test says what it expected
    }
    return { status: res.status, body, headers: res.headers };
  }

  /** GETs a path the server handed out (a file URL), keeping the bytes. */
  async download(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; bytes: Buffer; body: any }> {
    const res = await fetch(this.url + path, { headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, bytes, body };
  }

  /** Opens a WebSocket as the user and waits for `connection.ok`. */
  async connect(userId: string): Promise<TestClient> {
    const client = await TestClient.open(`${this.wsUrl}?token=${await this.tokenFor(userId)}`);
    await client.waitFor((f) => f.type === 'connection.ok');
    return client;
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.cleanup();
  }
}
