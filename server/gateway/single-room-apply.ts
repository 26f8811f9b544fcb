// The adapter's room walk, without its de-duplication when there is nothing to de-duplicate.
// Socket.IO's adapter visits the sockets of a broadcast through `apply`, which collects every
// visited socket id into a fresh Set so a socket in two of the target rooms is written once.
// Parley's hottest broadcast (`message:create`) targets exactly one room with no exceptions,
// where that Set is pure cost: at thousands of recipients it was the largest JavaScript cost
// of fan-out after the writes themselves (docs/performance.md). Any other shape of broadcast
// (several rooms, `except`, every socket) takes the adapter's own walk.
import type { Namespace } from "socket.io";
import { Adapter, type BroadcastOptions } from "socket.io-adapter";

type AdapterConstructor = typeof Adapter | ((nsp: Namespace) => Adapter);
type Visit = (socket: unknown) => void;

/** Wraps an adapter class or factory (in-memory, Redis, sharded Redis) with the single-room walk. */
export function withSingleRoomWalk(base: AdapterConstructor = Adapter): AdapterConstructor {
  return function singleRoomAdapter(nsp: Namespace): Adapter {
    // Socket.IO calls `new` on the constructor it is given; a factory function works either way.
    const adapter = new (base as new (nsp: Namespace) => Adapter)(nsp);
    const walk = (adapter as unknown as { apply(opts: BroadcastOptions, visit: Visit): void }).apply.bind(adapter);
    Object.assign(adapter, {
      apply(opts: BroadcastOptions, visit: Visit): void {
        if (opts.rooms.size !== 1 || (opts.except !== undefined && opts.except.size > 0)) return walk(opts, visit);
        const [room] = opts.rooms;
        for (const id of adapter.rooms.get(room!) ?? []) {
          const socket = nsp.sockets.get(id);
          if (socket) visit(socket);
        }
      },
    });
    return adapter;
  };
}
