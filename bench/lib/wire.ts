// Load-client connections. Parley is spoken over the public Socket.IO v4 protocol directly on a
// WebSocket (open packet, CONNECT with `auth: {token}`, events, acks, ping/pong): the same
// wire as socket.io-client, at a fraction of its client-side CPU, so on a 2-core machine the
// load clients leave the cores to the server under test. The baseline uses the same frames
// over a bare ws room, so both sides of every comparison parse exactly the same bytes.
import WebSocket from "ws";

export interface Ack {
  ok: boolean;
  error?: { code: string; message: string };
}

export interface LoadConnection {
  /** Resolves once the server accepted the connection (Parley: `ready` received). */
  readonly ready: Promise<void>;
  send(event: string, payload: unknown, frameForBaseline?: string): Promise<Ack>;
  isOpen(): boolean;
  /** Heartbeats answered so far (Parley only). */
  readonly pings: number;
  close(): void;
}

/** Called with the raw text of every `message:create` frame. */
export type OnMessageFrame = (text: string) => void;

/** Acks a connection waits for: events sent with an id, answered by `43<id>[ack]` frames. */
export class PendingAcks {
  private readonly pending = new Map<number, { resolve: (ack: Ack) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {}

  /** Sends `event` with the next ack id over `send`; resolves with its ack, or TIMEOUT. */
  send(send: (frame: string) => void, event: string, payload: unknown): Promise<Ack> {
    const id = this.nextId++;
    return new Promise<Ack>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: "TIMEOUT", message: `no ack within ${this.timeoutMs} ms` } });
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** An ack frame (`43<id>[...]`) arrived. */
  answer(text: string): void {
    const bracket = text.indexOf("[");
    const id = Number(text.slice(2, bracket));
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve((JSON.parse(text.slice(bracket)) as Ack[])[0]!);
  }

  /** The connection closed: every ack still awaited answers DISCONNECTED. */
  failAll(): void {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve({ ok: false, error: { code: "DISCONNECTED", message: `connection closed (ack ${id})` } });
    }
    this.pending.clear();
  }
}

const MESSAGE_CREATE = '42["message:create",';
const CHANNEL_ACTIVITY = '42["channel:activity",';

export function openParley(
  url: string,
  token: string,
  onMessage: OnMessageFrame,
  timeoutMs: number,
  {
    ackTimeoutMs = 30_000,
    onActivity,
    onEvent,
  }: { ackTimeoutMs?: number; onActivity?: OnMessageFrame; /** Every other server event frame (`42[...`) after `ready`. */ onEvent?: OnMessageFrame } = {},
): LoadConnection {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
  const acks = new PendingAcks(ackTimeoutMs);
  let open = false;
  let pings = 0;
  let settle!: { resolve: () => void; reject: (err: Error) => void };
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const timer = setTimeout(() => fail(new Error(`no ready within ${timeoutMs} ms`)), timeoutMs);
  const fail = (err: Error) => {
    clearTimeout(timer);
    settle.reject(err);
    ws.terminate();
  };
  ready.catch(() => {});

  ws.on("message", (data: Buffer) => {
    const text = data.toString();
    if (text.startsWith(MESSAGE_CREATE)) return onMessage(text);
    if (text.startsWith(CHANNEL_ACTIVITY)) return onActivity?.(text);
    switch (text.charCodeAt(0)) {
      case 0x32 /* "2" ping */:
        pings++;
        ws.send("3");
        return;
      case 0x30 /* "0" open */:
        ws.send(`40${JSON.stringify({ token })}`);
        return;
      case 0x31 /* "1" close */:
        ws.terminate();
        return;
    }
    if (text.startsWith('42["ready"')) {
      open = true;
      clearTimeout(timer);
      settle.resolve();
    } else if (onEvent && text.startsWith('42["')) {
      onEvent(text);
    } else if (text.startsWith("44")) {
      fail(new Error(`connect refused: ${text.slice(2)}`));
    } else if (text.startsWith("43")) {
      acks.answer(text);
    }
  });
  ws.on("error", (err) => fail(err));
  ws.on("close", () => {
    open = false;
    fail(new Error("closed before ready"));
    acks.failAll();
  });

  return {
    ready,
    isOpen: () => open,
    get pings() {
      return pings;
    },
    send(event, payload) {
      if (!open) return Promise.resolve({ ok: false, error: { code: "DISCONNECTED", message: "not connected" } });
      return acks.send((frame) => ws.send(frame), event, payload);
    },
    close: () => ws.terminate(),
  };
}

/** A client of the bare ws baseline: joins `room`; a "send" writes the frame as is. */
export function openBaseline(url: string, room: string, onMessage: OnMessageFrame, timeoutMs: number): LoadConnection {
  const ws = new WebSocket(`${url}?room=${encodeURIComponent(room)}`, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
  let open = false;
  const ready = new Promise<void>((resolve, reject) => {
    ws.once("open", () => {
      open = true;
      resolve();
    });
    ws.once("error", reject);
  });
  ready.catch(() => {});
  ws.on("error", () => {});
  ws.on("message", (data: Buffer) => {
    const text = data.toString();
    if (text.startsWith(MESSAGE_CREATE)) onMessage(text);
  });
  ws.on("close", () => (open = false));
  return {
    ready,
    isOpen: () => open,
    pings: 0,
    send(_event, _payload, frame) {
      if (!open || frame === undefined) return Promise.resolve({ ok: false, error: { code: "DISCONNECTED", message: "not connected" } });
      ws.send(frame);
      return Promise.resolve({ ok: true });
    },
    close: () => ws.terminate(),
  };
}
