// A big-server load process (forked by bench/scenarios/big-server.ts): holds member and
// watcher connections of one server, counts the presence and member-list frames each role
// receives, changes members' statuses on a schedule, and keeps each watcher's copy of its
// member-list ranges with the reference client copy. Bounded in count and time; exits when
// told to close or when its parent goes away.
import type { BigServerClient, BigServerCommand, CopyCheck, FrameCounts, FramesReport, StatusPlan, StatusReport, SubscribeReport } from "./big-server-protocol";
import { copyKeys, loadMemberListCopy, syncKeys, type CopyLike, type ListUpdate } from "./member-list-copy";
import { openParley, type LoadConnection } from "./wire";

interface Watch {
  copy?: CopyLike;
  subscribedAt: number;
  syncMs?: number;
  /** User ids in the watched ranges when the SYNC came. */
  heldAtSync: Set<string>;
  /** Resolves the next members:list holding a SYNC (check-copies). */
  nextSync?: (update: ListUpdate) => void;
}

interface Client {
  spec: BigServerClient;
  conn: LoadConnection;
  status: string;
  watch?: Watch;
}

const clients: Client[] = [];
const zero = (): FrameCounts => ({ presence: 0, memberAdd: 0, memberRemove: 0, list: 0 });
let frames = { member: zero(), watcher: zero() };
const CopyClass = await loadMemberListCopy();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function onEvent(client: Client, text: string): void {
  const counts = frames[client.spec.role];
  if (text.startsWith('42["presence:update"')) counts.presence++;
  else if (text.startsWith('42["member:add"')) counts.memberAdd++;
  else if (text.startsWith('42["member:remove"')) counts.memberRemove++;
  else if (text.startsWith('42["members:list"')) {
    counts.list++;
    const watch = client.watch;
    if (!watch) return;
    const update = (JSON.parse(text.slice(2)) as [string, ListUpdate])[1];
    watch.copy?.apply(update);
    const hasSync = update.ops.some((op) => op.op === "SYNC");
    if (watch.syncMs === undefined) {
      watch.syncMs = performance.now() - watch.subscribedAt;
      if (watch.copy) for (const key of copyKeys(watch.copy, client.spec.ranges!)) if (key.startsWith("m:")) watch.heldAtSync.add(key.split(":")[1]!);
    }
    if (hasSync && watch.nextSync) watch.nextSync(update);
  }
}

async function connect(cmd: Extract<BigServerCommand, { op: "connect" }>) {
  const started = performance.now();
  let opened = 0;
  let failed = 0;
  const errors: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < cmd.clients.length) {
      const spec = cmd.clients[next++]!;
      const client: Client = { spec, conn: undefined as unknown as LoadConnection, status: "online" };
      // A server without members:subscribe never answers it: watchers give up sooner.
      const ackTimeoutMs = spec.role === "watcher" ? 10_000 : 30_000;
      client.conn = openParley(spec.url, spec.token ?? "", () => {}, cmd.timeoutMs, { ackTimeoutMs, onEvent: (t) => onEvent(client, t) });
      try {
        await client.conn.ready;
        clients.push(client);
        opened++;
      } catch (err) {
        failed++;
        client.conn.close();
        if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cmd.concurrency, cmd.clients.length)) }, lane));
  return { opened, failed, errors, elapsedMs: performance.now() - started };
}

function framesReport(reset: boolean): FramesReport {
  const report: FramesReport = {
    connections: { member: clients.filter((c) => c.spec.role === "member").length, watcher: clients.filter((c) => c.spec.role === "watcher").length },
    ...frames,
  };
  if (reset) frames = { member: zero(), watcher: zero() };
  return report;
}

async function subscribe(cmd: Extract<BigServerCommand, { op: "subscribe" }>): Promise<SubscribeReport> {
  const report: SubscribeReport = { acked: 0, refused: 0, errors: [], syncMs: [] };
  const watchers = clients.filter((c) => c.spec.role === "watcher");
  await Promise.all(
    watchers.map(async (c) => {
      c.watch = { copy: CopyClass ? new CopyClass() : undefined, subscribedAt: performance.now(), heldAtSync: new Set() };
      const ack = await c.conn.send("members:subscribe", { serverId: cmd.serverId, ranges: c.spec.ranges });
      if (ack.ok) report.acked++;
      else {
        report.refused++;
        if (report.errors.length < 5) report.errors.push(ack.error?.code ?? "ERROR");
      }
    }),
  );
  // The SYNC follows the ack; wait for the stragglers, bounded.
  const deadline = performance.now() + cmd.timeoutMs;
  while (report.acked > 0 && watchers.some((c) => c.watch!.syncMs === undefined) && performance.now() < deadline) await sleep(20);
  for (const c of watchers) if (c.watch!.syncMs !== undefined) report.syncMs.push(c.watch!.syncMs);
  return report;
}

const CYCLE = ["online", "idle", "dnd"];

async function changeStatuses(plan: StatusPlan): Promise<StatusReport> {
  const report: StatusReport = { attempted: 0, acked: 0, failures: {}, changedUserIds: [], groupMoves: 0 };
  const changers = clients.filter((c) => c.spec.role === "member" && c.spec.changes);
  if (changers.length === 0 || plan.rate <= 0) return report;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let k = 0;
  const one = async (c: Client, index: number) => {
    const invisible = plan.invisible && index % 2 === 0;
    const status = c.status === "invisible" ? "online" : invisible ? "invisible" : CYCLE[(CYCLE.indexOf(c.status) + 1) % CYCLE.length]!;
    const movesGroup = status === "invisible" || c.status === "invisible";
    const ack = await c.conn.send("presence:set", { status });
    if (!ack.ok) {
      const code = ack.error?.code ?? "ERROR";
      report.failures[code] = (report.failures[code] ?? 0) + 1;
      return;
    }
    c.status = status;
    report.acked++;
    report.changedUserIds.push(c.spec.userId);
    if (movesGroup) report.groupMoves++;
  };
  const max = Math.ceil((plan.rate * plan.durationMs) / 1000);
  while (k < max && performance.now() - start < plan.durationMs) {
    const due = Math.min(max, Math.floor(((performance.now() - start) / 1000) * plan.rate) + 1);
    for (; k < due; k++) {
      report.attempted++;
      const p = one(changers[k % changers.length]!, k).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(Math.max(1, Math.min(50, start + (k / plan.rate) * 1000 - performance.now())));
  }
  await Promise.all(inFlight);
  return report;
}

function holding(userIds: string[]): { pairs: number } {
  let pairs = 0;
  for (const c of clients) {
    if (!c.watch?.copy) continue;
    const held = new Set(c.watch.heldAtSync);
    for (const key of copyKeys(c.watch.copy, c.spec.ranges!)) if (key.startsWith("m:")) held.add(key.split(":")[1]!);
    for (const id of userIds) if (held.has(id)) pairs++;
  }
  return { pairs };
}

/** Subscribes again to the same ranges: the SYNC that answers is the truth the copy must equal. */
async function checkCopies(cmd: Extract<BigServerCommand, { op: "check-copies" }>): Promise<CopyCheck> {
  const result: CopyCheck = { checked: 0, matched: 0 };
  for (const c of clients.filter((w) => w.watch?.copy && w.watch.syncMs !== undefined).slice(0, cmd.count)) {
    const before = copyKeys(c.watch!.copy!, c.spec.ranges!);
    const sync = new Promise<ListUpdate | undefined>((resolve) => {
      c.watch!.nextSync = resolve;
      setTimeout(() => resolve(undefined), cmd.timeoutMs);
    });
    const ack = await c.conn.send("members:subscribe", { serverId: cmd.serverId, ranges: c.spec.ranges });
    const update = ack.ok ? await sync : undefined;
    c.watch!.nextSync = undefined;
    result.checked++;
    const truth = update ? await syncKeys(update, c.spec.ranges!) : [];
    const same = update !== undefined && truth.length === before.length && truth.every((k, i) => k === before[i]);
    if (same) result.matched++;
    else result.difference ??= update ? firstDifference(before, truth) : `no SYNC (${ack.ok ? "timeout" : ack.error?.code})`;
  }
  return result;
}

function firstDifference(copy: string[], truth: string[]): string {
  const i = copy.findIndex((k, j) => k !== truth[j]);
  const at = i === -1 ? Math.min(copy.length, truth.length) : i;
  return `row ${at} of the ranges: copy ${copy[at] ?? "-"}, SYNC ${truth[at] ?? "-"} (${copy.length} vs ${truth.length} rows)`;
}

async function handle(command: BigServerCommand): Promise<unknown> {
  switch (command.op) {
    case "connect":
      return connect(command);
    case "frames":
      return framesReport(command.reset);
    case "subscribe":
      return subscribe(command);
    case "status":
      return changeStatuses(command.plan);
    case "holding":
      return holding(command.userIds);
    case "check-copies":
      return checkCopies(command);
    case "alive":
      return { open: clients.filter((c) => c.conn.isOpen()).length, closed: clients.filter((c) => !c.conn.isOpen()).length };
    case "close":
      for (const c of clients) c.conn.close();
      clients.length = 0;
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
  }
}

process.on("message", (request: { id: number; command: BigServerCommand }) => {
  handle(request.command).then(
    (result) => process.send!({ id: request.id, ok: true, result }),
    (err) => process.send!({ id: request.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.on("disconnect", () => process.exit(0));
