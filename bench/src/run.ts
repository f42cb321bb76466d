#!/usr/bin/env node
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCleanups } from './lib/cleanup.js';
import { rerunWithOpenFileLimit } from './lib/fd-limit.js';
import { toMarkdown, type BenchReport } from './lib/report.js';
import type { ParamValue, Scenario, ScenarioContext } from './scenario.js';

const HELP = `npm run bench -- [options]

  --quick                 small sizes, about a minute
  --scenario NAME         run only this scenario (repeatable)
  --out DIR               where latest.json and latest.md go (default bench/results)
  --param S.KEY=VALUE     override a scenario param, e.g. --param dm-latency.pairs=2 (repeatable)
  --workers N             load-generating worker threads (default 2)
  --list                  list scenarios and their params
`;

const DEFAULT_OUT = fileURLToPath(new URL('../results', import.meta.url));

/** Every `scenarios/*.js` file's default export: adding a scenario is adding a file. */
async function loadScenarios(): Promise<Scenario[]> {
  const dir = new URL('./scenarios/', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js')).sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, dir).href)) as { default?: Scenario };
    if (module.default !== undefined) scenarios.push(module.default);
  }
  return scenarios.sort((a, b) => a.order - b.order);
}

function parseOverrides(raw: readonly string[]): Map<string, Record<string, ParamValue>> {
  const overrides = new Map<string, Record<string, ParamValue>>();
  for (const item of raw) {
    const match = /^([\w-]+)\.(\w+)=(.*)$/.exec(item);
    if (match === null) throw new Error(`--param wants SCENARIO.KEY=VALUE, got "${item}"`);
    const [, scenario, key, value] = match as unknown as [string, string, string, string];
    const entry = overrides.get(scenario) ?? {};
    entry[key] = value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    overrides.set(scenario, entry);
  }
  return overrides;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      out: { type: 'string' },
      param: { type: 'string', multiple: true },
      workers: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const mode = values.quick ? 'quick' : 'full';
  const scenarios = await loadScenarios();
  if (values.list) {
    for (const s of scenarios) {
      process.stdout.write(`${s.name}: ${s.description}\n`);
      for (const [key, p] of Object.entries(s.params)) {
        process.stdout.write(`  ${key} (quick ${p.quick}, full ${p.full}): ${p.doc}\n`);
      }
    }
    return 0;
  }
  const wanted = values.scenario ?? scenarios.map((s) => s.name);
  for (const name of wanted) {
    if (!scenarios.some((s) => s.name === name)) throw new Error(`unknown scenario "${name}"`);
  }
  const overrides = parseOverrides(values.param ?? []);
  const workers = Number(values.workers ?? 2);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error('--workers: 1–64');
  const outDir = resolve(values.out ?? DEFAULT_OUT);

  const report: BenchReport = {
    schema: 1,
    mode,
    started_at: new Date().toISOString(),
    finished_at: '',
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(os.totalmem() / 1e8) / 10,
      node: process.version,
      os: `${os.platform()} ${os.release()}`,
      loadavg_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    },
    scenarios: {},
  };
  let failures = 0;
  for (const scenario of scenarios.filter((s) => wanted.includes(s.name))) {
    const params: Record<string, ParamValue> = {};
    for (const [key, p] of Object.entries(scenario.params)) params[key] = p[mode];
    for (const [key, value] of Object.entries(overrides.get(scenario.name) ?? {})) {
      if (!(key in scenario.params)) throw new Error(`${scenario.name} has no param "${key}"`);
      params[key] = value;
    }
    const context: ScenarioContext = {
      mode,
      workers,
      num(name) {
        const value = params[name];
        if (typeof value !== 'number') throw new Error(`${scenario.name}.${name} must be a number`);
        return value;
      },
      str: (name) => String(params[name]),
      log: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`),
    };
    context.log(
      `running (${Object.entries(params)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`,
    );
    const began = Date.now();
    const entry = {
      description: scenario.description,
      params,
      rows: [] as BenchReport['scenarios'][string]['rows'],
    };
    try {
      entry.rows = await scenario.run(context);
      report.scenarios[scenario.name] = { ...entry, seconds: (Date.now() - began) / 1000 };
    } catch (error) {
      failures++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      context.log(`FAILED: ${message}`);
      report.scenarios[scenario.name] = {
        ...entry,
        error: message,
        seconds: (Date.now() - began) / 1000,
      };
    } finally {
      // A scenario's own finally blocks clean up; this catches anything they missed.
      await runCleanups();
    }
  }
  report.finished_at = new Date().toISOString();
  const markdown = toMarkdown(report);
  await mkdir(outDir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  for (const [name, text] of [
    ['latest.json', json],
    ['latest.md', markdown],
  ] as const) {
    const file = resolve(outDir, name);
    await writeFile(file, await formatted(text, file));
  }
  process.stdout.write('\n' + markdown + `\nwritten to ${outDir}/latest.{json,md}\n`);
  return failures === 0 ? 0 : 1;
}

// Enough for `connections` at its 50,000 plus the rest, where the hard limit may be raised.
const rerun = await rerunWithOpenFileLimit(65_536);
if (rerun !== null) process.exit(rerun);

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping servers and dropping databases…\n`);
    void runCleanups().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await runCleanups();
    process.exit(code);
  },
  async (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    await runCleanups();
    process.exit(2);
  },
);

/**
 * The results as the repository's formatter writes them (tables aligned), so that a run
 * committed as is passes `npm test`'s format check; unformatted where prettier is missing.
 */
async function formatted(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}
