"use client";
// The one owner of the Socket.IO connection: it wires gateway events to the stores, the
// outbox to the socket, and exposes the client -> server actions to components.
import { useEffect, useMemo, useRef } from "react";
import { io } from "socket.io-client";
import type { GatewayActions } from "../gateway/gateway-context";
import { catchUp, resyncLater } from "../gateway/catch-up";
import { RECONNECT_OPTIONS, trackConnection } from "../gateway/connection";
import { followDirectory, lookUpGateway, pointAt } from "../gateway/directory";
import { trackFocus } from "../gateway/focus";
import { listen, type ParleySocket } from "../gateway/listeners";
import { trackMemberList } from "../gateway/member-list-watch";
import { ACK_TIMEOUT_MS, NO_ANSWER, createOutbox, restoreAndPersist } from "../gateway/outbox-wiring";
import type { Outbox } from "../lib/outbox";
import { newNonce } from "../lib/nonce";
import { useConnectionStore } from "../state/connection-store";
import { useMessagesStore } from "../state/messages-store";
import { useServersStore } from "../state/servers-store";

export function useGateway(): GatewayActions {
  const socketRef = useRef<ParleySocket | null>(null);
  const outboxRef = useRef<Outbox | null>(null);

  useEffect(() => {
    // The node the directory names (the app's own origin behind a proxy, or alone): the
    // next-auth session cookie authenticates the handshake.
    const socket: ParleySocket = io({ path: "/gateway", transports: ["websocket"], autoConnect: false, ...RECONNECT_OPTIONS });
    let cancelled = false;
    void lookUpGateway().then((url) => {
      if (cancelled) return;
      pointAt(socket, url);
      socket.connect();
    });
    const stopFollowing = followDirectory(socket);
    const resync = resyncLater();
    socket.on("gateway:resync", resync.notice);
    const outbox = createOutbox(socket);
    socketRef.current = socket;
    outboxRef.current = outbox;
    useConnectionStore.getState().setStatus("connecting");

    let readyBefore = false;
    let stopPersisting: (() => void) | undefined;
    const focus = trackFocus(socket);
    const memberList = trackMemberList(socket);
    listen(socket, {
      outbox,
      onReady: () => {
        void catchUp({ reconnect: readyBefore });
        focus.afterReady();
        memberList.afterReady();
        readyBefore = true;
        const me = useServersStore.getState().me;
        if (me && !stopPersisting) stopPersisting = restoreAndPersist(outbox, me.id);
      },
    });
    const stopTracking = trackConnection(socket, {
      connected: () => {
        // Resumed (contract v2 "Resume"): no `ready`; the missed events were replayed in order.
        if (socket.recovered) {
          focus.afterResumed();
          memberList.afterReady();
        }
        outbox.connectionChanged(true);
      },
      disconnected: () => outbox.connectionChanged(false),
    });
    return () => {
      cancelled = true;
      stopFollowing();
      resync.stop();
      stopTracking();
      focus.stop();
      memberList.stop();
      stopPersisting?.();
      socket.removeAllListeners();
      socket.disconnect();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, []);

  return useMemo<GatewayActions>(
    () => ({
      sendMessage(channelId, content) {
        const me = useServersStore.getState().me;
        const outbox = outboxRef.current;
        if (!me || !outbox) return;
        const nonce = newNonce();
        const createdAt = new Date().toISOString();
        useMessagesStore.getState().addPending({ nonce, channelId, author: me, content, createdAt, state: "queued" });
        outbox.add({ nonce, channelId, content });
      },
      retryMessage(channelId, nonce) {
        outboxRef.current?.retry(channelId, nonce);
      },
      deleteMessage(channelId, nonce) {
        if (outboxRef.current?.discard(channelId, nonce) === false) return;
        useMessagesStore.getState().removePending(channelId, nonce);
      },
      async setPresence(status) {
        const socket = socketRef.current;
        if (!socket?.connected) return { ok: false, error: NO_ANSWER };
        try {
          return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("presence:set", { status });
        } catch {
          return { ok: false, error: NO_ANSWER };
        }
      },
      startTyping(channelId) {
        // volatile: a typing signal is worthless once stale, so never buffer it.
        socketRef.current?.volatile.emit("typing:start", { channelId }, () => {});
      },
    }),
    [],
  );
}
