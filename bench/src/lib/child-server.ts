import { spawn, type ChildProcess } from 'node:child_process';
import { deferCleanup } from './cleanup.js';
import { withOpenFileLimit } from './fd-limit.js';
import { readProcStats, type ProcStats } from './proc-stats.js';

/** How to start a server (Parley, a baseline) as a child process of the bench. */
export interface ChildServerOptions {
  /** Used in error messages. */
  name: string;
  /** The script and its arguments, run with this Node. */
  args: string[];
  /** Matches the line the child prints once it listens; group 1 is its base URL. */
  readyPattern: RegExp;
  /** Give up when the child has not printed it by then. Default 30,000 ms. */
  startTimeoutMs?: number;
  /** Start under `ulimit -n openFiles` (where allowed). Default: the bench's own limit. */
  openFiles?: number;
}

/** A server running as a child process, measured through /proc. */
export interface ChildServer {
  url: string;
  pid: number;
  /** CPU and RSS of the process now (null when /proc is not there). */
  stats(): ProcStats | null;
  /** SIGTERM, then SIGKILL after 5 s (60 s when profiling); resolves once it has exited. */
  stop(): Promise<void>;
}

/** Spawns `node …args` and resolves once it prints a line matching `readyPattern`. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const nodeArgs = [...profileArgs(), ...extraNodeArgs(), ...options.args];
  const { command, args } =
    options.openFiles === undefined
      ? { command: process.execPath, args: nodeArgs }
      : withOpenFileLimit(process.execPath, nodeArgs, options.openFiles);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = deferCleanup(() => stopChild(child, exited));
  try {
    const url = await waitForUrl(child, options);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${options.name} has no pid`);
    return { url, pid, stats: () => readProcStats(pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForUrl(child: ChildProcess, options: ChildServerOptions): Promise<string> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => fail(new Error(`${options.name} did not start in ${timeoutMs} ms`)),
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
      const match = options.readyPattern.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        out = '';
        resolve(match[1]);
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`${options.name} exited with code ${code} at start`)),
    );
    child.once('error', fail);
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    // A profiled server writes its profile as it exits: give it the time to.
    timer = setTimeout(() => resolve(true), profileArgs().length > 0 ? 60_000 : 5_000);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * `PARLEY_BENCH_PROFILE_DIR=/tmp/prof npm run bench -- --scenario …` writes a V8 CPU profile
 * of every server the bench starts (Parley and the baselines) into that folder
 * (`node --cpu-prof`; open it in Chrome DevTools or speedscope).
 */
function profileArgs(): string[] {
  const dir = process.env['PARLEY_BENCH_PROFILE_DIR'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/**
 * `PARLEY_BENCH_NODE_ARGS="--max-semi-space-size=32 --trace-gc"` passes Node flags to every
 * server the bench starts (split at spaces), to try a runtime setting on the servers alone.
 */
function extraNodeArgs(): string[] {
  return (process.env['PARLEY_BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
}
