// Every server -> client gateway event becomes a store action here, and nowhere else.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/gateway-events";
import type { Outbox } from "../lib/outbox";
import { useMembersStore } from "../state/members-store";
import { useMessagesStore } from "../state/messages-store";
import { useReadStateStore } from "../state/read-state-store";
import { useServersStore } from "../state/servers-store";
import { useTypingStore } from "../state/typing-store";

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function listen(socket: ParleySocket, { outbox, onReady }: { outbox: Outbox; onReady: () => void }): void {
  const servers = useServersStore.getState();
  const messages = useMessagesStore.getState();
  const members = useMembersStore.getState();
  const typing = useTypingStore.getState();
  const readStates = useReadStateStore.getState();

  socket.on("ready", ({ user, servers: list, status }) => {
    servers.setReady(user, list);
    if (status) members.setMyChosenStatus(user.id, status);
    onReady();
  });
  socket.on("server:join", (server) => servers.upsertServer(server));
  socket.on("channel:create", (channel) => servers.upsertChannel(channel));
  socket.on("message:create", (message) => {
    messages.receive(message);
    // Their message landed, so they are no longer "typing" it.
    typing.stopTyping(message.channelId, message.author.id);
    const mine = message.author.id === useServersStore.getState().me?.id;
    readStates.noteMessage(message.channelId, message.id, mine);
    if (mine && message.nonce) outbox.confirmed(message.channelId, message.nonce);
  });
  // A channel this connection does not focus has something new: enough for its unread mark.
  socket.on("channel:activity", ({ channelId, lastMessageId }) => readStates.noteMessage(channelId, lastMessageId, false));
  socket.on("read-state:update", ({ channelId, lastReadId }) => readStates.markRead(channelId, lastReadId));
  socket.on("presence:update", ({ userId, status }) => members.setPresence(userId, status));
  socket.on("typing:start", ({ channelId, userId }) => typing.startTyping(channelId, userId));
  socket.on("member:add", ({ serverId, member }) => members.addMember(serverId, member));
  socket.on("member:remove", ({ serverId, userId }) => {
    members.removeMember(serverId, userId);
    if (userId === useServersStore.getState().me?.id) servers.removeServer(serverId);
  });
}
