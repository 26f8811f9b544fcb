// The hot statements of the message store, prepared once per connection and run on the driver
// directly: no Drizzle query building, no per-call parsing and planning, and rows come back
// as text without per-field type parsers (docs/performance.md measured each of these as a
// large share of a send and of a history page on PGlite).

/** A statement with a fixed name: prepared at its first use on each connection, reused after. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Parameters travel as text; the statement's casts say what they are. */
export type Param = string | number | null;

/** A result row: every column as text (null for SQL NULL), in select order. */
export type TextRow = ReadonlyArray<string | null>;

export type Call = readonly [Statement, readonly Param[]];

/** A database error of the driver, reduced to what callers may act on (no parameters, no query text). */
export class SqlError extends Error {
  constructor(
    /** The SQLSTATE, e.g. 23505 for a unique violation (08xxx and 57Pxx read as "store down", lib/errors.ts). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SqlError";
  }
}

export interface SqlRunner {
  /** Runs one statement in its own transaction; resolves once it is committed. */
  run(statement: Statement, values: readonly Param[]): Promise<TextRow[]>;
  /**
   * Runs several statements as one transaction, answering each one's rows, or rejects and
   * commits none of them. Present only where that is cheaper than running them one by one
   * (the embedded PGlite, whose cost is per round trip, not per row).
   */
  runBatch?(calls: readonly Call[]): Promise<TextRow[][]>;
}
