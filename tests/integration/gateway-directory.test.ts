// The gateway directory and graceful drain on one embedded node (contract v2 "Directory"):
// GET /api/v1/gateway names the node (the origin the client reached it on, or PUBLIC_URL's),
// has its per-user budget, and a draining node tells every connection where to go, refuses new
// handshakes and closes what is left within 10 s. Real servers on port 0, real clients.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiClient, registerUser, type ApiClient } from "../support/api";
import { connectClient, handshakeError, waitFor, type GatewayClient } from "../support/gateway";
import { startServer, type ParleyServer } from "../support/server";

describe("GET /api/v1/gateway on the embedded node", () => {
  let server: ParleyServer;
  let api: ApiClient;
  beforeAll(async () => {
    server = await startServer({ limits: { gatewayLookupsPerMinute: 3 } });
    api = apiClient(server.url);
  });
  afterAll(() => server?.close());

  test("answers the origin the client reached Parley on, for every user alike", async () => {
    for (const user of [await registerUser(api), await registerUser(api)]) {
      const res = await api.get("/api/v1/gateway", user.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ url: server.url });
    }
    const viaLocalhost = await fetch(`${server.url.replace("127.0.0.1", "localhost")}/api/v1/gateway`, { headers: { authorization: `Bearer ${(await registerUser(api)).token}` } });
    expect(await viaLocalhost.json()).toEqual({ url: server.url.replace("127.0.0.1", "localhost") });
  });

  test("needs a sign-in", async () => {
    const res = await api.get("/api/v1/gateway");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  test("past GATEWAY_LOOKUPS_PER_MINUTE a user waits (429 with Retry-After); others do not", async () => {
    const user = await registerUser(api);
    for (let i = 0; i < 3; i++) expect((await api.get("/api/v1/gateway", user.token)).status).toBe(200);
    const refused = await api.get("/api/v1/gateway", user.token);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await api.get("/api/v1/gateway", (await registerUser(api)).token)).status).toBe(200);
  });
});

describe("with PUBLIC_URL", () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer({ publicUrl: "https://chat.example.org" });
  });
  afterAll(() => server?.close());

  test("the node's URL is PUBLIC_URL's origin", async () => {
    const api = apiClient(server.url);
    const user = await registerUser(api);
    expect((await api.get("/api/v1/gateway", user.token)).body).toEqual({ url: "https://chat.example.org" });
  });
});

describe("a draining node", () => {
  let server: ParleyServer;
  let api: ApiClient;
  beforeAll(async () => {
    server = await startServer();
    api = apiClient(server.url);
  });
  afterAll(() => server?.close());

  test("tells each connection where to go, refuses new handshakes, and has closed them all within 10 s", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => registerUser(api)));
    const clients: GatewayClient[] = [];
    for (const user of users) clients.push((await connectClient(server.url, user.token)).socket);
    const told: Array<{ url: string } | undefined> = clients.map(() => undefined);
    clients.forEach((socket, i) => socket.on("gateway:reconnect", (payload) => (told[i] = payload)));

    const started = Date.now();
    const drained = server.drain();
    await waitFor(() => told.some(Boolean), 5_000, "a first reconnect notice");
    // Refused before Socket.IO (a 403 at the transport): the client retries with backoff, asking the directory.
    expect((await fetch(`${server.url}/gateway/?EIO=4&transport=polling`)).status).toBe(403);
    expect(await handshakeError(server.url, users[0]!.token)).not.toBe("UNAUTHORIZED");
    await drained;
    expect(Date.now() - started).toBeLessThan(10_000);
    // Alone, the node sends everyone back to the origin they came by (it is restarting).
    expect(told).toEqual(clients.map(() => ({ url: server.url })));
    await waitFor(() => clients.every((s) => !s.connected), 2_000, "every connection closed");
    const refused = await api.get("/api/v1/gateway", users[1]!.token);
    expect(refused.status, "out of the directory, nothing to name").toBe(503);
    expect(refused.body.error.code).toBe("UNAVAILABLE");
  });
});
