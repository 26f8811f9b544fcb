// The Socket.IO adapter every Parley gateway runs (in-memory, Redis or sharded Redis underneath):
// the base adapter plus the derived rooms of passive sessions and the allocation-free room walk.
import type { Namespace } from "socket.io";
import { Adapter } from "socket.io-adapter";
import { installDerivedRooms } from "./derived-rooms";
import { installRoomWalk } from "./room-walk";

type AdapterConstructor = typeof Adapter | ((nsp: Namespace) => Adapter);

/**
 * Wraps an adapter class or factory; Socket.IO calls `new` on what it is given, which works for
 * both. `extend` adds to each adapter made (resume across nodes, cluster-resume.ts).
 */
export function parleyAdapter(base: AdapterConstructor = Adapter, extend?: (adapter: Adapter) => void): AdapterConstructor {
  return function parleyRoomsAdapter(nsp: Namespace): Adapter {
    const adapter = new (base as new (nsp: Namespace) => Adapter)(nsp);
    installDerivedRooms(adapter, nsp);
    installRoomWalk(adapter, nsp);
    extend?.(adapter);
    return adapter;
  };
}
