// End to end in real Chromium against a real Parley server (production build, in-memory
// PGlite): the invite flow and live chat both ways, presence (dnd, then gone), typing that
// appears and disappears, markup shown as text, and sends that fail or are retried.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { ParleyServer } from "../support/server";
import {
  CHROMIUM, WAIT, fillRegisterForm, messageWithText, openPerson, registerInBrowser, restClient, sendFromComposer, signInInBrowser, uniqueUsername, type Person, type RestClient, serverAndBrowserForThisBlock,
} from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/chat.e2e.test.ts: ${CHROMIUM} is not installed (apt-get install chromium).`);

const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");
const XSS = "<img src=x onerror=alert(1)>";

let server: ParleyServer | undefined;
let browser: Browser | undefined;
let rest: RestClient;
const people: Person[] = [];

async function person(displayName: string, username?: string): Promise<Person> {
  const created = await openPerson(browser!, server!.url, displayName, username);
  people.push(created);
  return created;
}

const memberDot = (viewer: Person, member: Person, group: "online" | "offline", status: string) =>
  viewer.page.getByTestId(`member-group-${group}`).getByTestId(`member-${member.username}`).locator(`[data-testid="presence-dot"][data-status="${status}"]`);

describe.skipIf(!hasChromium)("chatting in the browser", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    rest = restClient(started.url);
    browser = launched;
  }, people);

  test("two people join through an invite and chat live both ways, with presence, typing and markup shown as text", async () => {
    const ana = await person("Ana");
    const bo = await person("Bo");

    // Ana registers and sets up a server with a second channel.
    await registerInBrowser(ana);
    await ana.page.getByTestId("rail-create-server").click();
    const createServer = ana.page.getByRole("dialog", { name: "Create a server" });
    await createServer.getByTestId("create-server-name").fill("Parley Testers");
    await createServer.getByTestId("create-server-submit").click();
    await ana.page.waitForURL(/\/channels\/\d+\/\d+$/, WAIT);
    await expect.poll(() => ana.page.getByTestId("server-name").textContent(), WAIT).toBe("Parley Testers");

    await ana.page.getByTestId("create-channel").click();
    await ana.page.getByRole("dialog", { name: "Create channel" }).getByTestId("create-channel-name").fill("Random Talk");
    await ana.page.getByTestId("create-channel-submit").click();
    await expect.poll(() => ana.page.getByTestId("channel-name").textContent(), WAIT).toBe("random-talk");

    // Ana makes an invite link; Escape closes the dialog and gives focus back to the button.
    await ana.page.getByTestId("invite-button").click();
    await ana.page.locator('[data-testid="invite-link"][data-ready="true"]').waitFor(WAIT);
    const link = await ana.page.getByTestId("invite-link").inputValue();
    expect(link.startsWith(`${server!.url}/invite/`)).toBe(true);
    await ana.page.keyboard.press("Escape");
    await ana.page.getByRole("dialog").waitFor({ state: "detached", ...WAIT });
    expect(await ana.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("invite-button");

    // Bo opens the invite signed out, registers from the sign-in page and comes back to it.
    await bo.page.goto(link);
    await bo.page.waitForURL(/\/login\?callbackUrl=/, WAIT);
    await bo.page.getByRole("link", { name: "Register" }).click();
    await bo.page.waitForURL(/\/register\?callbackUrl=/, WAIT);
    await fillRegisterForm(bo);
    await bo.page.waitForURL(link, WAIT);
    await expect.poll(() => bo.page.getByTestId("invite-server-name").textContent(), WAIT).toBe("Parley Testers");
    expect(await bo.page.getByTestId("invite-member-count").textContent()).toContain("1 Member");
    await bo.page.getByTestId("accept-invite").click();
    await bo.page.waitForURL(/\/channels\/\d+\/\d+$/, WAIT);
    await bo.page.getByTestId("channel-link-random-talk").click();
    await expect.poll(() => bo.page.getByTestId("channel-name").textContent(), WAIT).toBe("random-talk");

    // Both appear online, with a green dot, in each other's member list.
    for (const viewer of [ana, bo]) for (const member of [ana, bo]) await memberDot(viewer, member, "online", "online").waitFor(WAIT);

    // Messages arrive live both ways, and the sender sees theirs exactly once; links are links.
    await sendFromComposer(ana.page, "Hello from Ana, see https://example.com/docs.");
    await messageWithText(bo.page, "Hello from Ana").waitFor(WAIT);
    const anchor = bo.page.getByTestId("message-link");
    expect(await anchor.getAttribute("href")).toBe("https://example.com/docs");
    expect(await anchor.getAttribute("rel")).toContain("noopener");
    await sendFromComposer(bo.page, "Hi Ana, Bo here");
    await messageWithText(ana.page, "Hi Ana, Bo here").waitFor(WAIT);
    await bo.page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "Hi Ana, Bo here" }).waitFor(WAIT);
    expect(await messageWithText(bo.page, "Hi Ana, Bo here").count()).toBe(1);

    // Bo types: Ana sees it, and it goes away when Bo's message lands.
    const typing = () => ana.page.getByTestId("typing-indicator").textContent();
    await bo.page.getByTestId("composer").pressSequentially("I am typing something", { delay: 20 });
    await expect.poll(typing, WAIT).toContain("Bo is typing");
    await bo.page.getByTestId("composer").press("Enter");
    await messageWithText(ana.page, "I am typing something").waitFor(WAIT);
    await expect.poll(typing, WAIT).toBe("");
    // Typing and then stopping: the line clears by itself about 8 s later.
    await bo.page.getByTestId("composer").pressSequentially("never mind", { delay: 20 });
    await expect.poll(typing, WAIT).toContain("Bo is typing");
    const stoppedAt = Date.now();
    await expect.poll(typing, { timeout: 15_000, interval: 250 }).toBe("");
    expect(Date.now() - stoppedAt).toBeGreaterThan(4_000);
    await bo.page.getByTestId("composer").fill("");

    // Markup is shown literally and never runs.
    await sendFromComposer(bo.page, XSS);
    const rendered = messageWithText(ana.page, XSS);
    await rendered.waitFor(WAIT);
    expect(await rendered.textContent()).toBe(XSS);
    expect(await ana.page.locator('[data-testid="message-list"] img').count()).toBe(0);
    await sendFromComposer(ana.page, "Nice try, Bo!");
    await messageWithText(bo.page, "Nice try, Bo!").waitFor(WAIT);

    // Bo picks Do Not Disturb: Ana sees the red dot. Bo closes the page: Ana sees Bo offline.
    await bo.page.getByTestId("status-button").click();
    await bo.page.getByTestId("status-dnd").click();
    await memberDot(ana, bo, "online", "dnd").waitFor(WAIT);
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.page.screenshot({ path: path.join(ARTIFACTS, "desktop-dark.png") });
    await bo.page.close();
    await memberDot(ana, bo, "offline", "offline").waitFor(WAIT);

    expect(ana.sawDialog).toBe(false);
    expect(bo.sawDialog).toBe(false);
    expect([...ana.pageErrors, ...bo.pageErrors]).toEqual([]);
  }, 180_000);

  test("a refused send is marked failed with Retry and Delete; a rate-limited one is retried by itself, once", async () => {
    const deeName = uniqueUsername("Dee");
    const dee = await rest.register(deeName, "Dee");
    const place = await rest.createServer(dee.token, "Resilience");
    const channelId = place.channels[0]!.id;
    const viewer = await person("Dee", deeName);
    await signInInBrowser(viewer, `/channels/${place.id}/${channelId}`);
    await viewer.page.getByTestId(`member-${deeName}`).waitFor(WAIT);

    // A NUL character is refused by the server (VALIDATION_FAILED): retrying cannot help.
    await sendFromComposer(viewer.page, "bad \u0000 text");
    const failed = viewer.page.locator('[data-testid="message"][data-state="failed"]');
    await failed.waitFor(WAIT);
    expect(await failed.getByRole("alert").textContent()).toContain("content");
    await failed.getByTestId("retry-send").click();
    await failed.waitFor(WAIT);
    await failed.getByTestId("delete-failed").click();
    await failed.waitFor({ state: "detached", ...WAIT });

    // Dee's 5-per-second budget is used up over REST: the browser's send is refused with
    // RATE_LIMITED, shown as pending, retried with the same nonce and stored exactly once.
    await Promise.all([1, 2, 3, 4, 5].map((n) => rest.send(dee.token, channelId, `warm-up ${n}`)));
    const sentAt = Date.now();
    await sendFromComposer(viewer.page, "over the limit");
    await viewer.page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "over the limit" }).waitFor(WAIT);
    // The first attempt was refused: the retry waits at least a second.
    expect(Date.now() - sentAt).toBeGreaterThan(900);
    expect(await messageWithText(viewer.page, "over the limit").count()).toBe(1);
    const stored = await rest.history(dee.token, channelId, "limit=20");
    expect(stored.filter((m) => m.content === "over the limit")).toHaveLength(1);
    expect(stored.some((m) => m.content.startsWith("bad"))).toBe(false);
    expect(viewer.pageErrors).toEqual([]);
  }, 120_000);
});
