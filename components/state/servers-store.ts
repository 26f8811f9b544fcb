// Who I am and the servers (with their channels) I belong to, as the gateway reports them.
import { create } from "zustand";
import type { Channel, Server, User } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { compareIds } from "../lib/snowflake-order";

interface ServersState {
  me: User | null;
  /** False until the first `ready`: lets pages tell "loading" from "not a member". */
  loaded: boolean;
  /** In the order they arrived: `ready` order first, then joins appended. */
  servers: Server[];
  setReady(me: User, servers: Server[]): void;
  upsertServer(server: Server): void;
  removeServer(serverId: Snowflake): void;
  upsertChannel(channel: Channel): void;
}

function sortChannels(channels: Channel[]): Channel[] {
  return [...channels].sort((a, b) => a.position - b.position || compareIds(a.id, b.id));
}

export const useServersStore = create<ServersState>()((set) => ({
  me: null,
  loaded: false,
  servers: [],

  setReady: (me, servers) =>
    set({ me, loaded: true, servers: servers.map((s) => ({ ...s, channels: sortChannels(s.channels) })) }),

  upsertServer: (server) =>
    set((state) => {
      const next = { ...server, channels: sortChannels(server.channels) };
      const index = state.servers.findIndex((s) => s.id === server.id);
      if (index === -1) return { servers: [...state.servers, next] };
      const servers = [...state.servers];
      servers[index] = next;
      return { servers };
    }),

  removeServer: (serverId) => set((state) => ({ servers: state.servers.filter((s) => s.id !== serverId) })),

  // Both the REST response and the `channel:create` event land here; upsert keeps one copy.
  upsertChannel: (channel) =>
    set((state) => ({
      servers: state.servers.map((server) => {
        if (server.id !== channel.serverId) return server;
        const others = server.channels.filter((c) => c.id !== channel.id);
        return { ...server, channels: sortChannels([...others, channel]) };
      }),
    })),
}));

export function selectServer(serverId: Snowflake | undefined) {
  return (state: ServersState) => state.servers.find((s) => s.id === serverId);
}
