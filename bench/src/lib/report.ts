import type { ParamValue, ResultRow } from '../scenario.js';

/** One scenario's entry in latest.json. */
export interface ScenarioReport {
  description: string;
  params: Record<string, ParamValue>;
  rows: ResultRow[];
  /** Set when the scenario failed; its rows are then empty. */
  error?: string;
  seconds: number;
}

export interface BenchReport {
  schema: 1;
  mode: 'quick' | 'full';
  started_at: string;
  finished_at: string;
  machine: Record<string, string | number>;
  scenarios: Record<string, ScenarioReport>;
}

function columns(rows: readonly ResultRow[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.metrics)) keys.add(key);
  return [...keys];
}

function cell(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : String(value);
}

/** Markdown: one table per scenario (it prints well on a terminal too). */
export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# Parley bench (${report.mode})`,
    '',
    `${report.started_at} · ${Object.entries(report.machine)
      .map(([k, v]) => `${k}: ${v}`)
      .join(' · ')}`,
  ];
  for (const [name, scenario] of Object.entries(report.scenarios)) {
    lines.push('', `## ${name}`, '', scenario.description, '');
    lines.push(
      `params: ${Object.entries(scenario.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')} · ${scenario.seconds} s`,
      '',
    );
    if (scenario.error !== undefined) {
      lines.push(`**failed:** ${scenario.error.split('\n')[0]}`);
      continue;
    }
    const keys = columns(scenario.rows);
    lines.push(
      `| variant | ${keys.join(' | ')} |`,
      `| --- | ${keys.map(() => '---:').join(' | ')} |`,
    );
    for (const row of scenario.rows) {
      lines.push(`| ${row.label} | ${keys.map((k) => cell(row.metrics[k])).join(' | ')} |`);
      if (row.note !== undefined) lines.push(`|  ↳ ${row.note} |`);
    }
  }
  return lines.join('\n') + '\n';
}
