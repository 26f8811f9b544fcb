// Rooms that follow a socket's `server:{S}` rooms by themselves. Every socket in `server:S` is
// also in exactly one of `all:S` (it never sent `channels:focus`: it hears every message of S)
// and `passive:S` (it did), and a passive socket is in `focus:C` for each channel C of S it
// focuses. `message:create` goes to [all:S, focus:C], `channel:activity` to passive:S except
// focus:C (one single-room broadcast each, see room-event-bus.ts).
//
// The rule lives in the adapter's own membership calls (`addAll`, `del`; `delAll` drops every
// room anyway), which every way of joining ends in: `socket.join`, and `socketsJoin`/
// `socketsLeave` from another node or an API node's emitter, which each node applies to its
// own sockets through the same calls. So a server joined or left anywhere, at any moment
// (also while a focus is being applied), keeps the derived rooms right. They are real rooms
// rather than a filter at broadcast time, so every adapter (in-memory, Redis, sharded) and
// the Redis emitter of API nodes address them like any other room.
import type { Namespace } from "socket.io";
import type { Adapter } from "socket.io-adapter";
import type { Channel } from "../../lib/domain/types";
import { rooms } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";

/** What a socket's `data` holds about focus (the gateway's SocketData includes it). */
export interface FocusState {
  /** Set by the first `channels:focus`; a connection stays passive for its life. */
  passive?: boolean;
  /** The channels it focuses, with their servers (at most 10). */
  focused?: Array<{ channelId: Snowflake; serverId: Snowflake }>;
}

const SERVER_PREFIX = rooms.server("");

/** Makes the adapter keep each socket's derived rooms in step with its `server:` rooms. */
export function installDerivedRooms(adapter: Adapter, nsp: Namespace): void {
  const addAll = adapter.addAll.bind(adapter);
  const del = adapter.del.bind(adapter);
  Object.assign(adapter, {
    addAll(id: string, added: Set<string>): void {
      addAll(id, added);
      // A socket being restored (connection state recovery) rejoins before it is listed, with
      // its derived rooms among the rooms it had: nothing to derive then.
      const state = nsp.sockets.get(id)?.data as FocusState | undefined;
      if (state === undefined) return;
      let derived: Set<string> | undefined;
      for (const room of added) {
        if (!room.startsWith(SERVER_PREFIX)) continue;
        derived ??= new Set();
        for (const r of derivedRooms(room.slice(SERVER_PREFIX.length), state)) derived.add(r);
      }
      if (derived) addAll(id, derived);
    },
    del(id: string, room: string): void {
      del(id, room);
      if (!room.startsWith(SERVER_PREFIX)) return;
      const serverId = room.slice(SERVER_PREFIX.length);
      // Whichever of all:S and passive:S it is in.
      del(id, rooms.all(serverId));
      del(id, rooms.passive(serverId));
      // Leaving a server unfocuses its channels: joining it again does not bring them back.
      const state = nsp.sockets.get(id)?.data as FocusState | undefined;
      if (!state?.focused?.some((f) => f.serverId === serverId)) return;
      for (const f of state.focused) if (f.serverId === serverId) del(id, rooms.focus(f.channelId));
      state.focused = state.focused.filter((f) => f.serverId !== serverId);
    },
  });
}

/** The rooms a socket in `server:{serverId}` is also in, given its focus state. */
function derivedRooms(serverId: Snowflake, state: FocusState): string[] {
  if (!state.passive) return [rooms.all(serverId)];
  const focus = (state.focused ?? []).filter((f) => f.serverId === serverId).map((f) => rooms.focus(f.channelId));
  return [rooms.passive(serverId), ...focus];
}

/** The part of a Socket.IO socket that focusing touches. */
interface FocusableSocket {
  data: FocusState;
  rooms: Set<string>;
  join(room: string | string[]): unknown;
  leave(room: string): unknown;
}

/**
 * Applies a `channels:focus`: the socket becomes passive (for its life) and focuses exactly
 * `channels`. A focus room is joined only while the socket is in the channel's server room:
 * a focused channel of a server the socket has not joined yet (or has just left) follows that
 * server's room through `installDerivedRooms`, so no message of a server it is not in can reach it.
 */
export function applyFocus(socket: FocusableSocket, channels: Channel[]): void {
  const before = socket.data.focused ?? [];
  const becomesPassive = !socket.data.passive;
  socket.data.passive = true;
  socket.data.focused = channels.map((c) => ({ channelId: c.id, serverId: c.serverId }));
  const kept = new Set(channels.map((c) => c.id));
  for (const f of before) if (!kept.has(f.channelId)) socket.leave(rooms.focus(f.channelId));
  const serverIds = [...socket.rooms].filter((room) => room.startsWith(SERVER_PREFIX)).map((room) => room.slice(SERVER_PREFIX.length));
  const joins: string[] = [];
  for (const serverId of serverIds) {
    if (becomesPassive) {
      socket.leave(rooms.all(serverId));
      joins.push(rooms.passive(serverId));
    }
    for (const c of channels) if (c.serverId === serverId) joins.push(rooms.focus(c.id));
  }
  if (joins.length > 0) socket.join(joins);
}

/**
 * Leaves every `server:` room (with its derived rooms and focus) of a server the user is no
 * longer in. Also for a socket that is still connecting (a resumed session's rooms are from
 * when it dropped), which `installDerivedRooms` cannot see: its focus rooms are left here.
 */
export function leaveServersNotIn(socket: FocusableSocket, currentServerIds: Iterable<Snowflake>): void {
  const current = new Set([...currentServerIds].map(rooms.server));
  for (const room of [...socket.rooms]) {
    if (!room.startsWith(SERVER_PREFIX) || current.has(room)) continue;
    const serverId = room.slice(SERVER_PREFIX.length);
    socket.leave(room);
    socket.leave(rooms.all(serverId));
    socket.leave(rooms.passive(serverId));
    for (const f of socket.data.focused ?? []) if (f.serverId === serverId) socket.leave(rooms.focus(f.channelId));
    if (socket.data.focused) socket.data.focused = socket.data.focused.filter((f) => f.serverId !== serverId);
  }
}
