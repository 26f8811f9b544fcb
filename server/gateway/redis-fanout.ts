// Fan-out across nodes through Redis. Gateway nodes put Socket.IO's Redis adapter under their
// server, so a broadcast on any node reaches sockets on every node; API nodes hold no sockets
// and publish into the same channels (with @socket.io/redis-emitter, or through a socket-less
// Socket.IO server when sharded pub/sub is on, which the emitter cannot speak). When those
// connections come back after a cut, the clients that may have missed events are told to
// resync (fanout-gaps.ts). With resume on (not with sharded pub/sub), the broadcasts that can
// be replayed go through the resume log instead, from gateways and API nodes alike
// (cluster-resume.ts).
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { Server } from "socket.io";
import { createRedisClient } from "../../lib/adapters/redis/client";
import type { Logger } from "../../lib/logger";
import type { RedisConfig } from "../config";
import { parleyAdapter } from "./adapter";
import { installClusterResume, resumeLogKeys, resumeLogPublisher } from "./cluster-resume";
import { announceFanoutGaps } from "./fanout-gaps";
import { loggedRoomTarget } from "./logged-room-target";
import { peerActivity } from "./channel-activity";
import { peerPresence } from "./presence-announcements";
import type { AnnouncementSinks, RoomTarget } from "./room-event-bus";

/** Channel names shared by adapters and emitters of one deployment. */
const channelKey = (config: RedisConfig) => `${config.prefix}socket.io`;

function adapterFor(config: RedisConfig, log: Logger) {
  const pub = createRedisClient(config.url, "publisher", log);
  const sub = createRedisClient(config.url, "subscriber", log);
  const adapter = config.sharded
    ? createShardedAdapter(pub, sub, { channelPrefix: channelKey(config) })
    : createAdapter(pub, sub, { key: channelKey(config) });
  return { adapter, pub, sub };
}

/** Resume across nodes: how long, and what of a socket's data a resumed connection keeps. */
export interface ClusterResume {
  windowMs: number;
  sessionData(data: unknown): unknown;
}

/** Whether the broadcasts of this deployment go through the resume log (every node must agree). */
const resumesAcrossNodes = (config: RedisConfig, windowMs: number) => windowMs > 0 && !config.sharded;

/** Puts the Redis adapter under a gateway's Socket.IO server; returns its cleanup. */
export function useRedisAdapter(io: Server, config: RedisConfig, log: Logger, resume?: ClusterResume): () => void {
  const { adapter, pub, sub } = adapterFor(config, log);
  const stops: Array<() => void> = [];
  const withResume = resume && resumesAcrossNodes(config, resume.windowMs) ? resume : undefined;
  const keys = resumeLogKeys(config.prefix);
  io.adapter(parleyAdapter(adapter, withResume && ((made) => void stops.push(installClusterResume(made, { pub, sub, keys, log, ...withResume })))));
  const stopWatching = announceFanoutGaps({ subscriber: { client: sub, local: io.local }, publisher: { client: pub, everyone: io } }, log);
  return () => {
    stopWatching();
    for (const stop of stops) stop();
    pub.disconnect();
    sub.disconnect();
  };
}

/**
 * The room target of a node without sockets of its own, and the sinks that tell the gateways
 * about new messages' activity and presence changes (both emitters speak Socket.IO's serverSideEmit).
 */
export function createRemoteRoomTarget(config: RedisConfig, log: Logger, resumeWindowMs = 0): { target: RoomTarget; sinks: AnnouncementSinks; close(): void } {
  const sinksOver = (peers: Parameters<typeof peerActivity>[0]): AnnouncementSinks => ({ activity: peerActivity(peers, log), presence: peerPresence(peers, log) });
  if (config.sharded) {
    const io = new Server();
    const close = useRedisAdapter(io, config, log);
    // Not io.close(): a Server never attached to an HTTP server has no engine, and its close()
    // rejects (an unhandled rejection at shutdown). It holds nothing but the adapter's clients.
    return { target: io as unknown as RoomTarget, sinks: sinksOver(io), close };
  }
  const pub = createRedisClient(config.url, "publisher", log);
  const emitter = new Emitter(pub, { key: channelKey(config) });
  const stopWatching = announceFanoutGaps({ publisher: { client: pub, everyone: emitter } }, log);
  const close = () => {
    stopWatching();
    pub.disconnect();
  };
  const rooms = emitter as unknown as RoomTarget;
  const target = resumesAcrossNodes(config, resumeWindowMs) ? loggedRoomTarget(rooms, resumeLogPublisher(pub, resumeLogKeys(config.prefix)), log) : rooms;
  return { target, sinks: sinksOver(emitter), close };
}
