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
