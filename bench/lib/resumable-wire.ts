// A load connection that lives through gateway restarts the way the web client does
// (components/gateway/directory.ts, connection.ts), on the raw Socket.IO v4 wire like wire.ts:
// - `gateway:reconnect {url}`: close the WebSocket, open a new one at that url after Socket.IO's
//   jittered delay, keeping the Socket.IO session;
// - a transport lost otherwise, or a failed attempt: ask the directory again, back off (1 s
//   doubling to 15 s, ±50 %), bounded in attempts;
// - connection state recovery as socket.io-client 4.8 speaks it: a CONNECT reply
//   `40{"sid","pid"}` names the session; every broadcast event carries its offset as the last
//   string argument; to resume, CONNECT carries `{token, pid, offset}`. The same pid back and no
//   `ready` is a resume (missed events follow, in order); a new pid and a `ready` is a fresh start.
import WebSocket from "ws";
import { PendingAcks, type Ack, type LoadConnection } from "./wire";

const RECONNECT = { delayMs: 1_000, maxDelayMs: 15_000, randomization: 0.5, maxAttempts: 30 };
const GATEWAY_RECONNECT = '42["gateway:reconnect",';

export interface ResumeHooks {
  /** The directory's answer for this user (GET /api/v1/gateway), as an http(s) URL. */
  lookUp(): Promise<string>;
  onMessage(frame: string): void;
  /** An open connection lost its transport (told to move, or dropped). */
  onLost(): void;
  /** `gateway:resync`: live events may have been lost while the connection stayed up. */
  onResync(): void;
  /**
   * Every later connect of the session: resumed (same pid, no `ready`) or fresh (`ready`); ms
   * since the transport was lost, and since the successful attempt's WebSocket was opened.
   */
  onReconnected(resumed: boolean, downMs: number, attemptMs: number): void;
  /** Something the contract rules out: a `ready` on a resumed connection. */
  onAnomaly(what: string): void;
}

export interface ResumableConnection extends LoadConnection {
  /** Why the transport went away so far: told to move (`gateway:reconnect`), lost while open, attempts that never opened. */
  readonly moves: { notices: number; drops: number; failedAttempts: number; gaveUp: boolean; resumed: number; fresh: number };
  /** The gateway (http URL) of the current or next attempt. */
  readonly gateway: string;
}

export const socketUrlOf = (gateway: string) => `${gateway.replace(/^http/, "ws").replace(/\/+$/, "")}/gateway/?EIO=4&transport=websocket`;

/** The offset a broadcast frame carries (`42["event",{…},"<offset>"]`), if any. */
export function offsetOf(frame: string): string | undefined {
  if (!frame.endsWith('"]')) return undefined;
  const at = frame.lastIndexOf(',"');
  if (at < 0) return undefined;
  const offset = frame.slice(at + 2, -2);
  return offset.includes('"') ? undefined : offset;
}

export function openResumable(firstGateway: string, token: string, hooks: ResumeHooks, timeoutMs: number, ackTimeoutMs = 30_000): ResumableConnection {
  let gateway = firstGateway;
  let ws: WebSocket | undefined;
  let open = false;
  let closed = false;
  let everOpen = false;
  let pid: string | undefined;
  let offset: string | undefined;
  /** This attempt's CONNECT reply named the session we had: no `ready` comes. */
  let resumedNow = false;
  let lostAt = 0;
  let attemptAt = 0;
  let attempts = 0;
  let retry: NodeJS.Timeout | undefined;
  let pings = 0;
  const acks = new PendingAcks(ackTimeoutMs);
  const moves = { notices: 0, drops: 0, failedAttempts: 0, gaveUp: false, resumed: 0, fresh: 0 };
  let settle!: { resolve: () => void; reject: (err: Error) => void };
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {});
  const firstTimer = setTimeout(() => giveUp(new Error(`no ready within ${timeoutMs} ms`)), timeoutMs);

  const failPending = () => acks.failAll();
  const giveUp = (err: Error) => {
    moves.gaveUp = everOpen;
    closed = true;
    clearTimeout(firstTimer);
    clearTimeout(retry);
    settle.reject(err);
    ws?.terminate();
    failPending();
  };
  const becameOpen = () => {
    open = true;
    attempts = 0;
    if (!everOpen) {
      everOpen = true;
      clearTimeout(firstTimer);
      settle.resolve();
    } else {
      moves[resumedNow ? "resumed" : "fresh"]++;
      hooks.onReconnected(resumedNow, performance.now() - lostAt, performance.now() - attemptAt);
    }
  };
  /** Socket.IO's backoff: attempt n waits delay x 2^n (capped), jittered by ±randomization. */
  const backoffMs = () => {
    const base = Math.min(RECONNECT.maxDelayMs, RECONNECT.delayMs * 2 ** Math.min(attempts, 10));
    return Math.max(0, base * (1 + RECONNECT.randomization * (2 * Math.random() - 1)));
  };
  const scheduleAttempt = (askDirectory: boolean) => {
    if (closed) return;
    if (attempts >= RECONNECT.maxAttempts) return giveUp(new Error(`gave up after ${attempts} attempts`));
    const wait = backoffMs();
    attempts++;
    const lookUp = askDirectory ? hooks.lookUp().then((url) => (gateway = url), () => {}) : Promise.resolve();
    retry = setTimeout(() => void lookUp.then(attempt), wait);
  };
  /** The transport went away: told to move, lost while open (a drop), or an attempt that never opened. */
  const onTransportGone = (ended: WebSocket, told: boolean) => {
    if (ended !== ws || closed) return;
    ws = undefined;
    const wasOpen = open;
    if (wasOpen) {
      lostAt = performance.now();
      hooks.onLost();
    }
    open = false;
    failPending();
    if (!everOpen && !told) return giveUp(new Error("closed before ready"));
    if (!wasOpen && !told) moves.failedAttempts++;
    else if (!told) moves.drops++;
    // Told where to go: the next attempt goes there; otherwise the directory is asked again.
    scheduleAttempt(!told);
  };

  const attempt = () => {
    if (closed) return;
    resumedNow = false;
    attemptAt = performance.now();
    let connected = false;
    let told = false;
    const socket = new WebSocket(socketUrlOf(gateway), { perMessageDeflate: false, handshakeTimeout: Math.min(timeoutMs, 20_000) });
    ws = socket;
    socket.on("message", (data: Buffer) => {
      // Once closed on our side, later frames are dropped, as engine.io-client drops them.
      if (socket !== ws) return;
      const text = data.toString();
      if (text.startsWith("42[")) {
        if (pid !== undefined) offset = offsetOf(text) ?? offset;
        if (text.startsWith('42["message:create",')) return hooks.onMessage(text);
        if (text.startsWith('42["ready"')) {
          if (resumedNow) hooks.onAnomaly("ready after a resumed CONNECT");
          else if (connected) becameOpen();
          return;
        }
        if (text.startsWith('42["gateway:resync"')) return hooks.onResync();
        if (text.startsWith(GATEWAY_RECONNECT)) {
          moves.notices++;
          told = true;
          const { url } = (JSON.parse(text.slice(2)) as [string, { url?: unknown }])[1];
          if (typeof url === "string") gateway = url;
          socket.close();
          onTransportGone(socket, true);
        }
        return;
      }
      switch (text.charCodeAt(0)) {
        case 0x32 /* "2" ping */:
          pings++;
          socket.send("3");
          return;
        case 0x30 /* "0" open */:
          socket.send(`40${JSON.stringify(pid !== undefined && offset !== undefined ? { token, pid, offset } : { token })}`);
          return;
        case 0x31 /* "1" close */:
          socket.terminate();
          return;
      }
      if (text.startsWith("40")) {
        const reply = JSON.parse(text.slice(2) || "{}") as { sid?: string; pid?: string };
        connected = true;
        resumedNow = pid !== undefined && reply.pid === pid;
        pid = reply.pid;
        if (!resumedNow) offset = undefined;
        if (resumedNow) becameOpen();
      } else if (text.startsWith("44")) {
        // Refused (a limit, a store away): the web client retries a little later, wherever the directory says.
        if (!everOpen) return giveUp(new Error(`connect refused: ${text.slice(2)}`));
        socket.terminate();
      } else if (text.startsWith("43")) {
        acks.answer(text);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => onTransportGone(socket, told));
  };
  attempt();

  return {
    ready,
    moves,
    get gateway() {
      return gateway;
    },
    isOpen: () => open,
    get pings() {
      return pings;
    },
    send(event, payload) {
      if (!open || !ws) return Promise.resolve({ ok: false, error: { code: "DISCONNECTED", message: "not connected" } });
      const socket = ws;
      return acks.send((frame) => socket.send(frame), event, payload);
    },
    close: () => {
      closed = true;
      open = false;
      clearTimeout(firstTimer);
      clearTimeout(retry);
      ws?.terminate();
      failPending();
    },
  };
}
