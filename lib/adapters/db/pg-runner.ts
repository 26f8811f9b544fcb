// SqlRunner on a node-postgres pool: named statements (pg prepares each once per connection)
// returning rows as arrays of text, with no type parsing. A round trip per statement, so no
// batching here: concurrent sends use several pooled connections, and PostgreSQL groups their
// commits itself. Driver errors pass through as they are: their SQLSTATE `code` is what
// lib/errors.ts reads to tell "store down" (503) from a bug (500).
import type { Pool } from "pg";
import type { SqlRunner } from "./sql-runner";

const asText = { getTypeParser: () => (value: string) => value };

export function pgRunner(pool: Pool): SqlRunner {
  return {
    async run(statement, values) {
      const result = await pool.query({ name: statement.name, text: statement.text, values: [...values], rowMode: "array", types: asText });
      return result.rows as string[][];
    },
  };
}
