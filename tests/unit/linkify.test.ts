// Links in message text: only http(s), trailing punctuation left out, everything else text.
import { describe, expect, test } from "vitest";
import { linkify } from "../../components/lib/linkify";

const links = (text: string) => linkify(text).filter((p) => p.kind === "link").map((p) => (p.kind === "link" ? p.href : ""));

describe("linkify", () => {
  test("plain text stays one text part, markup included", () => {
    expect(linkify("<img src=x onerror=alert(1)>")).toEqual([{ kind: "text", text: "<img src=x onerror=alert(1)>" }]);
  });

  test("a link in a sentence is split out, with the text around it kept", () => {
    expect(linkify("see https://example.com/a?b=1 now")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: " now" },
    ]);
  });

  test("trailing punctuation and unbalanced closing brackets are not part of the link", () => {
    expect(links("go to https://parley.dev.")).toEqual(["https://parley.dev/"]);
    expect(links("(see https://parley.dev/docs)")).toEqual(["https://parley.dev/docs"]);
    expect(links("https://en.wikipedia.org/wiki/Foo_(bar)!")).toEqual(["https://en.wikipedia.org/wiki/Foo_(bar)"]);
  });

  test("only http and https become links", () => {
    expect(links("javascript:alert(1) data:text/html,hi ftp://x.org")).toEqual([]);
    expect(linkify("javascript:alert(1)")).toEqual([{ kind: "text", text: "javascript:alert(1)" }]);
  });

  test("a quote cannot break out of the href", () => {
    const parts = linkify('https://x.org/"onmouseover="alert(1)');
    expect(parts[0]).toEqual({ kind: "link", text: "https://x.org/", href: "https://x.org/" });
    expect(parts.slice(1)).toEqual([{ kind: "text", text: '"onmouseover="alert(1)' }]);
  });

  test("several links, and the text around them, come out in order", () => {
    const parts = linkify("a http://one.test b https://two.test/x c");
    expect(parts.map((p) => p.text).join("")).toBe("a http://one.test b https://two.test/x c");
    expect(links("a http://one.test b https://two.test/x c")).toEqual(["http://one.test/", "https://two.test/x"]);
  });
});
