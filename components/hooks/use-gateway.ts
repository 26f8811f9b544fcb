"use client";
// The one owner of the Socket.IO connection: it turns every gateway event into a store
// action and exposes the client -> server events as promise-returning actions.
import { useEffect, useMemo, useRef } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/gateway-events";
import type { GatewayActions } from "../gateway/gateway-context";
import { useConnectionStore } from "../state/connection-store";
import { useMembersStore } from "../state/members-store";
import { useMessagesStore } from "../state/messages-store";
import { useServersStore } from "../state/servers-store";
import { useTypingStore } from "../state/typing-store";

type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 15_000;
const NO_ANSWER = { code: "UNAVAILABLE", message: "No answer from the server. Try again." } as const;

function listen(socket: ParleySocket): void {
  const servers = useServersStore.getState();
  const messages = useMessagesStore.getState();
  const members = useMembersStore.getState();
  const typing = useTypingStore.getState();

  socket.on("ready", ({ user, servers: list }) => servers.setReady(user, list));
  socket.on("server:join", (server) => servers.upsertServer(server));
  socket.on("channel:create", (channel) => servers.upsertChannel(channel));
  socket.on("message:create", (message) => {
    messages.receive(message);
    // Their message landed, so they are no longer "typing" it.
    typing.stopTyping(message.channelId, message.author.id);
  });
  socket.on("presence:update", ({ userId, status }) => members.setPresence(userId, status));
  socket.on("typing:start", ({ channelId, userId }) => typing.startTyping(channelId, userId));
  socket.on("member:add", ({ serverId, member }) => members.addMember(serverId, member));
  socket.on("member:remove", ({ serverId, userId }) => {
    members.removeMember(serverId, userId);
    if (userId === useServersStore.getState().me?.id) servers.removeServer(serverId);
  });
}

function trackConnection(socket: ParleySocket): void {
  const setStatus = useConnectionStore.getState().setStatus;
  let everConnected = false;

  socket.on("connect", () => {
    if (everConnected) {
      // Events sent while we were away are lost: let open views refill from history.
      useMessagesStore.getState().markAllStale();
      useMembersStore.getState().markAllStale();
    }
    everConnected = true;
    setStatus("connected");
  });
  socket.on("disconnect", (reason) => {
    setStatus(everConnected ? "reconnecting" : "connecting");
    // A server-side disconnect is not retried automatically by Socket.IO.
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (error) => {
    if (error.message === "UNAUTHORIZED") setStatus("unauthorized");
    else setStatus(everConnected ? "reconnecting" : "connecting");
  });
}

export function useGateway(): GatewayActions {
  const socketRef = useRef<ParleySocket | null>(null);

  useEffect(() => {
    // Same origin: the next-auth session cookie authenticates the handshake.
    const socket: ParleySocket = io({ path: "/gateway", transports: ["websocket"] });
    socketRef.current = socket;
    useConnectionStore.getState().setStatus("connecting");
    trackConnection(socket);
    listen(socket);
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, []);

  return useMemo<GatewayActions>(
    () => ({
      async sendMessage(payload) {
        const socket = socketRef.current;
        if (!socket) return { ok: false, error: NO_ANSWER };
        // Emits made while disconnected are buffered and flushed on reconnect.
        try {
          return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message:send", payload);
        } catch {
          return { ok: false, error: NO_ANSWER };
        }
      },
      async setPresence(status) {
        const socket = socketRef.current;
        if (!socket) return { ok: false, error: NO_ANSWER };
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
