// Every server -> client gateway event becomes a store action here, and nowhere else.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/gateway-events";
import type { Outbox } from "../lib/outbox";
import type { MemberListUpdate } from "../../lib/domain/member-list/types";
import type { Member } from "../../lib/domain/types";
import { useMemberListStore } from "../state/member-list-store";
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
  const memberLists = useMemberListStore.getState();
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
  // The member list moves by its own ops; the rows it shows also feed the by-id cache of names.
  socket.on("members:list", (update) => {
    memberLists.apply(update);
    members.remember(update.serverId, membersIn(update));
  });
  socket.on("member:add", ({ serverId, member }) => members.remember(serverId, [member]));
  socket.on("member:remove", ({ serverId, userId }) => {
    members.removeMember(serverId, userId);
    if (userId === useServersStore.getState().me?.id) servers.removeServer(serverId);
  });
}

/** The member rows an update carries (SYNCs, inserts and updates). */
function membersIn(update: MemberListUpdate): Member[] {
  const out: Member[] = [];
  for (const op of update.ops) {
    const items = op.op === "SYNC" ? op.items : op.op === "INSERT" || op.op === "UPDATE" ? [op.item] : [];
    for (const item of items) if ("member" in item) out.push(item.member);
  }
  return out;
}
