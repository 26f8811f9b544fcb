// Fan-out across nodes through Redis. Gateway nodes put Socket.IO's Redis adapter under their
// server, so a broadcast on any node reaches sockets on every node; API nodes hold no sockets
// and publish into the same channels (with @socket.io/redis-emitter, or through a socket-less
// Socket.IO server when sharded pub/sub is on, which the emitter cannot speak). When those
// connections come back after a cut, the clients that may have missed events are told to
// resync (fanout-gaps.ts).
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { Server } from "socket.io";
import { createRedisClient } from "../../lib/adapters/redis/client";
import type { Logger } from "../../lib/logger";
import type { RedisConfig } from "../config";
import { parleyAdapter } from "./adapter";
import { announceFanoutGaps } from "./fanout-gaps";
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

/** Puts the Redis adapter under a gateway's Socket.IO server; returns its cleanup. */
export function useRedisAdapter(io: Server, config: RedisConfig, log: Logger): () => void {
  const { adapter, pub, sub } = adapterFor(config, log);
  io.adapter(parleyAdapter(adapter));
  const stopWatching = announceFanoutGaps({ subscriber: { client: sub, local: io.local }, publisher: { client: pub, everyone: io } }, log);
  return () => {
    stopWatching();
    pub.disconnect();
    sub.disconnect();
  };
}

/**
 * The room target of a node without sockets of its own, and the sinks that tell the gateways
 * about new messages' activity and presence changes (both emitters speak Socket.IO's serverSideEmit).
 */
export function createRemoteRoomTarget(config: RedisConfig, log: Logger): { target: RoomTarget; sinks: AnnouncementSinks; close(): void } {
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
  return { target: emitter as unknown as RoomTarget, sinks: sinksOver(emitter), close };
}
