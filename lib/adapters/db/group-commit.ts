// Group commit for a database whose cost is per round trip (the embedded PGlite): statements
// that arrive in the same turn of the event loop, or while the previous batch is running, are
// sent together and committed as one transaction. Nothing waits on a timer: an idle database
// runs a lone statement at the end of the current turn, and batches form only when statements
// queue up behind each other, which is exactly when they save the most.
import { SqlError, type Call, type Param, type SqlRunner, type Statement, type TextRow } from "./sql-runner";

interface Waiting {
  call: Call;
  resolve(rows: TextRow[]): void;
  reject(err: unknown): void;
}

/** The largest batch: bounds one transaction's size and the wait of its last statement. */
const MAX_BATCH = 64;

/**
 * A runner whose statements are grouped into transactions of `runBatch`. Each caller is
 * answered only once its batch has committed (so "acknowledged once durable" holds per
 * statement). A batch the database refuses is retried one statement at a time, so a statement
 * that fails on its own fails alone and the others still commit.
 */
export function withGroupCommit(runner: Required<SqlRunner>, maxBatch = MAX_BATCH): SqlRunner {
  const waiting: Waiting[] = [];
  let scheduled = false;
  let running = false;

  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  async function flush(): Promise<void> {
    const batch = waiting.splice(0, maxBatch);
    if (batch.length === 0) return;
    running = true;
    try {
      if (batch.length === 1) await settle(batch[0]!);
      else await runTogether(batch);
    } finally {
      running = false;
      if (waiting.length > 0) schedule();
    }
  }

  async function runTogether(batch: Waiting[]): Promise<void> {
    let results: TextRow[][];
    try {
      results = await runner.runBatch(batch.map((w) => w.call));
    } catch (err) {
      // The database refused the batch and rolled it back: find out which statement fails by
      // running each alone. Anything else (the batch may or may not have committed) is not
      // retried, so no statement runs twice: each caller gets the error.
      if (err instanceof SqlError) for (const w of batch) await settle(w);
      else for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }

  async function settle(w: Waiting): Promise<void> {
    try {
      w.resolve(await runner.run(w.call[0], w.call[1]));
    } catch (err) {
      w.reject(err);
    }
  }

  const run = (statement: Statement, values: readonly Param[]) =>
    new Promise<TextRow[]>((resolve, reject) => {
      waiting.push({ call: [statement, values], resolve, reject });
      schedule();
    });

  return { run };
}
