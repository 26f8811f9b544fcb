// The embedded server seals its own old rows (plain text from before encryption, or rows under
// an older key) after it starts: its PGlite database has exactly one process, so no command
// could do it while it runs. Small batches with pauses; the saved progress makes it resume
// after a restart and skip the walk entirely once it finished under the current write key.
import type { KeyRing } from "../../lib/crypto/key-ring";
import type { Logger } from "../../lib/logger";
import type { MessageResealer } from "../../lib/ports/message-store";
import { MEMORY } from "../config";
import { ProgressFile, resealAll } from "./run";

const BATCH_SIZE = 200;
const PAUSE_MS = 50;

/** Starts the walk; the returned function stops it (and waits for the batch in flight). */
export function startBackgroundReseal(store: MessageResealer, ring: KeyRing, secretsDir: string, log: Logger): () => Promise<void> {
  const stop = new AbortController();
  const run = resealAll(store, {
    scope: "database",
    writeKey: ring.write.id,
    batchSize: BATCH_SIZE,
    pauseMs: PAUSE_MS,
    progress: ProgressFile.in(secretsDir === MEMORY ? undefined : secretsDir),
    signal: stop.signal,
  })
    .then((totals) => {
      if (totals.resealed > 0) log.info({ resealed: totals.resealed, writeKey: ring.write.id, complete: totals.complete }, "sealed stored messages again with the write key");
    })
    .catch((err) => log.error({ err }, "re-encryption of stored messages stopped (it resumes at the next start)"));
  return async () => {
    stop.abort();
    await run;
  };
}
