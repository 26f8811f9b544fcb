// Tokens end (contract v2): one without `exp` is refused everywhere, and an open connection
// closes when its token expires. Real server, real clients, a token of a few seconds.
import { SignJWT } from "jose";
import { expect, test } from "vitest";
import { apiClient, registerUser } from "../support/api";
import { connectClient, handshakeError, waitFor } from "../support/gateway";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
serverForThisFile((started) => {
  server = started;
});

test("a correctly signed token without exp is refused by REST and by the gateway", async () => {
  const api = apiClient(server.url);
  const { user } = await registerUser(api);
  const forever = await new SignJWT({ sub: user.id, sid: user.id })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer("parley")
    .setIssuedAt()
    .sign(new TextEncoder().encode(server.config.authSecret!));
  expect((await api.get("/api/v1/users/@me", forever)).status).toBe(401);
  expect(await handshakeError(server.url, forever)).toBe("UNAUTHORIZED");
});

test("a connection closes when its token expires, and the token no longer opens one", async () => {
  const api = apiClient(server.url);
  const { user } = await registerUser(api);
  const shortLived = await server.deps.tokens.sign({ sub: user.id, sid: user.id }, 3);
  const { socket } = await connectClient(server.url, shortLived);
  const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
  const reason = await waitFor(() => (socket.connected ? undefined : true), 8_000, "the server to close the connection").then(() => closed);
  expect(reason).toBe("io server disconnect");
  expect(await handshakeError(server.url, shortLived)).toBe("UNAUTHORIZED");
});
