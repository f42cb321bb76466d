import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../server/dist/cli.js', import.meta.url));

/** `parley-server` in a process of its own, so a test can kill it as a crash would. */
export class CliServer {
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  /** Starts the CLI with these arguments (no PARLEY_* from this shell) and waits until it serves. */
  static async start(args: string[]): Promise<CliServer> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first`);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('PARLEY_')),
    );
    const server = new CliServer(spawn(process.execPath, [CLI, ...args], { env }));
    const deadline = Date.now() + 20_000;
    while (!/Parley is running/.test(server.stdout)) {
      if (server.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the server did not start: ${server.stdout}\n${server.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return server;
  }

  /** SIGKILL: no shutdown, no flush; what is committed is all that survives. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
