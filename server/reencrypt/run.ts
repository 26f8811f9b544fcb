// Re-encryption of stored messages: walks a MessageResealer a bounded batch at a time, saving
// where it is after each batch, so an interrupted run resumes where it stopped. Safe while
// Parley serves (see MessageResealer); a run under a new write key starts from the beginning.
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import type { MessageResealer, ResealBatch } from "../../lib/ports/message-store";
import { writePrivateFile } from "../files";

export const PROGRESS_FILE = "reencrypt-progress.json";

export interface Progress {
  /** Which history this is (the database, or a Cassandra keyspace). */
  scope: string;
  /** The write key the walk seals with. */
  writeKey: string;
  cursor: string | null;
  done: boolean;
}

/** Where a walk is, kept in a private file (in the secrets dir); none for memory:// instances. */
export class ProgressFile {
  constructor(private readonly file: string | undefined) {}

  static in(dir: string | undefined): ProgressFile {
    return new ProgressFile(dir ? path.join(dir, PROGRESS_FILE) : undefined);
  }

  /** The saved progress of this scope and write key, if any. */
  load(scope: string, writeKey: string): Progress | undefined {
    if (!this.file || !existsSync(this.file)) return undefined;
    try {
      const saved = JSON.parse(readFileSync(this.file, "utf8")) as Progress;
      return saved.scope === scope && saved.writeKey === writeKey ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  save(progress: Progress): void {
    if (!this.file) return;
    const next = `${this.file}.new`;
    rmSync(next, { force: true });
    writePrivateFile(next, JSON.stringify(progress));
    renameSync(next, this.file);
  }
}

export interface ResealOptions {
  scope: string;
  writeKey: string;
  batchSize: number;
  /** A pause between batches, to leave the store to its users. */
  pauseMs: number;
  progress: ProgressFile;
  /** Start from the beginning even when saved progress says otherwise. */
  restart?: boolean;
  signal?: AbortSignal;
  onBatch?: (batch: ResealBatch, totals: ResealTotals) => void;
}

export interface ResealTotals {
  scanned: number;
  resealed: number;
  /** False when stopped by the signal before the end. */
  complete: boolean;
}

export async function resealAll(store: MessageResealer, options: ResealOptions): Promise<ResealTotals> {
  const saved = options.restart ? undefined : options.progress.load(options.scope, options.writeKey);
  const totals: ResealTotals = { scanned: 0, resealed: 0, complete: false };
  if (saved?.done) return { ...totals, complete: true };
  let cursor = saved?.cursor ?? null;
  for (;;) {
    if (options.signal?.aborted) return totals;
    const batch = await store.resealBatch(cursor, options.batchSize);
    totals.scanned += batch.scanned;
    totals.resealed += batch.resealed;
    cursor = batch.next;
    options.progress.save({ scope: options.scope, writeKey: options.writeKey, cursor, done: cursor === null });
    options.onBatch?.(batch, totals);
    if (cursor === null) return { ...totals, complete: true };
    if (options.pauseMs > 0) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
}
