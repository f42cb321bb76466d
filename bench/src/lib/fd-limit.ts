import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** RLIMIT_NOFILE of a process: how many files (and sockets) it may have open. */
export interface OpenFileLimit {
  soft: number;
  hard: number;
}

/** Reads `Max open files` from /proc/<pid>/limits; null where /proc is missing. */
export function openFileLimit(pid: number | 'self' = 'self'): OpenFileLimit | null {
  try {
    const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(
      readFileSync(`/proc/${pid}/limits`, 'utf8'),
    );
    if (line === null) return null;
    const value = (text: string | undefined) =>
      text === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(text);
    return { soft: value(line[1]), hard: value(line[2]) };
  } catch {
    return null;
  }
}

/**
 * Wraps a command so it starts with `ulimit -n openFiles` (soft and hard). Raising the hard
 * limit needs privilege: where the shell refuses, the command runs with the limit it had,
 * and Node raises its own soft limit to the hard one at startup anyway.
 */
export function withOpenFileLimit(
  command: string,
  args: readonly string[],
  openFiles: number,
): { command: string; args: string[] } {
  return {
    command: 'sh',
    args: [
      '-c',
      'ulimit -n "$1" 2>/dev/null; shift; exec "$@"',
      'sh',
      String(openFiles),
      command,
      ...args,
    ],
  };
}

const RAISED = 'PARLEY_BENCH_OPEN_FILES_RAISED';

/**
 * The bench holds one socket per client connection, so it wants as many open files as the
 * server. When its limit is below `openFiles` and the shell may raise it (root with
 * CAP_SYS_RESOURCE), runs this same command again under `ulimit -n openFiles` and resolves
 * with its exit code; otherwise (or in the re-run) resolves null and the caller goes on.
 */
export async function rerunWithOpenFileLimit(openFiles: number): Promise<number | null> {
  const limit = openFileLimit();
  if (limit === null || limit.soft >= openFiles || process.env[RAISED] !== undefined) return null;
  const allowed = spawnSync('sh', ['-c', `ulimit -n ${openFiles}`]).status === 0;
  if (!allowed) return null;
  const { command, args } = withOpenFileLimit(process.execPath, process.argv.slice(1), openFiles);
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, [RAISED]: '1' },
  });
  // Ctrl-C reaches the child from the terminal itself (a second SIGINT would make it skip
  // its cleanup); a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}
