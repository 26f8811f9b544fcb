// After login the browser goes to callbackUrl: only ever a path on this site.
import { expect, test } from "vitest";
import { DEFAULT_AFTER_LOGIN, safeCallbackUrl } from "../../components/lib/safe-callback-url";

test.each([
  ["/channels/1/2", "/channels/1/2"],
  ["/invite/abc?x=1#top", "/invite/abc?x=1#top"],
  [null, DEFAULT_AFTER_LOGIN],
  ["", DEFAULT_AFTER_LOGIN],
  ["https://evil.com", DEFAULT_AFTER_LOGIN],
  ["//evil.com", DEFAULT_AFTER_LOGIN],
  ["/\\evil.com", DEFAULT_AFTER_LOGIN],
  ["/\t/evil.com", DEFAULT_AFTER_LOGIN],
  ["/\n/evil.com", DEFAULT_AFTER_LOGIN],
  ["/\r\n/evil.com/path", DEFAULT_AFTER_LOGIN],
  ["/\\\\evil.com", DEFAULT_AFTER_LOGIN],
  ["javascript:alert(1)", DEFAULT_AFTER_LOGIN],
])("%j -> %j", (raw, expected) => {
  expect(safeCallbackUrl(raw)).toBe(expected);
});
