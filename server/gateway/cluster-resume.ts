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
//   window and taken once (GETDEL) by whichever node the client comes back to. What it
//   missed is replayed only once the credential has been checked again (resume.ts, gateway.ts).
// A broadcast only this node sends (flags.local: coalesced presence and activity) is kept in
// the ring under an offset of its own and delivered at once. Packets with acks, volatile ones
// and every other adapter operation (room joins, serverSideEmit) keep the Redis adapter's way.
import type { Redis } from "ioredis";
import { Adapter, type BroadcastOptions, type Session } from "socket.io-adapter";
import type { Logger } from "../../lib/logger";
import { ResumeRing } from "./resume-ring";
import type { MissedEvents } from "./resume";

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

// A counter that starts from Redis's clock in µs, so that offsets stay unique when Redis
// loses the key (a restart without persistence). `%d`: Lua 5.1 writes numbers this big in
// scientific notation otherwise.
const LOG_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])))
end
local offset = string.format('%d', redis.call('INCR', KEYS[1]))
redis.call('PUBLISH', ARGV[2], offset .. '|' .. ARGV[1])
return offset`;

type LogClient = Redis & { parleyResumeLog(counter: string, payload: string, channel: string): Promise<string> };

/** Publishes an event into the resume log (gateway and API nodes alike); resolves with its offset. */
export function resumeLogPublisher(pub: Redis, keys: ResumeLogKeys) {
  if (!("parleyResumeLog" in pub)) pub.defineCommand("parleyResumeLog", { numberOfKeys: 1, lua: LOG_SCRIPT });
  return (data: unknown[], rooms: Iterable<string>, except: Iterable<string>): Promise<string> =>
    (pub as LogClient).parleyResumeLog(keys.counter, JSON.stringify([data, [...rooms], [...except]]), keys.channel);
}

/** socket.io-parser's PacketType.EVENT. */
const EVENT_PACKET = 2;
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

  const extension: MissedEvents & Pick<Adapter, "broadcast" | "persistSession" | "restoreSession"> = {
    broadcast(packet: BroadcastPacket, opts: BroadcastOptions): void {
      const replayable = packet.type === EVENT_PACKET && packet.id === undefined && opts.flags?.volatile === undefined;
      if (!replayable) return redisBroadcast(packet, opts);
      packet.nsp = nsp;
      const except = opts.except ?? new Set<string>();
      if (opts.flags?.local) {
        packet.data.push(ring.local(opts.rooms, except, packet.data));
        return deliver(packet, opts);
      }
      publish(packet.data, opts.rooms, except).catch((err: Error) => {
        // Redis is away: this node's connections still hear it (without an offset: it cannot
        // be replayed), and everyone is told to resync once the publisher is back (fanout-gaps.ts).
        log.debug({ err: err.message }, "resume log publish failed");
        deliver(packet, opts);
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
      const kept = await pub.getdel(keys.sessions + pid);
      if (kept === null) return null as unknown as Session;
      return { ...(JSON.parse(kept) as Omit<Session, "missedPackets">), missedPackets: [] };
    },
    missedSince: (offset, rooms) => ring.missedSince(offset, rooms),
  };
  Object.assign(adapter, extension);

  const onMessage = (channel: string, message: string) => {
    if (channel !== keys.channel) return;
    const separator = message.indexOf("|");
    const offset = message.slice(0, separator);
    const [data, roomList, exceptList] = JSON.parse(message.slice(separator + 1)) as [unknown[], string[], string[]];
    data.push(offset);
    const rooms = new Set(roomList);
    const except = new Set(exceptList);
    ring.logged(offset, rooms, except, data);
    deliver({ type: EVENT_PACKET, nsp, data }, { rooms, except, flags: {} });
  };
  sub.on("message", onMessage);
  void sub.subscribe(keys.channel).catch((err: Error) => log.warn({ err: err.message }, "could not subscribe to the resume log"));
  return () => {
    sub.off("message", onMessage);
  };
}

/** Keeps a connection's session before it is told to leave (a drain), so its next node finds it at once. */
export function keepSession(adapter: Adapter, socket: { id: string; rooms: Set<string>; data: { resumeKept?: boolean } }): void {
  const pid = (socket as unknown as { pid?: string }).pid;
  if (pid === undefined) return;
  adapter.persistSession({ sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data });
  socket.data.resumeKept = true;
}
