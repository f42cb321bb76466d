import { spawn, type ChildProcess } from 'node:child_process';

/** Children still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ChildServiceOptions {
  /** Shown in errors and before each line of output. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Answers 2xx once the service is ready. */
  healthUrl: string;
  /** Default 60 s. */
  startTimeoutMs?: number;
  /** Where the child's output goes, a line at a time; default: kept only for errors. */
  onLine?: (line: string) => void;
}

/**
 * A service run as a child process: started, awaited until its health URL answers, and
 * stopped with SIGTERM (SIGKILL after a grace period). It can be started again.
 */
export class ChildService {
  private child: ChildProcess | undefined;
  private recent = '';

  constructor(private readonly options: ChildServiceOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    if (this.child !== undefined) return;
    const { options } = this;
    this.recent = '';
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    let partial = '';
    const take = (chunk: Buffer) => {
      this.recent = (this.recent + chunk.toString()).slice(-8_000);
      if (options.onLine === undefined) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') options.onLine(line);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', () => {
      running.delete(child);
      if (this.child === child) this.child = undefined;
    });
    child.once('error', () => undefined); // reported through `exit` and the health wait

    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (this.child !== child) {
        throw new Error(`${options.name} exited during start-up:\n${this.recent}`);
      }
      if (await healthy(options.healthUrl)) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${options.name} did not become ready in time:\n${this.recent}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  /** The last few kilobytes the child wrote, for error reports. */
  get output(): string {
    return this.recent;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}
