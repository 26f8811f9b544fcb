import { expect, test } from "vitest";
import { apiClient, registerUser, createServerAs } from "../support/api";
import { connectClient } from "../support/gateway";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
serverForThisFile((started) => {
  server = started;
});

test("a registered user gets ready over the gateway with their servers", async () => {
  const api = apiClient(server.url);
  const alice = await registerUser(api);
  const created = await createServerAs(api, alice);
  const { socket, ready } = await connectClient(server.url, alice.token);
  expect(ready.user.id).toBe(alice.user.id);
  expect(ready.servers.map((s) => s.id)).toEqual([created.id]);
  socket.close();
});
