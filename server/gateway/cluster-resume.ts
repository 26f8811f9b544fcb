// Resume on any gateway node (contract v2 "Resume") when nodes share Redis. Socket.IO's Redis
// adapter keeps no sessions and gives broadcasts no order across publishers, so:
// - every broadcast that can be replayed goes through one Redis script that numbers it (one
//   counter for the deployment) and publishes it on the resume log channel; every node,
//   the sender included, delivers what it hears there in the order Redis ran the scripts,
//   with the number as the packet's offset, and keeps it in its ring (resume-ring.ts). So
//   every node holds the same packets in the same order, and an offset from one node means
//   the same position on another. Restoring reads this node's memory: it costs the packets
//   since the client's offset, with no read of a shared stream (socketio/socket.io#5423);
// - a lost connection's session (its rooms, its focus, whose it is) is kept in Redis for the
//   window, read by whichever node the client comes back to, and ended there once the
//   connection is established (an attempt that is refused or times out leaves it for the next
//   one). What it missed is replayed only once the credential has been checked again (resume.ts,
//   gateway.ts).
// A broadcast only this node sends (flags.local: coalesced presence and activity) is kept in
// the ring under an offset of its own and delivered at once. Packets with acks, volatile ones
// and every other adapter operation (room joins, serverSideEmit) keep the Redis adapter's way.
import type { Redis } from "ioredis";
import { Adapter, type BroadcastOptions, type Session } from "socket.io-adapter";
import type { Logger } from "../../lib/logger";
import { ResumeRing } from "./resume-ring";
import { EVENT_PACKET, type MissedEvents } from "./resume";

export interface ResumeLogKeys {
  /** The deployment's offset counter. */
  counter: string;
  /** The pub/sub channel of the log (outside the Redis adapter's pattern). */
  channel: string;
  /** The prefix of kept sessions' keys. */
  sessions: string;
}

export const resumeLogKeys = (prefix: string): ResumeLogKeys => ({
  counter: `${prefix}socket.io-resume:offset`,
  channel: `${prefix}socket.io-resume`,
  sessions: `${prefix}socket.io-resume:session:`,
});

// The offset: one counter for the deployment, never below Redis's clock in µs, so offsets keep
// growing when Redis loses or rewinds the key (a restart without persistence, a snapshot
// restored, a failover to a replica that lagged): an offset is never given to two events.
// `%d`: Lua 5.1 writes numbers this big in scientific notation otherwise.
const LOG_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local offset = redis.call('INCR', KEYS[1])
if offset < now then
  offset = now
  redis.call('SET', KEYS[1], string.format('%d', now))
end
offset = string.format('%d', offset)
redis.call('PUBLISH', ARGV[2], offset .. '|' .. ARGV[1])
return offset`;

type LogClient = Redis & { parleyResumeLog(counter: string, payload: string, channel: string): Promise<string> };

/** Publishes an event into the resume log (gateway and API nodes alike); resolves with its offset. */
export function resumeLogPublisher(pub: Redis, keys: ResumeLogKeys) {
  if (!("parleyResumeLog" in pub)) pub.defineCommand("parleyResumeLog", { numberOfKeys: 1, lua: LOG_SCRIPT });
  return (data: unknown[], rooms: Iterable<string>, except: Iterable<string>): Promise<string> =>
    (pub as LogClient).parleyResumeLog(keys.counter, JSON.stringify([data, [...rooms], [...except]]), keys.channel);
}

/** ioredis's answer for a command it did not send (no connection, and no offline queue on the publisher). */
const NOT_SENT = "Stream isn't writeable";
/** Kept beyond the window: a session restored at its last moment still finds its offset. */
const KEEP_MARGIN_MS = 10_000;

interface BroadcastPacket {
  type: number;
  id?: number;
  nsp?: string;
  data: unknown[];
}

export interface ClusterResumeOptions {
  pub: Redis;
  sub: Redis;
  keys: ResumeLogKeys;
  windowMs: number;
  /** What of a socket's `data` a resumed connection needs (it must survive JSON). */
  sessionData(data: unknown): unknown;
  log: Logger;
}

/** Gives a Redis adapter the resume log and the kept sessions; returns what stops listening. */
export function installClusterResume(adapter: Adapter, options: ClusterResumeOptions): () => void {
  const { pub, sub, keys, windowMs, log } = options;
  const ring = new ResumeRing(windowMs + KEEP_MARGIN_MS);
  const publish = resumeLogPublisher(pub, keys);
  const deliver = (packet: BroadcastPacket, opts: BroadcastOptions) => Adapter.prototype.broadcast.call(adapter, packet, opts);
  const redisBroadcast = adapter.broadcast.bind(adapter);
  const nsp = (adapter.nsp as { name: string }).name;

  const extension: MissedEvents & KeptSessions & Pick<Adapter, "broadcast" | "persistSession" | "restoreSession"> = {
    broadcast(packet: BroadcastPacket, opts: BroadcastOptions): void {
      const replayable = packet.type === EVENT_PACKET && packet.id === undefined && opts.flags?.volatile === undefined;
      if (!replayable) return redisBroadcast(packet, opts);
      packet.nsp = nsp;
      const except = opts.except ?? new Set<string>();
      // Only this node sends it (flags.local, or to its own sockets: with resume on, Socket.IO
      // sends every socket.emit this way): kept under this node's own offset and written at
      // once, in order with the rest of what this node sends its sockets (`ready`, SYNC then ops).
      if (opts.flags?.local || toOwnSocketsOnly(opts.rooms)) {
        packet.data.push(ring.local(opts.rooms, except, packet.data));
        return deliver(packet, opts);
      }
      publish(packet.data, opts.rooms, except).catch((err: Error) => {
        log.debug({ err: err.message }, "resume log publish failed");
        // Never sent (Redis away): this node's connections still hear it, without an offset
        // (it cannot be replayed), and everyone is told to resync once the publisher is back
        // (fanout-gaps.ts). Sent but unanswered (a timeout): Redis may still run it and deliver
        // it to every node, this one included, so nothing more is done here.
        if (err.message.startsWith(NOT_SENT)) deliver(packet, opts);
      });
    },
    persistSession(session): void {
      const kept = JSON.stringify({ sid: session.sid, pid: session.pid, rooms: session.rooms, data: options.sessionData(session.data) });
      // A session kept ahead of a drain (keepSession) is only refreshed: once taken it stays taken.
      const refresh = (session.data as { resumeKept?: boolean } | undefined)?.resumeKept === true;
      const written = refresh ? pub.set(keys.sessions + session.pid, kept, "PX", windowMs, "XX") : pub.set(keys.sessions + session.pid, kept, "PX", windowMs);
      written.catch((err: Error) => log.debug({ err: err.message }, "could not keep a session for resume"));
    },
    async restoreSession(pid, offset): Promise<Session> {
      // Nothing to take when the offset is not here (too old, or from before this node started).
      if (!ring.has(offset)) return null as unknown as Session;
      const kept = await pub.get(keys.sessions + pid);
      if (kept === null) return null as unknown as Session;
      return { ...(JSON.parse(kept) as Omit<Session, "missedPackets">), missedPackets: [] };
    },
    missedSince: (offset, rooms) => ring.missedSince(offset, rooms),
    sessionResumed(pid: string): void {
      pub.del(keys.sessions + pid).catch((err: Error) => log.debug({ err: err.message }, "could not end a resumed session"));
    },
    async sessionsNotTaken(pids: string[]): Promise<string[]> {
      const kept = await Promise.all(pids.map((pid) => pub.exists(keys.sessions + pid)));
      return pids.filter((_, i) => kept[i] !== 0);
    },
  };
  Object.assign(adapter, extension);

  const toOwnSocketsOnly = (rooms: ReadonlySet<string>) => {
    if (rooms.size === 0) return false;
    for (const room of rooms) if (!adapter.nsp.sockets.has(room)) return false;
    return true;
  };
  const onMessage = (channel: Buffer, message: Buffer) => {
    if (!channel.equals(channelName)) return;
    // Whatever arrives here, a listener must not throw: ioredis would rethrow it uncaught.
    try {
      const entry = parseLogEntry(message.toString());
      if (!entry) return void log.warn({ bytes: message.length }, "ignored a malformed resume log entry");
      ring.logged(entry.offset, entry.rooms, entry.except, entry.data);
      deliver({ type: EVENT_PACKET, nsp, data: entry.data }, { rooms: entry.rooms, except: entry.except, flags: {} });
    } catch (err) {
      log.warn({ err }, "could not deliver a resume log entry");
    }
  };
  const channelName = Buffer.from(keys.channel);
  sub.on("messageBuffer", onMessage);
  void sub.subscribe(keys.channel).catch((err: Error) => log.warn({ err: err.message }, "could not subscribe to the resume log"));
  return () => {
    sub.off("messageBuffer", onMessage);
    void sub.unsubscribe(keys.channel).catch(() => {});
  };
}

/** `<offset>|[data, rooms, except]` as the script publishes it; undefined for anything else. */
function parseLogEntry(message: string): { offset: string; data: unknown[]; rooms: Set<string>; except: Set<string> } | undefined {
  const separator = message.indexOf("|");
  const offset = message.slice(0, separator);
  if (separator < 1 || !/^\d+$/.test(offset)) return undefined;
  const parsed: unknown = JSON.parse(message.slice(separator + 1));
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [data, rooms, except] = parsed as unknown[];
  const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
  if (!Array.isArray(data) || typeof data[0] !== "string" || !strings(rooms) || !strings(except)) return undefined;
  data.push(offset);
  return { offset, data, rooms: new Set(rooms), except: new Set(except) };
}

/** What an adapter that keeps sessions for other nodes can tell about them. */
interface KeptSessions {
  /** Of these sessions' private ids, those no node has resumed. */
  sessionsNotTaken(pids: string[]): Promise<string[]>;
}

/**
 * Keeps a connection's session before it is told to leave (a drain), so its next node finds it
 * at once; returns its private id (undefined when resume is off).
 */
export function keepSession(adapter: Adapter, socket: { id: string; rooms: Set<string>; data: { resumeKept?: boolean } }): string | undefined {
  const pid = (socket as unknown as { pid?: string }).pid;
  if (pid === undefined) return undefined;
  adapter.persistSession({ sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data });
  socket.data.resumeKept = true;
  return pid;
}

/** Of the sessions kept with `keepSession`, those nobody resumed yet (all of them where sessions stay on this node). */
export async function sessionsNotTaken(adapter: Adapter, pids: string[]): Promise<string[]> {
  const kept = adapter as Adapter & Partial<KeptSessions>;
  return kept.sessionsNotTaken ? kept.sessionsNotTaken(pids) : pids;
}
