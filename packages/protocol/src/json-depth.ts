/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth` (a bare
 * object or array is depth 1). Iterative, so a hostile value cannot exhaust the stack the
 * way `JSON.stringify` or any recursive walk would.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
