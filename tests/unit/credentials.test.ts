import { describe, expect, test } from "vitest";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, parseCookies, tokenFrom } from "../../lib/http/credentials";

describe("tokenFrom", () => {
  test.each([
    ["Bearer abc.def.ghi", "abc.def.ghi"],
    ["bearer abc", "abc"],
    ["BEARER abc", "abc"],
    ["Bearer    abc   ", "abc"],
  ])("reads the token from Authorization %j", (authorization, token) => {
    expect(tokenFrom({ authorization })).toBe(token);
  });

  test.each(["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b", "abc"])(
    "a malformed Authorization %j yields no token",
    (authorization) => {
      expect(tokenFrom({ authorization })).toBeFalsy();
    },
  );

  test("reads the next-auth session cookie", () => {
    expect(tokenFrom({ cookie: `theme=dark; ${SESSION_COOKIE}=tok123; lang=en` })).toBe("tok123");
  });

  test("prefers the secure session cookie when both are present", () => {
    expect(tokenFrom({ cookie: `${SESSION_COOKIE}=plain; ${SECURE_SESSION_COOKIE}=secure` })).toBe("secure");
  });

  test("the Authorization header wins over a cookie", () => {
    expect(tokenFrom({ authorization: "Bearer fromHeader", cookie: `${SESSION_COOKIE}=fromCookie` })).toBe("fromHeader");
  });

  test("nothing at all yields undefined", () => {
    expect(tokenFrom({})).toBeUndefined();
    expect(tokenFrom({ authorization: null, cookie: null })).toBeUndefined();
    expect(tokenFrom({ cookie: "theme=dark" })).toBeUndefined();
  });
});

describe("parseCookies", () => {
  test("splits name=value pairs and trims around them", () => {
    expect(parseCookies(" a=1 ;b=2;  c = 3 ")).toEqual({ a: "1", b: "2", c: "3" });
  });
  test("keeps the first of repeated names", () => {
    expect(parseCookies("a=first; a=second")).toEqual({ a: "first" });
  });
  test("decodes percent-encoding, and keeps an undecodable value raw", () => {
    expect(parseCookies("a=hello%20world; b=%E0%A4%A")).toEqual({ a: "hello world", b: "%E0%A4%A" });
  });
  test("keeps '=' inside a value", () => {
    expect(parseCookies("t=abc==")).toEqual({ t: "abc==" });
  });
  test("skips parts without a name or without '='", () => {
    expect(parseCookies("novalue; =orphan; c=3")).toEqual({ c: "3" });
  });
  test.each([undefined, null, ""])("%j is no cookies", (header) => {
    expect(parseCookies(header)).toEqual({});
  });
});
