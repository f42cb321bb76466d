import { createQueryId } from 'kysely';
import type { AliasedRawBuilder, CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from './database.js';
import type { JsonColumnType, JsonRow, StorageAdapter } from './storage-adapter.js';

/**
 * Statements whose only parameter is one JSON table's rows (StorageAdapter.jsonTable), each
 * built and compiled once per shape: later runs reuse its SQL text with new rows. Kysely's
 * builder and compiler (freeze, visitNode, expression builders) were most of the server
 * CPU of a lone send, whose batch runs the same few statements every time.
 */
export class JsonStatements {
  private readonly compiled = new Map<string, CompiledQuery>();

  constructor(private readonly adapter: StorageAdapter) {}

  /**
   * Runs the statement `name` with `rows` as its table. `build` must give the same SQL for
   * any rows, with the table's JSON as its one parameter; a statement that does not is
   * built afresh at every run.
   */
  async execute<O, R extends JsonRow<R>, A extends string>(
    db: Kysely<Database>,
    name: string,
    table: {
      rows: readonly R[];
      columns: { readonly [K in keyof R & string]: JsonColumnType };
      alias: A;
    },
    build: (table: AliasedRawBuilder<R, A>) => Compilable<O>,
  ): Promise<O[]> {
    const json = this.adapter.jsonParameter(table.rows, table.columns);
    const cached = this.compiled.get(name);
    if (cached !== undefined) {
      const query: CompiledQuery<O> = { ...cached, parameters: [json], queryId: createQueryId() };
      return (await db.executeQuery(query)).rows;
    }
    const query = build(this.adapter.jsonTable(table.rows, table.columns, table.alias)).compile();
    if (query.parameters.length === 1 && query.parameters[0] === json) {
      this.compiled.set(name, query as CompiledQuery);
    }
    return (await db.executeQuery(query)).rows;
  }
}

const byAdapter = new WeakMap<StorageAdapter, JsonStatements>();

/** The statements of one adapter: the SQL text of a shape depends on the dialect alone. */
export function jsonStatementsOf(adapter: StorageAdapter): JsonStatements {
  let statements = byAdapter.get(adapter);
  if (statements === undefined) byAdapter.set(adapter, (statements = new JsonStatements(adapter)));
  return statements;
}
