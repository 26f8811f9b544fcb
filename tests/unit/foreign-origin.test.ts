// Which cookie-authenticated requests count as coming from another site (contract v2).
import { expect, test } from "vitest";
import { comesFromForeignSite } from "../../lib/http/foreign-origin";

test.each([
  [{ origin: "http://evil.example", host: "parley.test" }, undefined, true],
  [{ origin: "https://chat.example.com", host: "chat.example.com" }, undefined, false],
  [{ origin: "http://localhost:3000", host: "localhost:3000" }, undefined, false],
  [{ origin: "http://localhost:3001", host: "localhost:3000" }, undefined, true],
  [{ origin: "null", host: "parley.test" }, undefined, true],
  [{ origin: "not a url", host: "parley.test" }, undefined, true],
  [{ secFetchSite: "cross-site", host: "parley.test" }, undefined, true],
  [{ secFetchSite: "same-site", host: "parley.test" }, undefined, true],
  [{ secFetchSite: "same-origin", origin: "https://parley.test", host: "parley.test" }, undefined, false],
  [{ secFetchSite: "none", host: "parley.test" }, undefined, false],
  [{ host: "parley.test" }, undefined, false],
  [{ origin: "https://chat.example.com", host: "10.0.0.5:3000" }, "https://chat.example.com", false],
  [{ origin: "http://chat.example.com", host: "chat.example.com" }, "https://chat.example.com", true],
  [{ origin: "https://sub.chat.example.com", host: "chat.example.com" }, "https://chat.example.com", true],
])("%j with PUBLIC_URL %s is foreign: %s", (request, publicUrl, foreign) => {
  expect(comesFromForeignSite(request, publicUrl)).toBe(foreign);
});
