/** What stopped the server's event loop over a window, from its `/metrics`. */
export interface ServerPauses {
  /** The longest event-loop delay seen (prom-client's `monitorEventLoopDelay`, 10 ms resolution). */
  loop_delay_max_ms: number | null;
  /** Garbage collections, every kind (they follow allocation, not the machine's load). */
  gcs: number | null;
  /** Time in garbage collection, every kind (wall time: a busy machine stretches it). */
  gc_ms: number | null;
  /** Collections that took more than 10 ms. */
  gcs_over_10ms: number | null;
  /** Commits synced to disk by the server itself (SQLite's WAL fdatasync; none on PostgreSQL). */
  disk_syncs: number | null;
  /** Of those, syncs that took more than 10 ms: every send of that commit, and each queued behind it, waited as long. */
  disk_syncs_over_10ms: number | null;
  /** The longest sync. */
  disk_sync_max_ms: number | null;
}

interface Reading {
  loopDelayMaxS: number;
  gcSumS: number;
  gcCount: number;
  gcUnder10ms: number;
  syncCount: number;
  syncUnder10ms: number;
  syncMaxS: number;
}

/**
 * Reads the server's default prom-client metrics at the start and at the end of each of
 * back-to-back windows (as windowMeter does its CPU): the event loop's delay histogram is
 * reset by every scrape, so the reading at a window's end covers that window alone; GC
 * times are counters, taken as differences.
 */
export function pauseMeter(
  url: string,
  windowsMs: readonly number[],
): { start(): void; stop(): Promise<ServerPauses[]> } {
  const readings: Promise<Reading | null>[] = [];
  const timers: NodeJS.Timeout[] = [];
  const take = () => readings.push(read(url).catch(() => null));
  return {
    start() {
      take();
      let at = 0;
      for (const ms of windowsMs) timers.push(setTimeout(take, (at += ms)));
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      while (readings.length < windowsMs.length + 1) take();
      const all = await Promise.all(readings);
      return windowsMs.map((_, i) => pauses(all[i] ?? null, all[i + 1] ?? null));
    },
  };
}

function pauses(before: Reading | null, after: Reading | null): ServerPauses {
  if (before === null || after === null) {
    return {
      loop_delay_max_ms: null,
      gcs: null,
      gc_ms: null,
      gcs_over_10ms: null,
      disk_syncs: null,
      disk_syncs_over_10ms: null,
      disk_sync_max_ms: null,
    };
  }
  const gcs = after.gcCount - before.gcCount;
  const syncs = after.syncCount - before.syncCount;
  return {
    loop_delay_max_ms: Math.round(after.loopDelayMaxS * 1e4) / 10,
    gcs,
    gc_ms: Math.round((after.gcSumS - before.gcSumS) * 1e4) / 10,
    gcs_over_10ms: gcs - (after.gcUnder10ms - before.gcUnder10ms),
    // PostgreSQL syncs on its own server: no rows rather than zeros.
    disk_syncs: syncs === 0 ? null : syncs,
    disk_syncs_over_10ms: syncs === 0 ? null : syncs - (after.syncUnder10ms - before.syncUnder10ms),
    disk_sync_max_ms: syncs === 0 ? null : Math.round(after.syncMaxS * 1e4) / 10,
  };
}

async function read(url: string): Promise<Reading> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => Number(m[1]));
  const total = (pattern: RegExp) => values(pattern).reduce((sum, value) => sum + value, 0);
  return {
    loopDelayMaxS: total(/^parley_nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/gm),
    gcSumS: total(/^parley_nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm),
    gcCount: total(/^parley_nodejs_gc_duration_seconds_count\{[^}]*\} (\S+)$/gm),
    gcUnder10ms: total(/^parley_nodejs_gc_duration_seconds_bucket\{le="0\.01",[^}]*\} (\S+)$/gm),
    syncCount: total(/^parley_storage_sync_seconds_count(?:\{[^}]*\})? (\S+)$/gm),
    syncUnder10ms: total(/^parley_storage_sync_seconds_bucket\{le="0\.01"[^}]*\} (\S+)$/gm),
    // The longest since the last scrape (the one at this window's start).
    syncMaxS: Math.max(0, ...values(/^parley_storage_sync_max_seconds(?:\{[^}]*\})? (\S+)$/gm)),
  };
}
