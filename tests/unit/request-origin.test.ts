// The origin the directory and a lone draining node answer when PUBLIC_URL is not set.
import { describe, expect, test } from "vitest";
import { requestOrigin } from "../../lib/http/request-origin";

describe("requestOrigin", () => {
  test("PUBLIC_URL's origin when set; else http:// and the Host when it is a plain host[:port]", () => {
    expect(requestOrigin("evil.example", "https://chat.example.org/app")).toBe("https://chat.example.org");
    expect(requestOrigin("127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(requestOrigin("Chat.Example.org")).toBe("http://chat.example.org");
    expect(requestOrigin("[::1]:3000")).toBe("http://[::1]:3000");
    for (const bad of [undefined, "", "a b", "x.example/path", "x.example@evil", "x.example:99999999", "évil.example"]) expect(requestOrigin(bad), String(bad)).toBe("http://localhost");
  });
});
