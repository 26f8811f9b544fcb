// The broadcast fast path. Socket.IO encodes a broadcast once and hands every recipient the
// same pre-encoded WebSocket frame; engine.io then wraps it, per socket, in a packet object, a
// write buffer, flush and drain events and a write callback, which at thousands of recipients
// costs about as much CPU as the write itself (docs/performance.md). When nothing is waiting
// ahead of the frame on a socket, this hands the frame's bytes straight to the WebSocket, as
// engine.io itself would (`_sender.sendFrame`), minus that bookkeeping. Everything else (HTTP
// long-polling, an upgrade in progress, a packet still in engine.io's buffer, compression,
// volatile packets, packets that are not broadcasts) takes Socket.IO's own path, so the order
// of everything a socket receives is unchanged. Frames due to a socket in quick succession are
// coalesced into one write (burst-coalescer.ts).
import { burstCoalescer, type Corkable } from "./burst-coalescer";

/** The parts of engine.io's socket and its WebSocket transport this relies on. */
interface EngineConnection {
  readyState: string;
  upgrading: boolean;
  writeBuffer: unknown[];
  transport: {
    name: string;
    socket?: { readyState: number; _sender?: { sendFrame(list: Buffer[], cb?: () => void): void }; _socket?: Corkable };
    _canSendPreEncodedFrame?(packet: { options: unknown }): boolean;
  };
}

interface WriteOptions {
  volatile?: boolean;
  wsPreEncodedFrame?: Buffer[];
  /** The frame as one buffer, made by the first recipient of a broadcast, reused by the rest. */
  parleyFrame?: Buffer[];
  /** When the broadcast's first frame was written (one clock read per broadcast). */
  parleyAt?: number;
}

interface EngineClient {
  conn: EngineConnection;
  writeToEngine(packets: unknown, opts: WriteOptions): void;
}

const WS_OPEN = 1;
const installed = new WeakSet<object>();

/** Makes this connection's broadcast frames skip engine.io's per-packet bookkeeping when it can. */
export function sendBroadcastFramesDirectly(client: unknown): void {
  const engineClient = client as EngineClient;
  if (installed.has(engineClient)) return;
  installed.add(engineClient);
  const viaEngine = engineClient.writeToEngine.bind(engineClient);
  const last = { frameAt: Number.NEGATIVE_INFINITY };
  engineClient.writeToEngine = (packets, opts) => {
    if (!writeFrame(engineClient.conn, opts, last)) viaEngine(packets, opts);
  };
}

function writeFrame(conn: EngineConnection, opts: WriteOptions, last: { frameAt: number }): boolean {
  const frame = opts.wsPreEncodedFrame;
  if (!frame || opts.volatile) return false;
  // Anything queued ahead (engine.io waits for its previous write) must go out first.
  if (conn.readyState !== "open" || conn.upgrading || conn.writeBuffer.length > 0) return false;
  const { transport } = conn;
  const ws = transport.socket;
  if (transport.name !== "websocket" || ws?.readyState !== WS_OPEN || !ws._sender) return false;
  // The same test engine.io makes before it sends a pre-encoded frame (no compression, ws internals present).
  if (transport._canSendPreEncodedFrame?.({ options: opts }) !== true) return false;
  opts.parleyFrame ??= [frame.length === 1 ? frame[0]! : Buffer.concat(frame)];
  const now = (opts.parleyAt ??= performance.now());
  if (ws._socket) burstCoalescer.beforeWrite(ws._socket, now, last.frameAt);
  last.frameAt = now;
  ws._sender.sendFrame(opts.parleyFrame);
  return true;
}
