// Types for scripts/cassandra.mjs, so tests can start, stop and restart a node of their own.
import type { ChildProcess } from "node:child_process";

export declare const CASSANDRA_VERSION: string;

export interface CassandraNode {
  pid: number;
  runDir: string;
  nativePort: number;
  storagePort: number;
  /** `127.0.0.1:<nativePort>` */
  contactPoint: string;
  logFile: string;
  releaseVersion?: string;
  /** Milliseconds from spawning the JVM until CQL answered. */
  startMs?: number;
  child?: ChildProcess;
}

export interface StartOptions {
  /** A stopped node's folder (kept with `stopCassandra(node, { keep: true })`): restart on its data. */
  runDir?: string;
  nativePort?: number;
  storagePort?: number;
  /** Let the node outlive this process (the CLI); otherwise it is killed when this process exits. */
  detached?: boolean;
  quiet?: boolean;
}

/** Downloads the jars once (Maven Central, into ~/.cache/parley); returns the lib folder. */
export declare function fetchCassandra(): string;
/** Starts a node and resolves once the Node driver reads `release_version` from it. */
export declare function startCassandra(options?: StartOptions): Promise<CassandraNode>;
/** SIGTERM, up to 30 s, then SIGKILL; removes the run folder unless `keep`. */
export declare function stopCassandra(node: CassandraNode, options?: { keep?: boolean }): Promise<void>;
