// Resume (contract v2 "Resume") on the embedded node: a client that lost its connection and
// comes back within the window gets every event it missed, in order, exactly once, and no
// `ready` (socket.recovered); after the window it gets a fresh `ready`. A resumed session is
// its user's only: another user's token or a signed-out one is refused, and nothing missed is
// written to it. Real server on port 0, real socket.io clients reconnecting with their session.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { comeBack, connectClient, loseConnection, payloadsOf, rawFrames, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { startServer, type ParleyServer } from "../support/server";

const WINDOW_MS = 3_000;

describe("resume on one node", () => {
  let server: ParleyServer;
  let api: ApiClient;
  const sockets: GatewayClient[] = [];
  beforeAll(async () => {
    server = await startServer({ resumeWindowMs: WINDOW_MS });
    api = apiClient(server.url);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  /** `a` listening on a ready connection that has heard one message; `b` who talks to them. */
  async function listening() {
    const [a, b] = [await registerUser(api), await registerUser(api)];
    const guild = await createServerAs(api, a, "resume");
    await joinServer(api, guild, a, b);
    const channelId = guild.channels[0]!.id;
    const { socket } = await connectClient(server.url, a.token);
    sockets.push(socket);
    const heard = recordEvents(socket, ["message:create", "ready"]);
    const send = async (content: string) => (await api.post(`/api/v1/channels/${channelId}/messages`, { content }, b.token)).body.id as string;
    const first = await send("before");
    await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.id === first), 5_000, "the first message");
    return { a, b, socket, heard, send };
  }

  test("back within the window: every missed event in order, once, no ready; then live again", async () => {
    const { socket, heard, send } = await listening();
    await loseConnection(socket);
    const missed = [await send("missed 1"), await send("missed 2"), await send("missed 3")];
    expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
    const live = await send("after");
    await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.id === live), 5_000, "the live message");
    await settle(300);
    const ids = payloadsOf(heard, "message:create").map((m) => m.id);
    expect(ids.slice(1)).toEqual([...missed, live]);
    expect(payloadsOf(heard, "ready")).toEqual([]);
  });

  test("another user's token cannot take the session over, and reads nothing it missed", async () => {
    const { socket, heard, send } = await listening();
    await loseConnection(socket);
    await send("not for the intruder");
    const frames = rawFrames(socket);
    const intruder = await registerUser(api);
    socket.auth = { token: intruder.token };
    expect(await comeBack(socket)).toEqual({ ok: false, error: "UNAUTHORIZED" });
    await settle(300);
    expect(payloadsOf(heard, "message:create")).toHaveLength(1);
    // Not even on the wire (Socket.IO's own recovery writes missed packets before the middleware runs).
    expect(frames.some((f) => f.includes("UNAUTHORIZED")), "the refusal itself was seen").toBe(true);
    expect(frames.filter((f) => f.includes("not for the intruder"))).toEqual([]);
  });

  test("a signed-out token cannot resume", async () => {
    const { a, socket, heard, send } = await listening();
    await loseConnection(socket);
    await send("after sign-out");
    const frames = rawFrames(socket);
    expect((await api.post("/api/v1/auth/logout", {}, a.token)).status).toBeLessThan(300);
    expect(await comeBack(socket)).toEqual({ ok: false, error: "UNAUTHORIZED" });
    await settle(300);
    expect(payloadsOf(heard, "message:create")).toHaveLength(1);
    expect(frames.filter((f) => f.includes("after sign-out"))).toEqual([]);
  });

  test("after the window: a fresh ready, not a resume", async () => {
    const { socket, heard } = await listening();
    await loseConnection(socket);
    await settle(WINDOW_MS + 500);
    expect(await comeBack(socket)).toEqual({ ok: true, recovered: false });
    await waitFor(() => payloadsOf(heard, "ready").length === 1, 5_000, "a fresh ready");
  });
});
