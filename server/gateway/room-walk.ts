// The adapter's room walk, without its per-broadcast de-duplication Sets. Socket.IO's adapter
// visits the sockets of a broadcast through `apply`, which collects every visited socket id
// into a fresh Set (and the sockets of `except` rooms into another) so that a socket in two
// of the target rooms is written once. At thousands of recipients that Set was the largest
// JavaScript cost of fan-out after the writes themselves (docs/performance.md).
//
// This walk gives the same answer without allocating per broadcast: it visits the sockets of
// target room i unless they are in an `except` room or in an earlier target room (they were
// visited there), asking those rooms' own Sets. `message:create` goes to [all:S, focus:C]:
// walking the big room first costs nothing extra, and only the focusers are checked against it.
//
// Each socket is visited at most once by every visitor that writes (broadcasts): writing does
// not change room membership. The adapter's other visitors (socketsJoin/Leave, disconnect) change
// only their own socket's rooms, and repeating one of them is a no-op, so the outcome is the
// adapter's in every case. A broadcast to every socket (no rooms) takes the adapter's own walk.
import type { Namespace } from "socket.io";
import type { Adapter, BroadcastOptions } from "socket.io-adapter";

type Visit = (socket: unknown) => void;

/** Replaces `adapter.apply` (the walk of broadcasts and of remote room operations) with the one above. */
export function installRoomWalk(adapter: Adapter, nsp: Namespace): void {
  const adapterWalk = (adapter as unknown as { apply(opts: BroadcastOptions, visit: Visit): void }).apply.bind(adapter);
  // The rooms a visited socket must not be in: the except rooms, then each target room once walked.
  // Reused from walk to walk; a walk started by a visitor of another gets an array of its own.
  const spare: Array<Set<string>> = [];
  let walking = false;
  Object.assign(adapter, {
    apply(opts: BroadcastOptions, visit: Visit): void {
      if (opts.rooms.size === 0) return adapterWalk(opts, visit);
      const skip = walking ? [] : spare;
      const outer = walking;
      walking = true;
      try {
        if (opts.except !== undefined) for (const room of opts.except) addRoom(adapter, room, skip);
        for (const room of opts.rooms) {
          const ids = adapter.rooms.get(room);
          if (ids === undefined) continue;
          for (const id of ids) {
            if (skip.length > 0 && inAny(skip, id)) continue;
            const socket = nsp.sockets.get(id);
            if (socket) visit(socket);
          }
          skip.push(ids);
        }
      } finally {
        skip.length = 0;
        walking = outer;
      }
    },
  });
}

function addRoom(adapter: Adapter, room: string, into: Array<Set<string>>): void {
  const ids = adapter.rooms.get(room);
  if (ids !== undefined) into.push(ids);
}

function inAny(rooms: Array<Set<string>>, id: string): boolean {
  for (let i = 0; i < rooms.length; i++) if (rooms[i]!.has(id)) return true;
  return false;
}
