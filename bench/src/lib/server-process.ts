import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startChildServer, type ChildServer } from './child-server.js';

/** How to start a Parley server process for a scenario. */
export interface ServerProcessOptions {
  /** Folder for the SQLite file (and nothing else: the secret is passed in). Required. */
  dataDir: string;
  /** `postgres://…` for PostgreSQL; unset for SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** The app secret; default a random one. Pass the same to restart on the same data. */
  secret?: string;
  /** Extra CLI flags, e.g. `['--heartbeat-ms', '5000']`. */
  extraArgs?: string[];
  /** Give up when the server has not printed its URL by then. Default 30,000 ms. */
  startTimeoutMs?: number;
  /** Start under `ulimit -n openFiles` (where allowed), for many connections. */
  openFiles?: number;
}

/** A Parley server running as a child process of the bench, on 127.0.0.1. */
export interface ServerProcess extends ChildServer {
  wsUrl: string;
  secret: string;
}

const CLI = fileURLToPath(new URL('cli.js', import.meta.resolve('@parley/server')));

/** Starts `node packages/server/dist/cli.js` on a free port with rate limits off. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const args = [
    CLI,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data-dir',
    options.dataDir,
    '--secret',
    secret,
    '--log-level',
    'silent',
    // A load test sends far more than a person would; limits would measure themselves.
    '--messages-per-window',
    '0',
    '--requests-per-window',
    '0',
    ...(options.databaseUrl === undefined ? [] : ['--database-url', options.databaseUrl]),
    ...(options.extraArgs ?? []),
  ];
  const child = await startChildServer({
    name: 'Parley server',
    args,
    readyPattern: /Parley is running at (http:\/\/\S+)/,
    startTimeoutMs: options.startTimeoutMs,
    openFiles: options.openFiles,
  });
  return { ...child, wsUrl: `${child.url.replace(/^http/, 'ws')}/connect`, secret };
}
