// The hot statements' runner (lib/adapters/db/sql-runner.ts) on every database: PGlite through
// its wire protocol with group commit, PostgreSQL through pg's named statements.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql as drizzleSql } from "drizzle-orm";
import { openDatabase, type Database } from "../../lib/adapters/db/client";
import { withGroupCommit } from "../../lib/adapters/db/group-commit";
import { pgliteRunner, type PgliteWire } from "../../lib/adapters/db/pglite-runner";
import type { Statement } from "../../lib/adapters/db/sql-runner";
import { Gate } from "../support/gate";
import { databaseTargets, MIGRATIONS, uniqueIds } from "./databases";

const TABLE = "sql_runner_probe";
const statement = (name: string, text: string): Statement => ({ name: `test_${name}`, text });
const SELECT_TYPES = statement("types", "select 1::int, null::text, $1::text, 12345678901234567890::numeric::text, $2::bigint + 1");
const INSERT = statement("insert", `insert into ${TABLE} (id, note) values ($1::bigint, $2::text) returning id::text`);
const COUNT = statement("count", `select count(*)::text from ${TABLE} where id = any($1::bigint[])`);

for (const target of databaseTargets("SqlRunner")) {
  describe(`SqlRunner on ${target.name}`, () => {
    let database: Database;
    const ids = uniqueIds();
    beforeAll(async () => {
      database = await target.open();
      await database.db.execute(drizzleSql.raw(`create table if not exists ${TABLE} (id bigint primary key, note text not null)`));
    });
    afterAll(async () => {
      await database?.close();
    });

    test("rows come back as text in select order, SQL NULL as null, parameters as text", async () => {
      const rows = await database.sql.run(SELECT_TYPES, ["héllo 😀", "9007199254740993"]);
      expect(rows).toEqual([["1", null, "héllo 😀", "12345678901234567890", "9007199254740994"]]);
      // Prepared once, reused after: the second call answers the same.
      expect(await database.sql.run(SELECT_TYPES, ["again", 1])).toEqual([["1", null, "again", "12345678901234567890", "2"]]);
    });

    test("a failing statement rejects with its SQLSTATE, and its parameters are not in the message", async () => {
      const id = ids.next();
      await database.sql.run(INSERT, [id, "first"]);
      const err = (await database.sql.run(INSERT, [id, "secret-parameter-value"]).catch((e: unknown) => e)) as Error & { code?: string };
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe("23505");
      expect(err.message).not.toContain("secret-parameter-value");
    });

    test("statements issued together all commit, and each answers its own rows", async () => {
      const batch = Array.from({ length: 12 }, () => ids.next());
      const answers = await Promise.all(batch.map((id) => database.sql.run(INSERT, [id, "together"])));
      expect(answers).toEqual(batch.map((id) => [[id]]));
      expect(await database.sql.run(COUNT, [`{${batch.join(",")}}`])).toEqual([["12"]]);
    });

    test("one failing statement among several fails alone: the others commit", async () => {
      const taken = ids.next();
      await database.sql.run(INSERT, [taken, "taken"]);
      const fresh = Array.from({ length: 5 }, () => ids.next());
      const outcomes = await Promise.allSettled([...fresh.slice(0, 2), taken, ...fresh.slice(2)].map((id) => database.sql.run(INSERT, [id, "mixed"])));
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
      expect(await database.sql.run(COUNT, [`{${fresh.join(",")}}`])).toEqual([["5"]]);
    });
  });
}

describe("PGlite: the wire-protocol runner and its group commit", () => {
  let database: Database;
  const ids = uniqueIds();
  beforeAll(async () => {
    database = await openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS);
    await database.db.execute(drizzleSql.raw(`create table if not exists ${TABLE} (id bigint primary key, note text not null)`));
  });
  afterAll(async () => {
    await database?.close();
  });

  const client = () => (database.db as unknown as { $client: PgliteWire }).$client;

  test("a statement never lands inside another caller's open transaction: it waits for it to end", async () => {
    const gate = new Gate();
    gate.hold();
    const [inTransaction, outside] = [ids.next(), ids.next()];
    const transaction = database.db
      .transaction(async (tx) => {
        await tx.execute(drizzleSql.raw(`insert into ${TABLE} (id, note) values (${inTransaction}, 'rolled back')`));
        await gate.pass();
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await new Promise((r) => setTimeout(r, 20)); // the transaction is open and waiting at the gate
    let landed = false;
    const raw = database.sql.run(INSERT, [outside, "outside"]).then((rows) => ((landed = true), rows));
    await new Promise((r) => setTimeout(r, 50));
    expect(landed).toBe(false);
    gate.release();
    expect(await transaction).toBe("rolled back");
    expect(await raw).toEqual([[outside]]);
    expect(await database.sql.run(COUNT, [`{${inTransaction},${outside}}`])).toEqual([["1"]]);
  });

  test("statements that queue up behind each other share one exchange (one commit), and none resolves before it", async () => {
    const wire = client();
    let exchanges = 0;
    const counted: PgliteWire = {
      execProtocolRawStream: (message, options) => (exchanges++, wire.execProtocolRawStream(message, options)),
      _runExclusiveQuery: (fn) => wire._runExclusiveQuery(fn),
      _runExclusiveTransaction: (fn) => wire._runExclusiveTransaction(fn),
    };
    const runner = withGroupCommit(pgliteRunner(counted));
    await runner.run(COUNT, ["{}"]); // prepares the statement in an exchange of its own
    await runner.run(INSERT, [ids.next(), "prepare"]);
    exchanges = 0;
    const batch = Array.from({ length: 20 }, () => ids.next());
    const answers = await Promise.all(batch.map((id) => runner.run(INSERT, [id, "grouped"])));
    expect(answers).toEqual(batch.map((id) => [[id]]));
    expect(exchanges).toBe(1);
    expect(await runner.run(COUNT, [`{${batch.join(",")}}`])).toEqual([["20"]]);
  });
});
