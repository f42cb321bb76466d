import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time and memory of one process, read from /proc (Linux only). */
export interface ProcStats {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  /** Resident set size now, in bytes (VmRSS). */
  rssBytes: number;
  /** Highest resident set size so far, in bytes (VmHWM). */
  peakRssBytes: number;
}

let clockTicks: number | undefined;

/** Clock ticks per second for /proc/<pid>/stat times; 100 on nearly every Linux. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      clockTicks = 100;
    }
    if (!Number.isFinite(clockTicks) || clockTicks <= 0) clockTicks = 100;
  }
  return clockTicks;
}

/** A process's line of /proc/<pid>/stat, the fields the bench reads. */
export interface ProcStat {
  /** The command name (comm). */
  name: string;
  /** The parent's pid. */
  parent: number;
  /** User + system CPU seconds of the process itself. */
  cpuSeconds: number;
  /** User + system CPU seconds of the children it has waited for (ended ones). */
  reapedSeconds: number;
}

/** Reads /proc/<pid>/stat; null where the process or /proc is missing. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted
  // after its ')', field 3 first.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  const seconds = (ticks: number) => ticks / ticksPerSecond();
  return {
    name: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    parent: field(4),
    cpuSeconds: seconds(field(14) + field(15)),
    reapedSeconds: seconds(field(16) + field(17)),
  };
}

/**
 * Reads another process's CPU and RSS: `process.cpuUsage()` only sees the caller, so a
 * server in a child process is measured through /proc. Null where /proc is missing.
 */
export function readProcStats(pid: number): ProcStats | null {
  const stat = readProcStat(pid);
  if (stat === null) return null;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: stat.cpuSeconds,
    rssBytes: kib('VmRSS') * 1024,
    peakRssBytes: kib('VmHWM') * 1024,
  };
}

/**
 * CPU seconds of this process since `start`: the load generator's worker threads (or what a
 * baseline runs here), on the same cores as the server and the database.
 */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1e4) / 100;
}
