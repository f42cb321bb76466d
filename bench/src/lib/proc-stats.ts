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
export function ticksPerSecond(): number {
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

/**
 * Reads another process's CPU and RSS: `process.cpuUsage()` only sees the caller, so a
 * server in a child process is measured through /proc. Null where /proc is missing.
 */
export function readProcStats(pid: number): ProcStats | null {
  let stat: string;
  let status: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; fields are counted after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: field 3 is index 0, so utime (14) and stime (15) are 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: ticks / ticksPerSecond(),
    rssBytes: kib('VmRSS') * 1024,
    peakRssBytes: kib('VmHWM') * 1024,
  };
}
