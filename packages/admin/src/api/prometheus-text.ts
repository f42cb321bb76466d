/**
 * The value of each metric in Prometheus' text format, summed over its series (labels):
 * `parley_connections{node="a"} 3` and `{node="b"} 2` give `parley_connections` 5.
 * Comments, histograms' `_bucket` lines and unparsable lines are skipped.
 */
export function sumMetrics(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (match === null || match[1]!.endsWith('_bucket')) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    sums.set(match[1]!, (sums.get(match[1]!) ?? 0) + value);
  }
  return sums;
}

/** A live figure from two scrapes: the counter's increase per second between them. */
export function ratePerSecond(
  before: { at: number; value: number } | null,
  after: { at: number; value: number },
): number | null {
  if (before === null || after.at <= before.at) return null;
  // A counter that went down means the server restarted: no rate for this interval.
  if (after.value < before.value) return null;
  return (after.value - before.value) / ((after.at - before.at) / 1000);
}
