import { freePort } from '../../../../packages/server/test/helpers/free-port.js';
import {
  createTestStorageConfig,
  type StorageKind,
} from '../../../../packages/server/test/helpers/storages.js';
import {
  TEST_API_KEY,
  TEST_SECRET,
  type ApiResponse,
} from '../../../../packages/server/test/helpers/test-server.js';
import {
  createAtasApi,
  type AtasApi,
  type AtasApiOptions,
  type PublicUser,
  type UserRole,
} from '../../src/index.js';

export const SESSION_SECRET = 'atas-test-session-secret-of-32-chars-or-more';

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <session>`. */
  session?: string;
  body?: unknown;
  /** Sent as is. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A port nothing listens on, which no other test's `listen(0)` will take (see freePort). */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** The ATAS API on a free port, on a fresh database of `kind`, talking to Parley at `parleyUrl`. */
export class AtasHarness {
  private constructor(
    readonly api: AtasApi,
    readonly url: string,
    /** Where the API's database is, for commands run against it. */
    readonly storage: { dataDir: string; databaseUrl: string | undefined },
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** `options` replace the test defaults (`mail`, `devMailbox`, limits…). */
  static async start(
    kind: StorageKind,
    parleyUrl: string,
    options: Partial<AtasApiOptions> = {},
  ): Promise<AtasHarness> {
    const storage = await createTestStorageConfig(kind);
    const api = createAtasApi({
      port: 0,
      dataDir: storage.dataDir,
      databaseUrl: storage.databaseUrl,
      sessionSecret: SESSION_SECRET,
      parley: { url: parleyUrl, apiKey: TEST_API_KEY, secret: TEST_SECRET, timeoutMs: 2_000 },
      bodyLimit: 16 * 1024,
      logLevel: process.env['ATAS_TEST_LOG_LEVEL'] ?? false,
      webUrl: 'http://atas.test',
      ...options,
    });
    const { url } = await api.start();
    return new AtasHarness(api, url, storage, () => storage.cleanup());
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.session !== undefined) headers['authorization'] = `Bearer ${options.session}`;
    const body =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    return {
      status: res.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: res.headers,
    };
  }

  /** Creates an account (password `<name>-password`) and logs it in. */
  async user(
    name: string,
    role: UserRole,
    avatarUrl: string | null = null,
  ): Promise<{ user: PublicUser; session: string; email: string; password: string }> {
    const email = `${name.toLowerCase()}@atas.test`;
    const password = `${name}-password`;
    const user = await this.api.ctx.accounts.create({ email, password, name, role, avatarUrl });
    return { user, session: await this.login(email, password), email, password };
  }

  /** Logs an existing account in; answers its session token. */
  async login(email: string, password: string): Promise<string> {
    const res = await this.request('POST', '/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.session;
  }

  /** An event of the organizer, and the invitation of the speaker to it. */
  async invite(
    organizerSession: string,
    speakerEmail: string,
    title = 'Parley Conf',
  ): Promise<any> {
    const event = await this.request('POST', '/api/v1/events', {
      session: organizerSession,
      body: { title, starts_at: '2030-05-01T09:00:00Z' },
    });
    if (event.status !== 201) throw new Error(`event: ${JSON.stringify(event.body)}`);
    const res = await this.request('POST', `/api/v1/events/${event.body.event.id}/invitations`, {
      session: organizerSession,
      body: { speaker_email: speakerEmail },
    });
    if (res.status !== 201) throw new Error(`invite: ${JSON.stringify(res.body)}`);
    return res.body.invitation;
  }

  /** The emails in the file outbox, newest first. */
  async outbox(): Promise<{ to: string; subject: string; text: string }[]> {
    return (await this.api.ctx.mailer.list()) ?? [];
  }

  /** The newest email to `to`, and the token of its `/invite/…` or `/reset-password/…` link. */
  async lastEmailTo(to: string): Promise<{ text: string; subject: string; token: string | null }> {
    const email = (await this.outbox()).find((e) => e.to === to);
    if (email === undefined) throw new Error(`no email to ${to}`);
    const token = /http:\/\/atas\.test\/(?:invite|reset-password)\/([\w-]+)/.exec(email.text)?.[1];
    return { text: email.text, subject: email.subject, token: token ?? null };
  }

  async close(): Promise<void> {
    await this.api.close();
    await this.cleanup();
  }
}

/** Asserts the ATAS error shape `{ error: { code, message, details? } }` with this status and code. */
export function errorOf(res: ApiResponse): { status: number; code: unknown } {
  return { status: res.status, code: res.body?.error?.code };
}
