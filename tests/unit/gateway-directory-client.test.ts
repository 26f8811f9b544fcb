// The web client's use of the directory (components/gateway/directory.ts): only a node on the
// page's own origin is used (its path + /gateway), anything else falls back to the own origin;
// pointAt moves a real socket.io-client Manager, so a change of its internals fails here.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { io } from "socket.io-client";
import { gatewayPathFor, pointAt } from "../../components/gateway/directory";
import type { ParleySocket } from "../../components/gateway/listeners";

const HERE = "https://chat.example.org/channels/1/2";

describe("gatewayPathFor", () => {
  test("a node on our origin: its path, then /gateway", () => {
    expect(gatewayPathFor("https://chat.example.org", HERE)).toBe("/gateway");
    expect(gatewayPathFor("https://chat.example.org/gw/a", HERE)).toBe("/gw/a/gateway");
    expect(gatewayPathFor("https://chat.example.org/gw/a/", HERE)).toBe("/gw/a/gateway");
  });

  test("anything a browser should not follow, or nothing, is the default path on our origin", () => {
    for (const url of [undefined, "", "http://chat.example.org/gw/a", "https://evil.example/gw", "https://chat.example.org:8443/gw", "javascript:alert(1)", "//evil.example/x", "http://[bad"]) {
      expect(gatewayPathFor(url, HERE), String(url)).toBe("/gateway");
    }
  });
});

describe("pointAt", () => {
  beforeEach(() => vi.stubGlobal("window", { location: new URL(HERE) }));
  afterEach(() => vi.unstubAllGlobals());

  test("moves the Manager's next connection to our origin and the node's path", () => {
    const socket = io("https://elsewhere.example", { path: "/gateway", autoConnect: false }) as unknown as ParleySocket;
    pointAt(socket, "https://chat.example.org/gw/b");
    const manager = socket.io as unknown as { uri: string; opts: { path: string } };
    expect(manager.uri).toBe("https://chat.example.org");
    expect(manager.opts.path).toBe("/gw/b/gateway");
    pointAt(socket, "https://evil.example");
    expect(manager.opts.path).toBe("/gateway");
    socket.close();
  });
});
