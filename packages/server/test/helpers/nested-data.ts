/**
 * A custom data object whose value at `a` nests arrays so that the whole object is
 * `depth` levels deep: `nestedData(3)` is `{ "a": [[]] }`. As JSON text it is built without
 * recursion, so any depth can be sent.
 */
export function nestedDataJson(depth: number): string {
  const arrays = depth - 1;
  return `{"a":${'['.repeat(arrays)}${']'.repeat(arrays)}}`;
}

/** The same object, parsed. */
export function nestedData(depth: number): Record<string, unknown> {
  return JSON.parse(nestedDataJson(depth)) as Record<string, unknown>;
}
