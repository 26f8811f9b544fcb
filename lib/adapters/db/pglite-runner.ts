// SqlRunner on PGlite through its wire-protocol entry point. PGlite's `query()` parses and
// plans every call (it only uses the unnamed statement), decodes rows field by field through
// its type parsers, and awaits a file-system sync that is a no-op on Node's file system; here
// each statement is parsed once under its own name, a call is Bind + Execute, several calls
// share one Sync (one implicit transaction, one commit), and rows are read as text directly.
//
// Pinned to @electric-sql/pglite 0.5.x: it relies on `execProtocolRaw` and on the two locks
// `query()` itself takes (`_runExclusiveTransaction`, `_runExclusiveQuery`), so a statement
// never lands inside another caller's open transaction. tests/contract/sql-runner.test.ts
// fails if that stops holding.
import { serialize } from "pg-protocol";
import { SqlError, type Call, type Param, type SqlRunner, type Statement, type TextRow } from "./sql-runner";

/** The parts of a PGlite instance this uses. */
export interface PgliteWire {
  execProtocolRawStream(message: Uint8Array, options: { syncToFs?: boolean; onRawData(data: Uint8Array): void }): Promise<void>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

const SYNC = serialize.sync();
const EXECUTE = serialize.execute({});
const utf8 = new TextDecoder();

export function pgliteRunner(pg: PgliteWire): Required<SqlRunner> {
  const prepared = new Set<string>();

  // The raw stream: the reply's bytes as PGlite's backend writes them. (`execProtocolRaw` also
  // runs every reply through PGlite's own message parser, which decoded each row a second time
  // and kept the parsed messages until the next `query()`.) `syncToFs: false`: PGlite's NodeFS
  // writes straight to the data files and its syncToFs is a no-op there; `query()` only awaits
  // it through an extra lock. Durability is the same.
  const exchange = (message: Uint8Array) =>
    pg._runExclusiveTransaction(() =>
      pg._runExclusiveQuery(async () => {
        const chunks: Buffer[] = [];
        // Each chunk is a view of PGlite's memory, reused after the callback: copy it.
        await pg.execProtocolRawStream(message, { syncToFs: false, onRawData: (data) => chunks.push(Buffer.from(data)) });
        return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      }),
    );

  /** Parses each statement not yet known under its name (once per process and statement). */
  async function prepare(statements: readonly Statement[]): Promise<void> {
    for (const s of statements) {
      if (prepared.has(s.name)) continue;
      const reply = decode(await exchange(Buffer.concat([serialize.parse({ name: s.name, text: s.text, types: [] }), SYNC])));
      // 42P05: already prepared on this database session (by another runner over the same PGlite).
      if (reply.error && reply.error.code !== "42P05") throw reply.error;
      prepared.add(s.name);
    }
  }

  async function runCalls(calls: readonly Call[]): Promise<TextRow[][]> {
    await prepare(calls.map(([statement]) => statement));
    const parts: Buffer[] = [];
    for (const [statement, values] of calls) parts.push(serialize.bind({ statement: statement.name, values: values.map(asText) }), EXECUTE);
    parts.push(SYNC);
    const reply = decode(await exchange(Buffer.concat(parts)));
    if (reply.error) throw reply.error;
    if (reply.results.length !== calls.length) throw new Error(`expected ${calls.length} results from PGlite, got ${reply.results.length}`);
    return reply.results;
  }

  return {
    run: async (statement, values) => (await runCalls([[statement, values]]))[0]!,
    runBatch: runCalls,
  };
}

const asText = (v: Param) => (v === null ? null : typeof v === "string" ? v : String(v));

interface Reply {
  /** Rows of each Execute, in order. */
  results: TextRow[][];
  error?: SqlError;
}

/** Reads the backend messages of one exchange (up to ReadyForQuery). */
export function decode(bytes: Uint8Array): Reply {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: TextRow[][] = [];
  let rows: TextRow[] = [];
  let error: SqlError | undefined;
  for (let at = 0; at + 5 <= buf.length; ) {
    const type = buf[at]!;
    const end = at + 1 + buf.readInt32BE(at + 1);
    const body = at + 5;
    switch (type) {
      case 0x44 /* D: DataRow */:
        rows.push(dataRow(buf, body));
        break;
      case 0x43 /* C: CommandComplete */:
        results.push(rows);
        rows = [];
        break;
      case 0x45 /* E: ErrorResponse */:
        error = errorResponse(buf, body, end);
        break;
      // ParseComplete, BindComplete, NoData, notices, ReadyForQuery...: nothing to keep.
    }
    at = end;
  }
  return { results, error };
}

function dataRow(buf: Buffer, at: number): TextRow {
  const count = buf.readInt16BE(at);
  const row = new Array<string | null>(count);
  let p = at + 2;
  for (let i = 0; i < count; i++) {
    const length = buf.readInt32BE(p);
    p += 4;
    if (length < 0) row[i] = null;
    else {
      row[i] = utf8.decode(buf.subarray(p, p + length));
      p += length;
    }
  }
  return row;
}

function errorResponse(buf: Buffer, at: number, end: number): SqlError {
  const fields: Record<string, string> = {};
  for (let p = at; p < end && buf[p] !== 0; ) {
    const code = String.fromCharCode(buf[p]!);
    const stop = buf.indexOf(0, p + 1);
    fields[code] = buf.toString("utf8", p + 1, stop);
    p = stop + 1;
  }
  return new SqlError(fields.C ?? "XX000", fields.M ?? "database error");
}
