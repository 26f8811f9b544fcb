// Group commit's failure rules, with a runner that records what it is asked to run: a batch the
// database refused (a SqlError: rolled back) is retried statement by statement, so only the bad
// statement fails; a batch whose outcome is unknown (any other error) is never run again.
import { describe, expect, test } from "vitest";
import { withGroupCommit } from "../../lib/adapters/db/group-commit";
import { SqlError, type Call, type Param, type Statement, type TextRow } from "../../lib/adapters/db/sql-runner";

const STATEMENT: Statement = { name: "parley_test_echo", text: "select $1::text" };

function recordingRunner(batchFailure: () => Error) {
  const log: string[] = [];
  return {
    log,
    runner: {
      async run(_statement: Statement, values: readonly Param[]): Promise<TextRow[]> {
        log.push(`run ${values[0]}`);
        if (values[0] === "bad") throw new SqlError("22P02", "invalid input");
        return [[String(values[0])]];
      },
      async runBatch(calls: readonly Call[]): Promise<TextRow[][]> {
        log.push(`batch ${calls.map(([, v]) => v[0]).join(",")}`);
        throw batchFailure();
      },
    },
  };
}

describe("withGroupCommit", () => {
  test("a batch the database refused is retried one statement at a time: only the bad one fails", async () => {
    const { runner, log } = recordingRunner(() => new SqlError("22P02", "invalid input"));
    const grouped = withGroupCommit(runner);
    const outcomes = await Promise.allSettled(["a", "bad", "c"].map((v) => grouped.run(STATEMENT, [v])));
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as SqlError).code))).toEqual([[["a"]], "22P02", [["c"]]]);
    expect(log).toEqual(["batch a,bad,c", "run a", "run bad", "run c"]);
  });

  test("a batch whose outcome is unknown is not run again: every caller gets the error", async () => {
    const { runner, log } = recordingRunner(() => new Error("connection lost mid-exchange"));
    const grouped = withGroupCommit(runner);
    const outcomes = await Promise.allSettled(["a", "b"].map((v) => grouped.run(STATEMENT, [v])));
    expect(outcomes.map((o) => o.status === "rejected" && (o.reason as Error).message)).toEqual(["connection lost mid-exchange", "connection lost mid-exchange"]);
    expect(log).toEqual(["batch a,b"]);
  });
});
