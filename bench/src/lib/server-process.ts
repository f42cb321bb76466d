import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deferCleanup } from './cleanup.js';
import { readProcStats, type ProcStats } from './proc-stats.js';

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
}

/** A Parley server running as a child process of the bench, on 127.0.0.1. */
export interface ServerProcess {
  url: string;
  wsUrl: string;
  pid: number;
  secret: string;
  /** CPU and RSS of the server process now (null when /proc is not there). */
  stats(): ProcStats | null;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
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
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = deferCleanup(() => stopChild(child, exited));
  try {
    const url = await waitForUrl(child, options.startTimeoutMs ?? 30_000);
    const pid = child.pid;
    if (pid === undefined) throw new Error('server process has no pid');
    return {
      url,
      wsUrl: `${url.replace(/^http/, 'ws')}/connect`,
      pid,
      secret,
      stats: () => readProcStats(pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => fail(new Error(`server did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${err.slice(-2000)}`));
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Parley is running at (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        out = '';
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited with code ${code} at start`)));
    child.once('error', fail);
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), 5_000);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}
