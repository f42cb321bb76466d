import type { ChildServer } from './lib/child-server.js';

export type ParamValue = number | string;

/** A knob of a scenario, with its `--quick` and full values. */
export interface ScenarioParam {
  quick: ParamValue;
  full: ParamValue;
  doc: string;
}

/** One line of a scenario's results: a label (e.g. the storage) and numeric metrics. */
export interface ResultRow {
  label: string;
  metrics: Record<string, number | null>;
  note?: string;
}

export interface ScenarioContext {
  mode: 'quick' | 'full';
  /** Worker threads to spread load over. Default 2 (one per core of the reference machine). */
  workers: number;
  /** A number param; throws when it is not one. */
  num(name: string): number;
  /** A string param. */
  str(name: string): string;
  log(message: string): void;
}

/**
 * A benchmark: one file in `scenarios/` whose default export is a Scenario. The runner
 * finds it by itself; `order` places it in the table.
 */
export interface Scenario {
  name: string;
  order: number;
  description: string;
  params: Record<string, ScenarioParam>;
  run(context: ScenarioContext): Promise<ResultRow[]>;
}

/** Identity, for type checking a scenario file's default export. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

/** Samples the server's CPU and RSS around a measured phase. */
export function serverMeter(server: ChildServer): {
  start(): void;
  stop(): {
    server_cpu_s: number | null;
    server_rss_mb: number | null;
    server_peak_rss_mb: number | null;
  };
} {
  let before: number | null = null;
  return {
    start() {
      before = server.stats()?.cpuSeconds ?? null;
    },
    stop() {
      const after = server.stats();
      const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
      return {
        server_cpu_s:
          after === null || before === null
            ? null
            : Math.round((after.cpuSeconds - before) * 100) / 100,
        server_rss_mb: after === null ? null : mb(after.rssBytes),
        server_peak_rss_mb: after === null ? null : mb(after.peakRssBytes),
      };
    },
  };
}

/** The server's CPU and RSS over one measured window, as `serverMeter().stop()` reads them. */
export type ServerUse = ReturnType<ReturnType<typeof serverMeter>['stop']>;

/**
 * The server's CPU over back-to-back windows of `windowsMs`, the first from `start()`: each
 * reading is taken by a timer at the window's end, so it covers exactly that window and not
 * what the workers do after it (waiting for the last deliveries).
 */
export function windowMeter(
  server: ChildServer,
  windowsMs: readonly number[],
): { start(): void; stop(): ServerUse[] } {
  const readings: ServerUse[] = [];
  const timers: NodeJS.Timeout[] = [];
  let current = serverMeter(server);
  const next = () => {
    readings.push(current.stop());
    current = serverMeter(server);
    current.start();
  };
  return {
    start() {
      current.start();
      let at = 0;
      for (const ms of windowsMs) timers.push(setTimeout(next, (at += ms)));
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      // Only when the run ended early: the unfinished window reads up to now.
      while (readings.length < windowsMs.length) next();
      return readings;
    },
  };
}

/** Splits items into `parts` nearly equal chunks (no empty chunk). */
export function split<T>(items: readonly T[], parts: number): T[][] {
  const n = Math.max(1, Math.min(parts, items.length));
  const chunks: T[][] = Array.from({ length: n }, () => []);
  items.forEach((item, i) => chunks[i % n]!.push(item));
  return chunks;
}

/** `a ÷ b` rounded to `digits` decimals; null when either is missing or `b` is 0. */
export function ratio(a: unknown, b: unknown, digits = 2): number | null {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
  return Math.round((a / b) * 10 ** digits) / 10 ** digits;
}
