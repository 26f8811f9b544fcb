// What a node publishes that every gateway announces to its own connections, coalesced where
// it is delivered (window-coalescer.ts): channel activity and presence. A gateway notes the
// value in its own coalescer and tells the other gateways through Socket.IO's serverSideEmit
// (Redis pub/sub or sharded pub/sub underneath); a node without sockets (an API node) only
// tells the gateways. Values from peers arrive through Redis, so they are checked first.
import type { InterServerEvents } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";
import type { GatewayServer } from "./gateway";

/** Takes a value to announce. Never throws. */
export type Sink<V> = (value: V) => void;

type PeerEvent = keyof InterServerEvents;

export interface Coalescing<V> {
  note(value: V): void;
  close(): void;
}

/** A gateway's sink; `shared` when other gateways share its fan-out (Redis). */
export function gatewaySink<V>(
  io: GatewayServer,
  { event, coalescer, isValid, shared, log }: { event: PeerEvent; coalescer: Coalescing<V>; isValid(value: unknown): value is V; shared: boolean; log: Logger },
): { sink: Sink<V>; close(): void } {
  if (!shared) return { sink: (value) => coalescer.note(value), close: () => coalescer.close() };
  const fromPeer = (value: unknown) => {
    if (isValid(value)) coalescer.note(value);
  };
  io.on(event, fromPeer);
  const tellPeers = peerSink<V>(io, event, log);
  return {
    sink: (value) => {
      coalescer.note(value);
      tellPeers(value);
    },
    close: () => {
      io.off(event, fromPeer);
      coalescer.close();
    },
  };
}

/** The sink of a node without sockets: it only tells the gateways. */
export function peerSink<V>(peers: { serverSideEmit(event: string, ...args: unknown[]): unknown }, event: PeerEvent, log: Logger): Sink<V> {
  return (value) => {
    try {
      peers.serverSideEmit(event, value);
    } catch (err) {
      log.warn({ err, event }, "could not tell the other gateways");
    }
  };
}

/** Decimal snowflakes as they arrive from peers. */
export const isIdText = (v: unknown): v is string => typeof v === "string" && /^[0-9]{1,20}$/.test(v);
