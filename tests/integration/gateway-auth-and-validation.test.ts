// The gateway handshake refuses bad credentials, and no payload can break a connection.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { createTokenService } from "../../lib/auth/tokens";
import { apiClient, createServerAs, registerUser, type ApiClient } from "../support/api";
import { connectClient, emitWithAck, handshakeError, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { ownerAndMember, socketPool, type SharedServer } from "../support/scenario";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
const sockets = socketPool(() => server.url);

serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});
afterEach(() => sockets.closeAll());

/** The socket without the event map, to send what a typed client could not. */
const untyped = (socket: GatewayClient) => socket as unknown as { emit(event: string, ...args: unknown[]): void };

describe("handshake", () => {
  test("without a token the connection is refused with UNAUTHORIZED", async () => {
    expect(await handshakeError(server.url, undefined)).toBe("UNAUTHORIZED");
  });

  test("a garbage token is refused with UNAUTHORIZED", async () => {
    expect(await handshakeError(server.url, "not-a-jwt")).toBe("UNAUTHORIZED");
    expect(await handshakeError(server.url, "")).toBe("UNAUTHORIZED");
  });

  test("a token signed with another secret is refused with UNAUTHORIZED", async () => {
    const { user } = await registerUser(api);
    const forged = await createTokenService("some-other-secret-that-is-long-enough").sign({ sub: user.id, sid: user.id });
    expect(await handshakeError(server.url, forged)).toBe("UNAUTHORIZED");
  });

  test("an expired token is refused with UNAUTHORIZED", async () => {
    const { user } = await registerUser(api);
    const expired = await server.deps.tokens.sign({ sub: user.id, sid: user.id }, -10);
    expect(await handshakeError(server.url, expired)).toBe("UNAUTHORIZED");
  });

  test("a valid signature naming no existing user is refused with UNAUTHORIZED", async () => {
    const ghost = await server.deps.tokens.sign({ sub: "1234567890", sid: "1234567890" });
    expect(await handshakeError(server.url, ghost)).toBe("UNAUTHORIZED");
  });

  test("the next-auth session cookie is accepted in place of a token", async () => {
    const alice = await registerUser(api);
    const { socket, ready } = await connectClient(server.url, undefined, {
      extraHeaders: { Cookie: `theme=dark; next-auth.session-token=${alice.token}` },
    });
    try {
      expect(ready.user).toEqual(alice.user);
    } finally {
      socket.close();
    }
  });

  test("a bad cookie is refused like a bad token", async () => {
    const message = await handshakeError(server.url, undefined, { extraHeaders: { Cookie: "next-auth.session-token=garbage" } });
    expect(message).toBe("UNAUTHORIZED");
  });
});

describe("malformed payloads", () => {
  let world: SharedServer;
  let socket: GatewayClient;
  beforeAll(async () => {
    world = await ownerAndMember(api);
  });

  const tooLong = "x".repeat(2001);
  const channel = () => world.channelId;
  // Each row is sent with an ack and must come back VALIDATION_FAILED.
  const cases: Array<[event: "message:send" | "presence:set" | "typing:start", label: string, payload: () => unknown]> = [
    ["message:send", "undefined", () => undefined],
    ["message:send", "null", () => null],
    ["message:send", "a string", () => "hello"],
    ["message:send", "a number", () => 42],
    ["message:send", "an array", () => [channel(), "hello"]],
    ["message:send", "an empty object", () => ({})],
    ["message:send", "a numeric channelId", () => ({ channelId: Number(channel()), content: "hi" })],
    ["message:send", "a channelId that is not digits", () => ({ channelId: "general", content: "hi" })],
    ["message:send", "a negative channelId", () => ({ channelId: "-1", content: "hi" })],
    ["message:send", "a channelId above int64", () => ({ channelId: "9223372036854775808", content: "hi" })],
    ["message:send", "a 21-digit channelId", () => ({ channelId: "1".repeat(21), content: "hi" })],
    ["message:send", "no content", () => ({ channelId: channel() })],
    ["message:send", "content that is not a string", () => ({ channelId: channel(), content: { text: "hi" } })],
    ["message:send", "blank content", () => ({ channelId: channel(), content: " \n\t " })],
    ["message:send", "content of 2001 characters", () => ({ channelId: channel(), content: tooLong })],
    ["message:send", "2001 emoji", () => ({ channelId: channel(), content: "😀".repeat(2001) })],
    ["message:send", "a nonce with a space", () => ({ channelId: channel(), content: "hi", nonce: "a b" })],
    ["message:send", "an empty nonce", () => ({ channelId: channel(), content: "hi", nonce: "" })],
    ["message:send", "a 65-character nonce", () => ({ channelId: channel(), content: "hi", nonce: "n".repeat(65) })],
    ["message:send", "a numeric nonce", () => ({ channelId: channel(), content: "hi", nonce: 7 })],
    ["presence:set", "undefined", () => undefined],
    ["presence:set", "null", () => null],
    ["presence:set", "a bare status string", () => "dnd"],
    ["presence:set", "a number", () => 1],
    ["presence:set", "an array", () => ["dnd"]],
    ["presence:set", "an empty object", () => ({})],
    ["presence:set", "offline (not a choosable status)", () => ({ status: "offline" })],
    ["presence:set", "an unknown status", () => ({ status: "away" })],
    ["presence:set", "an upper-case status", () => ({ status: "DND" })],
    ["presence:set", "a numeric status", () => ({ status: 2 })],
    ["typing:start", "undefined", () => undefined],
    ["typing:start", "null", () => null],
    ["typing:start", "a string", () => channel()],
    ["typing:start", "a number", () => 5],
    ["typing:start", "an array", () => [channel()]],
    ["typing:start", "an empty object", () => ({})],
    ["typing:start", "a numeric channelId", () => ({ channelId: 5 })],
    ["typing:start", "a channelId with a plus sign", () => ({ channelId: `+${channel()}` })],
    ["typing:start", "a channelId with spaces", () => ({ channelId: ` ${channel()} ` })],
  ];

  test.each(cases)("%s with %s is acked VALIDATION_FAILED", async (event, _label, payload) => {
    socket ??= await connectClient(server.url, world.a.token).then((c) => c.socket);
    const ack = await emitWithAck(socket, event, payload());
    expect(ack).toEqual({ ok: false, error: { code: "VALIDATION_FAILED", message: expect.any(String) } });
    expect(ack.error.message.length).toBeGreaterThan(0);
  });

  test("after all of that the same connection still sends, and other clients are still served", async () => {
    expect(socket?.connected).toBe(true);
    const seenByB = recordEvents(await sockets.connect(world.b), ["message:create"]);
    const ack = await emitWithAck(socket, "message:send", { channelId: world.channelId, content: "still here" });
    expect(ack.ok).toBe(true);
    await waitFor(() => seenByB.some((e) => e.payload.id === ack.message.id), 5_000, "B to receive the message");
    expect((await api.get("/api/health")).status).toBe(200);
    socket.close();
  });

  test("events sent without an ack callback, malformed or not, do not break the connection", async () => {
    const { socket: bare } = await connectClient(server.url, world.b.token);
    try {
      const raw = untyped(bare);
      for (const payload of [undefined, null, "x", 1, [], {}, { channelId: "abc", content: "" }]) {
        raw.emit("message:send", payload);
        raw.emit("presence:set", payload);
        raw.emit("typing:start", payload);
      }
      raw.emit("message:send");
      await settle(300);
      expect(bare.connected).toBe(true);
      const ack = await emitWithAck(bare, "message:send", { channelId: world.channelId, content: "acked after all" });
      expect(ack.ok).toBe(true);
    } finally {
      bare.close();
    }
  });

  test("an event the server does not know is ignored and the connection keeps working", async () => {
    const { socket: curious } = await connectClient(server.url, world.b.token);
    try {
      untyped(curious).emit("server:delete", { serverId: world.server.id });
      await settle(200);
      expect((await emitWithAck(curious, "typing:start", { channelId: world.channelId })).ok).toBe(true);
    } finally {
      curious.close();
    }
  });
});

describe("membership", () => {
  test("sending to a channel of a server you are not in is FORBIDDEN, and nothing is delivered", async () => {
    const { a, channelId } = await ownerAndMember(api);
    const seenByA = recordEvents(await sockets.connect(a), ["message:create", "typing:start"]);
    const outsider = await registerUser(api);
    const socket = await sockets.connect(outsider);

    const sent = await emitWithAck(socket, "message:send", { channelId, content: "let me in" });
    expect(sent).toEqual({ ok: false, error: { code: "FORBIDDEN", message: expect.any(String) } });
    const typing = await emitWithAck(socket, "typing:start", { channelId });
    expect(typing).toEqual({ ok: false, error: { code: "FORBIDDEN", message: expect.any(String) } });
    await settle(300);
    expect(seenByA).toEqual([]);
  });

  test("sending to a well-formed channel id that does not exist is NOT_FOUND", async () => {
    const alice = await registerUser(api);
    await createServerAs(api, alice);
    const socket = await sockets.connect(alice);
    for (const channelId of ["1", "0", "9223372036854775807"]) {
      const sent = await emitWithAck(socket, "message:send", { channelId, content: "anyone?" });
      expect(sent).toEqual({ ok: false, error: { code: "NOT_FOUND", message: expect.any(String) } });
    }
    expect(await emitWithAck(socket, "typing:start", { channelId: "1" })).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: expect.any(String) },
    });
  });

  test("a malformed payload is VALIDATION_FAILED even for a channel you could not use anyway", async () => {
    const { channelId } = await ownerAndMember(api);
    const socket = await sockets.connect(await registerUser(api));
    const sent = await emitWithAck(socket, "message:send", { channelId, content: "" });
    expect(sent.error?.code).toBe("VALIDATION_FAILED");
  });
});
