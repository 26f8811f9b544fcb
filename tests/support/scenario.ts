// Common starting points for gateway tests: people, a server they share, their sockets.
import type { Server } from "../../lib/domain/types";
import { createServerAs, joinServer, registerUser, uniqueName, type ApiClient, type TestUser } from "./api";
import { connectClient, type GatewayClient } from "./gateway";

export interface SharedServer {
  /** The owner. */
  a: TestUser;
  /** A member who joined through an invite. */
  b: TestUser;
  server: Server;
  /** The server's #general channel id. */
  channelId: string;
}

/** A owns a fresh server and B has joined it through an invite. */
export async function ownerAndMember(api: ApiClient): Promise<SharedServer> {
  const [a, b] = await Promise.all([registerUser(api, uniqueName("a")), registerUser(api, uniqueName("b"))]);
  const server = await createServerAs(api, a, uniqueName("srv"));
  await joinServer(api, server, a, b);
  return { a, b, server, channelId: server.channels[0]!.id };
}

/** Opens gateway sockets and closes every one of them at the end of each test. */
export function socketPool(baseUrl: () => string) {
  const open: GatewayClient[] = [];
  return {
    async connect(user: TestUser): Promise<GatewayClient> {
      const { socket } = await connectClient(baseUrl(), user.token);
      open.push(socket);
      return socket;
    },
    closeAll(): void {
      for (const socket of open.splice(0)) socket.close();
    },
  };
}
