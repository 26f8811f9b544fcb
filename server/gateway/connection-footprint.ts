// What an idle gateway connection keeps in memory, trimmed to what Parley still reads once a
// socket is authenticated. Heap snapshots of thousands of idle sockets (docs/performance.md,
// "connections") showed three things held per connection for nothing:
// - the HTTP upgrade request (headers, raw headers, query, URL, its stream state), kept by
//   engine.io twice: as `conn.request`, and through the `close` listener its WebSocketResponse
//   leaves on the TCP socket (why `conn.request = null` alone frees nothing);
// - engine.io's `onUpgradeError` listener, left on every WebSocket that connected directly
//   (it is removed only when a polling connection upgrades);
// - `socket.handshake`'s copies of them (headers, query, auth token, a date string);
// - EventEmitter listener tables in V8's dictionary mode: `{ __proto__: null }`, which every
//   EventEmitter starts from, is a dictionary (~150–300 bytes even with three keys), where the
//   same keys in a fast-mode object cost a fraction of it.
// Nothing here changes what a socket sends or receives. Parley reads only `socket.data`, the
// socket id and its rooms after the handshake; `socket.handshake` keeps its shape (address,
// issued, secure, xdomain, url) with empty headers, query and auth. Written against engine.io
// 6.6 and ws 8 (tests/integration/connection-footprint.test.ts fails when they change).
import type { Socket } from "socket.io";

interface Emitter {
  _events?: Record<string | symbol, unknown>;
  rawListeners?(event: string): Array<{ listener?: unknown; name?: string }>;
  removeListener?(event: string, listener: unknown): unknown;
}

interface EngineConnection extends Emitter {
  request?: unknown;
  transport?: Emitter & { name?: string; socket?: Emitter & { _socket?: Emitter } };
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

// engine.io's WebSocketResponse constructor: `socket.once("close", () => this.emit("close"))`.
const RESPONSE_CLOSE_RELAY = '() => this.emit("close")';

/**
 * Forgets the upgrade request. Returns whether both of engine.io's references were found and
 * dropped (false means the library changed shape: the request stays, nothing breaks).
 */
export function dropUpgradeRequest(socket: Socket): boolean {
  const conn = socket.conn as unknown as EngineConnection;
  const tcp = conn.transport?.name === "websocket" ? conn.transport.socket?._socket : undefined;
  let relayDropped = false;
  for (const wrapper of tcp?.rawListeners?.("close") ?? []) {
    const original = wrapper.listener;
    if (typeof original === "function" && Function.prototype.toString.call(original) === RESPONSE_CLOSE_RELAY) {
      tcp!.removeListener!("close", wrapper);
      relayDropped = true;
    }
  }
  const ws = conn.transport?.name === "websocket" ? conn.transport.socket : undefined;
  for (const listener of ws?.rawListeners?.("error") ?? []) {
    if (typeof listener === "function" && (listener as { name?: string }).name === "onUpgradeError") ws!.removeListener!("error", listener);
  }
  const hadRequest = conn.request != null;
  conn.request = null;
  return relayDropped && hadRequest;
}

/** Empties what `socket.handshake` copied from the request once the middleware has read it. */
export function slimHandshake(socket: Socket): void {
  const handshake = socket.handshake as unknown as Record<string, unknown>;
  handshake.headers = EMPTY;
  handshake.query = EMPTY;
  handshake.auth = EMPTY;
  handshake.time = "";
}

/** Rebuilds an EventEmitter's listener table as a fast-mode object with the same entries. */
export function compactListeners(emitter: Emitter | undefined): void {
  const events = emitter?._events;
  if (!events) return;
  // `Object.setPrototypeOf({}, null)` stays in fast mode; a `{ __proto__: null }` literal does not.
  const fast = Object.setPrototypeOf({}, null) as Record<string | symbol, unknown>;
  for (const key of Reflect.ownKeys(events)) fast[key] = events[key];
  emitter!._events = fast;
}

/** The listener tables of one connection: Socket.IO's socket, engine.io's socket and transport, the WebSocket. */
export function compactConnectionListeners(socket: Socket): void {
  const conn = socket.conn as unknown as EngineConnection;
  compactListeners(socket as unknown as Emitter);
  compactListeners(conn);
  compactListeners(conn.transport);
  compactListeners(conn.transport?.socket);
}

/** Everything above, for a socket whose handshake Parley has authenticated and whose handlers are registered. */
export function lightenConnection(socket: Socket): void {
  dropUpgradeRequest(socket);
  slimHandshake(socket);
  compactConnectionListeners(socket);
}
