import {
  LimitNode,
  SelectQueryNode,
  ValueNode,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RawBuilder,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/*
 * Values written into SQLite's SQL text instead of bound.
 *
 * SQLite (3.53 here) plans some statements with the value bound to a parameter — a
 * `LIMIT ?`, the pattern of a `LIKE ?` or `GLOB ?` — and marks the statement to be
 * compiled again whenever that parameter is bound. better-sqlite3 binds every parameter at
 * every run, so each run of such a statement, however long it sat in a statement cache,
 * parsed, planned and compiled it anew (`sqlite3Reprepare` inside `sqlite3_step`): the
 * outbox loops' look for work twice a second, every page of history, every search. With
 * the value in the text, each value is a statement of its own, prepared once and kept by
 * the statement caches (statement-cache.ts, the reader threads' own): a page size is one
 * of a few values, and a search repeated or paged runs the statement it prepared.
 */

/**
 * Writes the outermost select's LIMIT into the text when it is a safe non-negative
 * integer (no query of the SQLite storage limits a subquery); SQL written by hand puts its
 * limits in with `limitOf`.
 */
export class InlineLimitPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node) || node.limit === undefined) return node;
    const limit = node.limit.limit;
    if (!ValueNode.is(limit) || limit.immediate === true || !isCount(limit.value)) return node;
    return SelectQueryNode.cloneWithLimit(
      node,
      LimitNode.create(ValueNode.createImmediate(limit.value)),
    );
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/** `LIMIT n` for SQL written by hand, with `n` in the text. */
export function limitOf(n: number): RawBuilder<unknown> {
  if (!isCount(n)) throw new Error(`a LIMIT must be a non-negative integer, not ${n}`);
  return sql`LIMIT ${sql.lit(n)}`;
}

/**
 * A LIKE or GLOB pattern as an SQL string literal (quotes doubled). A pattern holding NUL,
 * which would end SQLite's reading of the text, stays a parameter.
 */
export function patternOf(pattern: string): RawBuilder<string> {
  return pattern.includes('\0') ? sql<string>`${pattern}` : sql.lit(pattern);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
