#!/usr/bin/env node
// A real single-node Apache Cassandra for tests and development, without Docker or a tarball:
// the cassandra-all jar and its runtime dependencies come from Maven Central (once, into a cache
// outside the repo) and run on Java 17 on free ports in a throw-away folder under /tmp.
//
//   node scripts/cassandra.mjs start [--state FILE]   prints CASSANDRA_CONTACT_POINTS=127.0.0.1:PORT
//   node scripts/cassandra.mjs stop  [--state FILE]   SIGTERM, 30 s, SIGKILL; removes the run folder
//   node scripts/cassandra.mjs fetch                  only downloads the jars
//
// Tests import startCassandra()/stopCassandra() to run (and stop, and restart) a node of their own.
//
// Seen on the dev machine (2 cores shared with other work, load 3–5; 24 GB RAM; Cassandra
// 5.0.8 on OpenJDK 17.0.15), first runs of this script:
//   - fetch: 100 jars, 67 MB in ~/.cache/parley/cassandra-5.0.8/lib; 3.8 s when Maven's local
//     repository already has them (a clean machine downloads them from Maven Central once)
//   - start, empty data dir, until the driver reads release_version: 6.3–10.9 s (by load);
//     restart on the same data and ports: 4.2–5.3 s. Stop (SIGTERM, drain, exit): about 7.5 s.
//   - heap -Xms512m -Xmx512m; resident size ~920 MB after start, ~945 MB after the test suites
//   - run folder: 0.4–0.6 MB on disk after start and the test suites (17 MB apparent: the commit
//     log segment is preallocated sparse)
//   - harmless log warnings: jemalloc not preloaded, JMX not enabled, vm.max_map_count low,
//     read_ahead_kb high, random token for a single vnode; no SIGAR warning with 5.0.8
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CASSANDRA_VERSION = "5.0.8";
const JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 30_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "parley", `cassandra-${CASSANDRA_VERSION}`);
const libDir = path.join(cacheDir, "lib");
const stampFile = path.join(cacheDir, "complete.stamp");

const say = (message) => process.stderr.write(`[cassandra] ${message}\n`);

/** Downloads cassandra-all and its runtime dependencies once; a stamp marks a complete copy. */
export function fetchCassandra() {
  if (existsSync(stampFile) && existsSync(path.join(libDir, `cassandra-all-${CASSANDRA_VERSION}.jar`))) return libDir;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(path.join(cacheDir, "fetch-"));
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>parley.local</groupId><artifactId>cassandra-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId>
      <version>${CASSANDRA_VERSION}</version><scope>runtime</scope></dependency>
  </dependencies>
</project>
`;
  writeFileSync(path.join(work, "pom.xml"), pom);
  const fresh = path.join(work, "lib");
  say(`fetching org.apache.cassandra:cassandra-all:${CASSANDRA_VERSION} and its runtime dependencies from Maven Central…`);
  const started = Date.now();
  const mvn = spawnSync(
    "mvn",
    ["-q", "-B", "-Dstyle.color=never", "-f", path.join(work, "pom.xml"), "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${fresh}`],
    { stdio: ["ignore", 2, 2], env: { ...process.env, JAVA_HOME } },
  );
  if (mvn.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${mvn.status ?? mvn.signal}); is Maven installed and Maven Central reachable?`);
  }
  // Swap in the complete copy (an unstamped copy from an interrupted or older fetch is replaced).
  const old = `${libDir}.old-${process.pid}`;
  if (existsSync(libDir)) renameSync(libDir, old);
  renameSync(fresh, libDir);
  rmSync(old, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stampFile, `cassandra-all ${CASSANDRA_VERSION} fetched ${new Date().toISOString()}\n`);
  say(`fetched into ${libDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libDir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function yamlFor(runDir, nativePort, storagePort) {
  const dir = (name) => path.join(runDir, name);
  return `# Written by scripts/cassandra.mjs: a small, fast single node for tests.
cluster_name: parley-test
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:${storagePort}"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: ${storagePort}
native_transport_port: ${nativePort}
start_native_transport: true
data_file_directories:
  - ${dir("data")}
commitlog_directory: ${dir("commitlog")}
saved_caches_directory: ${dir("saved_caches")}
hints_directory: ${dir("hints")}
cdc_raw_directory: ${dir("cdc_raw")}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_disk_access_mode: legacy
commitlog_segment_size: 8MiB
auto_bootstrap: false
auto_snapshot: false
concurrent_reads: 2
concurrent_writes: 2
concurrent_counter_writes: 2
concurrent_compactors: 1
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 0MiB
row_cache_size: 0MiB
counter_cache_size: 0MiB
file_cache_size: 32MiB
storage_compatibility_mode: NONE
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
`;
}

function logbackFor(logDir) {
  return `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${path.join(logDir, "system.log")}</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE" /></root>
</configuration>
`;
}

function jvmArgs(runDir, lib) {
  const exports = [
    "java.base/jdk.internal.misc", "java.management.rmi/com.sun.jmx.remote.internal.rmi", "java.management/com.sun.jmx.remote.security",
    "java.rmi/sun.rmi.registry", "java.rmi/sun.rmi.server", "java.sql/java.sql", "java.base/java.lang.ref", "jdk.unsupported/sun.misc",
    "jdk.attach/sun.tools.attach", "jdk.compiler/com.sun.tools.javac.file",
  ];
  const opens = [
    "java.base/java.lang.module", "java.base/jdk.internal.loader", "java.base/jdk.internal.ref", "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math", "java.base/jdk.internal.module", "java.base/jdk.internal.util.jar", "jdk.management/com.sun.management.internal",
    "java.base/sun.nio.ch", "java.base/java.io", "java.base/java.lang.reflect", "java.base/java.lang", "java.base/java.util", "java.base/java.nio",
    "java.base/java.nio.charset", "jdk.compiler/com.sun.tools.javac",
  ];
  return [
    "-Xms512m", "-Xmx512m", "-Xss256k", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-ea",
    `-javaagent:${path.join(lib, "jamm-0.4.0.jar")}`,
    "-Djdk.attach.allowAttachSelf=true", "-Djava.net.preferIPv4Stack=true", "-Dchronicle.analytics.disable=true",
    "-Dio.netty.tryReflectionSetAccessible=true",
    ...exports.flatMap((x) => ["--add-exports", `${x}=ALL-UNNAMED`]),
    ...opens.flatMap((x) => ["--add-opens", `${x}=ALL-UNNAMED`]),
    `-Dcassandra.config=${pathToFileURL(path.join(runDir, "conf", "cassandra.yaml")).href}`,
    `-Dcassandra.storagedir=${runDir}`,
    `-Dcassandra.logdir=${path.join(runDir, "logs")}`,
    `-Dlogback.configurationFile=${path.join(runDir, "conf", "logback.xml")}`,
    "-Dcassandra-foreground=yes",
    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
    "-Dcassandra.superuser_setup_delay_ms=0",
    "-Dcassandra.ring_delay_ms=100",
    "-Dcassandra.unsafesystem=true",
    `-Dcassandra.triggers_dir=${path.join(runDir, "triggers")}`,
    "-cp", `${path.join(runDir, "conf")}:${path.join(lib, "*")}`,
    "org.apache.cassandra.service.CassandraDaemon",
  ];
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tailOf(file, lines = 40) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Connects with the Node driver and reads release_version: the node really answers CQL. */
async function releaseVersion(contactPoint) {
  const { default: cassandra } = await import("cassandra-driver");
  const client = new cassandra.Client({
    contactPoints: [contactPoint],
    localDataCenter: "datacenter1",
    socketOptions: { connectTimeout: 2_000, readTimeout: 5_000 },
    // One attempt per call: the caller's loop does the waiting.
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(60_000) },
  });
  try {
    await client.connect();
    const rs = await client.execute("SELECT release_version FROM system.local", [], { prepare: true });
    return rs.first().get("release_version");
  } finally {
    await client.shutdown().catch(() => {});
  }
}

/**
 * Starts a node and resolves once CQL answers. Pass the `runDir` and ports of a stopped node
 * (kept with `stopCassandra(node, { keep: true })`) to restart it on its data and address.
 * `detached` lets the node outlive this process (the CLI); otherwise it is killed on exit.
 */
export async function startCassandra(options = {}) {
  const lib = fetchCassandra();
  const runDir = options.runDir ?? mkdtempSync(path.join(os.tmpdir(), "parley-cassandra-"));
  const nativePort = options.nativePort ?? (await freePort());
  const storagePort = options.storagePort ?? (await freePort());
  for (const sub of ["conf", "logs", "data", "commitlog", "saved_caches", "hints", "cdc_raw", "triggers"]) mkdirSync(path.join(runDir, sub), { recursive: true });
  writeFileSync(path.join(runDir, "conf", "cassandra.yaml"), yamlFor(runDir, nativePort, storagePort));
  writeFileSync(path.join(runDir, "conf", "logback.xml"), logbackFor(path.join(runDir, "logs")));

  const outFile = path.join(runDir, "logs", "stdout.log");
  const out = openSync(outFile, "a");
  const started = Date.now();
  const child = spawn(path.join(JAVA_HOME, "bin", "java"), jvmArgs(runDir, lib), {
    cwd: runDir,
    stdio: ["ignore", out, out],
    detached: Boolean(options.detached),
    env: { ...process.env, JAVA_HOME },
  });
  closeSync(out);
  let exited = null;
  child.once("exit", (code, signal) => {
    exited = signal ?? code;
  });
  const killOnExit = () => {
    if (exited === null) child.kill("SIGKILL");
  };
  if (options.detached) child.unref();
  else process.once("exit", killOnExit);

  const contactPoint = `127.0.0.1:${nativePort}`;
  const node = { pid: child.pid, runDir, nativePort, storagePort, contactPoint, logFile: path.join(runDir, "logs", "system.log"), child, killOnExit };
  const fail = async (why) => {
    const log = tailOf(node.logFile);
    const stdout = tailOf(outFile, 20);
    await stopCassandra(node, { keep: Boolean(options.runDir) });
    throw new Error(`Cassandra did not start: ${why}\n--- system.log (tail)\n${log}\n--- stdout (tail)\n${stdout}`);
  };
  let lastError;
  while (Date.now() - started < READY_TIMEOUT_MS) {
    if (exited !== null) return fail(`the JVM exited (${exited})`);
    if (await portOpen(nativePort)) {
      try {
        node.releaseVersion = await releaseVersion(contactPoint);
        node.startMs = Date.now() - started;
        if (!options.quiet) say(`Cassandra ${node.releaseVersion} answers CQL at ${contactPoint} after ${(node.startMs / 1000).toFixed(1)} s (pid ${child.pid}, ${runDir})`);
        return node;
      } catch (err) {
        lastError = err;
      }
    }
    await sleep(500);
  }
  return fail(`CQL did not answer within ${READY_TIMEOUT_MS / 1000} s (${lastError?.message ?? "port closed"})`);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** SIGTERM, up to 30 s, then SIGKILL; removes the run folder unless `keep` (for a restart). */
export async function stopCassandra(node, { keep = false } = {}) {
  if (node.killOnExit) process.off("exit", node.killOnExit);
  const pid = node.pid;
  if (pid && alive(pid)) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + STOP_GRACE_MS;
    while (alive(pid) && !reaped(node) && Date.now() < deadline) await sleep(200);
    if (alive(pid) && !reaped(node)) {
      say(`pid ${pid} still running after ${STOP_GRACE_MS / 1000} s: SIGKILL`);
      process.kill(pid, "SIGKILL");
      for (let i = 0; i < 50 && alive(pid) && !reaped(node); i++) await sleep(100);
    }
  }
  if (!keep) rmSync(node.runDir, { recursive: true, force: true });
}

// A child of this process stays a zombie (still "alive" to kill -0) until Node reaps it.
const reaped = (node) => node.child !== undefined && (node.child.exitCode !== null || node.child.signalCode !== null);

function defaultStateFile() {
  const tag = createHash("sha1").update(root).digest("hex").slice(0, 8);
  return path.join(os.tmpdir(), `parley-cassandra-${process.getuid?.() ?? "u"}-${tag}.json`);
}

async function main(argv) {
  const [command, ...rest] = argv;
  const stateAt = rest.indexOf("--state");
  const stateFile = stateAt >= 0 && rest[stateAt + 1] ? path.resolve(rest[stateAt + 1]) : defaultStateFile();
  if (command === "fetch") {
    say(`jars in ${fetchCassandra()}`);
  } else if (command === "start") {
    if (existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, "utf8"));
      if (alive(state.pid)) throw new Error(`a node from ${stateFile} is already running (pid ${state.pid}, ${state.contactPoint}); stop it first`);
    }
    const node = await startCassandra({ detached: true });
    const { pid, runDir, nativePort, storagePort, contactPoint, releaseVersion: version, startMs } = node;
    writeFileSync(stateFile, JSON.stringify({ pid, runDir, nativePort, storagePort, contactPoint, releaseVersion: version, startMs }, null, 2));
    say(`state in ${stateFile}`);
    process.stdout.write(`CASSANDRA_CONTACT_POINTS=${contactPoint}\n`);
  } else if (command === "stop") {
    if (!existsSync(stateFile)) return say(`nothing to stop (${stateFile} does not exist)`);
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    await stopCassandra(state);
    rmSync(stateFile, { force: true });
    say(`stopped pid ${state.pid} and removed ${state.runDir}`);
  } else {
    process.stderr.write("usage: node scripts/cassandra.mjs start|stop|fetch [--state FILE]\n");
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
