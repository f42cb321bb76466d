/**
 * The React kit's demo: a real Parley server (embedded, SQLite), two demo users and a
 * channel, and a static page (demo/src/app.tsx bundled with esbuild) served on another port
 * with a `/demo-token?user=…` endpoint that signs user tokens — what an app backend does.
 *
 * `npm run demo` runs demo/src/main.ts (compiled to demo/dist); the browser test calls
 * `startDemo({ port: 0 })`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createParleyServer } from '@parley/server';
import { createParleyServerClient } from '@parley/server-sdk';

/** The demo's users; `/demo-token` signs tokens for these only. */
export const DEMO_USERS = [
  { id: 'ana', name: 'Ana' },
  { id: 'ben', name: 'Ben' },
] as const;

/** The conversation both demo users are members of. */
export const DEMO_CHANNEL = { type: 'messaging', id: 'demo', name: 'Keynote invitation' } as const;

/**
 * A fixed secret: the demo runs on 127.0.0.1 with throwaway data, never in production.
 * Exported for tests that seed the demo through the server SDK.
 */
export const DEMO_SECRET = 'parley-demo-secret-not-for-production-use';
const DEMO_API_KEY = 'pk_demo';

export interface DemoOptions {
  /** Port of the demo page; 0 picks a free one. Default 3040. */
  port?: number;
  /** Port of the Parley server; 0 picks a free one. Default 0. */
  serverPort?: number;
  /** Folder for the SQLite database. Default: a fresh temporary folder, removed on close. */
  dataDir?: string;
  /** The server's pino log level, or false for none. Default false. */
  logLevel?: string | false;
}

export interface Demo {
  /** The page's base URL; open `${url}/?user=ana&theme=atas`. */
  url: string;
  /** The Parley server's base URL. */
  serverUrl: string;
  /** Stops the page server and the Parley server, and removes a temporary data folder. */
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const THEMES = new Set(['light', 'dark', 'atas']);

/** Starts everything on 127.0.0.1 and resolves once the page can be opened. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-demo-')));
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => console.error('demo: cleanup failed', err));
    }
  };
  if (temporary) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

  try {
    const parley = createParleyServer({
      port: options.serverPort ?? 0,
      host: '127.0.0.1',
      dataDir,
      secret: DEMO_SECRET,
      apiKey: DEMO_API_KEY,
      logLevel: options.logLevel ?? false,
    });
    const { url: serverUrl } = await parley.start();
    cleanups.push(() => parley.close());

    const admin = createParleyServerClient({ url: serverUrl, secret: DEMO_SECRET });
    await admin.upsertUsers(DEMO_USERS.map((user) => ({ ...user })));
    await admin.getOrCreateChannel(DEMO_CHANNEL.type, DEMO_CHANNEL.id, {
      members: DEMO_USERS.map((user) => user.id),
      data: { name: DEMO_CHANNEL.name },
    });

    const assets = await bundleApp();
    const config = JSON.stringify({
      serverUrl,
      apiKey: DEMO_API_KEY,
      channel: { type: DEMO_CHANNEL.type, id: DEMO_CHANNEL.id },
      users: DEMO_USERS,
    });

    const page = createServer((request, response) => {
      handle(request, response).catch((err: unknown) => {
        console.error('demo: request failed', err);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method !== 'GET') {
        response.writeHead(405).end();
      } else if (url.pathname === '/') {
        send(response, 'text/html; charset=utf-8', indexHtml(url.searchParams, config));
      } else if (url.pathname === '/app.js') {
        send(response, 'text/javascript; charset=utf-8', assets.js);
      } else if (url.pathname === '/app.css') {
        send(response, 'text/css; charset=utf-8', assets.css);
      } else if (url.pathname === '/demo-token') {
        const user = url.searchParams.get('user');
        if (!DEMO_USERS.some((known) => known.id === user) || user === null) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('unknown demo user');
          return;
        }
        // Short-lived, like a real app's tokens; the client asks again when it expires.
        send(
          response,
          'text/plain; charset=utf-8',
          await parley.tokens.createUserToken(user, { expiresInSeconds: 3600 }),
        );
      } else if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    };
    await new Promise<void>((resolve, reject) => {
      page.once('error', reject);
      page.listen(options.port ?? 3040, '127.0.0.1', () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          page.closeAllConnections();
          page.close(() => resolve());
        }),
    );
    const { port } = page.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, serverUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** demo/src/app.tsx (with @parley/react and its CSS) bundled in memory. */
async function bundleApp(): Promise<{ js: string; css: string }> {
  const result = await build({
    // From src/ (tests) and dist/ (npm run demo) alike.
    entryPoints: [join(here, '..', 'src', 'app.tsx')],
    bundle: true,
    write: false,
    outdir: join(here, '..', 'out'),
    entryNames: 'app',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const file = (ext: string): string =>
    result.outputFiles.find((output) => output.path.endsWith(ext))?.text ?? '';
  return { js: file('.js'), css: file('.css') };
}

function indexHtml(query: URLSearchParams, config: string): string {
  const user = query.get('user') ?? '';
  const theme = THEMES.has(query.get('theme') ?? '') ? query.get('theme') : 'light';
  const name = DEMO_USERS.find((known) => known.id === user)?.name;
  const title = name === undefined ? 'Parley demo' : `Parley demo — ${name}`;
  // `<` is escaped so the JSON cannot close the script element.
  const json = config.replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en" class="demo-theme-${theme}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="stylesheet" href="/app.css" />
  </head>
  <body>
    <div id="root"></div>
    <script id="demo-config" type="application/json">${json}</script>
    <script type="module" src="/app.js"></script>
  </body>
</html>
`;
}

function send(response: ServerResponse, type: string, body: string): void {
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}
