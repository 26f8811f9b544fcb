// The connection watches the member-list rows the screen wants (contract v2, Member list):
// after every `ready` (a new connection watches nothing) and whenever the wanted rows change it
// sends `members:subscribe`, leaving the previous server's list with `ranges: []` first. A new
// server is subscribed at once; a scroll within one server waits until the rows in view have
// settled for a moment, since a fling crosses many blocks and each call counts against the
// connection's budget (20 per 10 s). Calls go one at a time, so the last one made holds.
import type { RowRange } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { sameRanges } from "../chat/member-list-window";
import { useMemberListStore, type WantedRows } from "../state/member-list-store";
import type { ParleySocket } from "./listeners";

const ACK_TIMEOUT_MS = 10_000;
/** After a refusal that may pass (rate limit, no answer), try again this much later. */
const RETRY_MS = 3_000;
/** How long the wanted rows of one server must stay put before a scroll re-subscribes. */
export const SCROLL_SETTLE_MS = 150;

type Outcome = "ok" | "gone" | "retry";

export function trackMemberList(socket: ParleySocket): { afterReady(): void; stop(): void } {
  let ready = false;
  /** What the server watches for this connection, as far as acks said. */
  let watching: WantedRows | null = null;
  /** Bumped by each disconnect: an ack that outlives its connection says nothing of the next. */
  let connection = 0;
  let sending = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const subscribe = async (serverId: Snowflake, ranges: RowRange[]): Promise<Outcome> => {
    const store = useMemberListStore.getState();
    store.subscribing(serverId, ranges);
    try {
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("members:subscribe", { serverId, ranges });
      if (ack.ok) {
        store.held(serverId, ranges);
        return "ok";
      }
      // Not a member any more (or the server is gone): nothing is watched there either way.
      if (ack.error.code === "FORBIDDEN" || ack.error.code === "NOT_FOUND") {
        store.held(serverId, []);
        return "gone";
      }
      return "retry"; // RATE_LIMITED (the previous ranges stay), INTERNAL, UNAVAILABLE
    } catch {
      return "retry"; // no ack in time
    }
  };

  const send = async (): Promise<void> => {
    if (!ready || !socket.connected) return;
    if (sending) {
      again = true; // one more round with whatever is wanted once this one is answered
      return;
    }
    clearTimeout(timer);
    sending = true;
    const on = connection;
    let outcome: Outcome = "ok";
    try {
      const wanted = useMemberListStore.getState().wanted;
      if (watching && watching.serverId !== wanted?.serverId) {
        outcome = await subscribe(watching.serverId, []);
        if (outcome !== "retry" && on === connection) watching = null;
      }
      if (outcome !== "retry" && wanted && !(watching && sameRanges(watching.ranges, wanted.ranges))) {
        outcome = await subscribe(wanted.serverId, wanted.ranges);
        if (outcome === "ok" && on === connection) watching = wanted;
      }
    } finally {
      sending = false;
    }
    if (outcome === "retry") timer = setTimeout(() => void send(), RETRY_MS);
    if (again) {
      again = false;
      void send();
    }
  };

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void send(), delayMs);
  };

  const stopWatching = useMemberListStore.subscribe((state, previous) => {
    if (state.wanted === previous.wanted) return;
    // Another server (or none): at once, but after this tick, so an unmount and the next
    // mount (switching servers) make one round. Same server: a scroll, let it settle.
    schedule(state.wanted?.serverId === previous.wanted?.serverId ? SCROLL_SETTLE_MS : 0);
  });
  const onDisconnect = () => {
    ready = false;
    connection += 1;
    watching = null; // the next connection starts watching nothing
    clearTimeout(timer);
  };
  socket.on("disconnect", onDisconnect);

  return {
    afterReady() {
      ready = true;
      void send();
    },
    stop() {
      stopWatching();
      socket.off("disconnect", onDisconnect);
      clearTimeout(timer);
    },
  };
}
