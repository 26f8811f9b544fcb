// End to end in real Chromium against a real Parley server (production build, in-memory
// PGlite): invite flow and live chat, history paging, retry after a refused send, and
// catching up after a lost connection.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rooms } from "../../lib/gateway-events";
import { createParleyServer } from "../../server/create-server";
import {
  CHROMIUM, WAIT, fillRegisterForm, launchChromium, messageWithText, openPerson, registerInBrowser, restClient, sendFromComposer,
  signInInBrowser, uniqueUsername, type Person, type RestClient,
} from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/chat.e2e.test.ts: ${CHROMIUM} is not installed (apt-get install chromium).`);

const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");
const XSS = "<img src=x onerror=alert(1)>";

let server: Awaited<ReturnType<typeof createParleyServer>> | undefined;
let browser: Browser | undefined;
let rest: RestClient;
const people: Person[] = [];

async function person(displayName: string, username?: string): Promise<Person> {
  const created = await openPerson(browser!, server!.url, displayName, username);
  people.push(created);
  return created;
}

/** Where the bottom of a message sits inside the scrolling log, in CSS pixels. */
function messageBottom(p: Person, messageId: string): Promise<number> {
  return p.page.evaluate((id) => {
    const message = document.querySelector(`[data-message-id="${id}"]`);
    const log = document.querySelector('[data-testid="message-list"]');
    if (!message || !log) throw new Error("message or log missing");
    return message.getBoundingClientRect().bottom - log.getBoundingClientRect().top;
  }, messageId);
}

describe.skipIf(!hasChromium)("chatting in the browser", () => {
  beforeAll(async () => {
    server = await createParleyServer({ port: 0, host: "127.0.0.1", dataDir: "memory://", logLevel: "silent" });
    rest = restClient(server.url);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
  }, 60_000);

  test("two people join through an invite and chat live, with presence, typing and markup shown as text", async () => {
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

    // Ana makes an invite link; Escape closes the dialog.
    await ana.page.getByTestId("invite-button").click();
    await ana.page.locator('[data-testid="invite-link"][data-ready="true"]').waitFor(WAIT);
    const link = await ana.page.getByTestId("invite-link").inputValue();
    expect(link.startsWith(`${server!.url}/invite/`)).toBe(true);
    await ana.page.keyboard.press("Escape");
    await ana.page.getByRole("dialog").waitFor({ state: "detached", ...WAIT });

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
    for (const viewer of [ana, bo]) {
      for (const member of [ana, bo]) {
        const row = viewer.page.getByTestId("member-group-online").getByTestId(`member-${member.username}`);
        await row.locator('[data-testid="presence-dot"][data-status="online"]').waitFor(WAIT);
      }
    }

    // Messages arrive live both ways, and the sender sees theirs exactly once.
    await sendFromComposer(ana.page, "Hello from Ana");
    await messageWithText(bo.page, "Hello from Ana").waitFor(WAIT);
    await sendFromComposer(bo.page, "Hi Ana, Bo here");
    await messageWithText(ana.page, "Hi Ana, Bo here").waitFor(WAIT);
    await bo.page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "Hi Ana, Bo here" }).waitFor(WAIT);
    expect(await messageWithText(bo.page, "Hi Ana, Bo here").count()).toBe(1);

    // Bo types; Ana sees it.
    await bo.page.getByTestId("composer").pressSequentially("I am typing something", { delay: 20 });
    await expect.poll(() => ana.page.getByTestId("typing-indicator").textContent(), WAIT).toContain("Bo is typing");

    // Markup is shown literally and never runs.
    await sendFromComposer(bo.page, XSS);
    const rendered = messageWithText(ana.page, XSS);
    await rendered.waitFor(WAIT);
    expect(await rendered.textContent()).toBe(XSS);
    expect(await ana.page.locator('[data-testid="message-list"] img').count()).toBe(0);
    await sendFromComposer(ana.page, "Nice try, Bo!");
    await messageWithText(bo.page, "Nice try, Bo!").waitFor(WAIT);
    expect(ana.sawDialog).toBe(false);
    expect(bo.sawDialog).toBe(false);
    expect([...ana.pageErrors, ...bo.pageErrors]).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.page.screenshot({ path: path.join(ARTIFACTS, "chat.png") });
  }, 180_000);

  test("scrolling to the top loads older history without moving what you were reading", async () => {
    const cyName = uniqueUsername("Cy");
    const cy = await rest.register(cyName, "Cy");
    const archive = await rest.createServer(cy.token, "Archive");
    const channelId = archive.channels[0]!.id;
    const { code } = await rest.createInvite(cy.token, archive.id);
    const writers = [cy];
    for (let i = 0; i < 4; i++) {
      const helper = await rest.register(uniqueUsername("Scribe"), `Scribe ${i}`);
      await rest.join(helper.token, code);
      writers.push(helper);
    }
    // 120 messages from 5 writers, each staying under 5 messages per second.
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 24; i++) {
          if (i > 0 && i % 5 === 0) await new Promise((r) => setTimeout(r, 1_050));
          await rest.send(writer.token, channelId, `archive ${w}-${i}`);
        }
      }),
    );

    const viewer = await person("Cy", cyName);
    await signInInBrowser(viewer, `/channels/${archive.id}/${channelId}`);
    const rows = viewer.page.locator('[data-testid="message"][data-message-id]');
    await expect.poll(() => rows.count(), WAIT).toBe(50);

    const anchorId = (await rows.first().getAttribute("data-message-id"))!;
    const bottomAtTop = await viewer.page.evaluate(() => {
      document.querySelector('[data-testid="message-list"]')!.scrollTop = 0;
    }).then(() => messageBottom(viewer, anchorId));
    await expect.poll(() => rows.count(), WAIT).toBe(100);
    expect(Math.abs((await messageBottom(viewer, anchorId)) - bottomAtTop)).toBeLessThan(2);

    await viewer.page.evaluate(() => {
      document.querySelector('[data-testid="message-list"]')!.scrollTop = 0;
    });
    await viewer.page.getByTestId("channel-start").waitFor(WAIT);
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-message-id")!));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    const sorted = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect(ids).toEqual(sorted);
    expect(viewer.pageErrors).toEqual([]);
  }, 180_000);

  test("a refused send can be retried, and messages missed while disconnected appear after reconnecting", async () => {
    const deeName = uniqueUsername("Dee");
    const dee = await rest.register(deeName, "Dee");
    const eve = await rest.register(uniqueUsername("Eve"), "Eve");
    const place = await rest.createServer(dee.token, "Resilience");
    const channelId = place.channels[0]!.id;
    await rest.join(eve.token, (await rest.createInvite(dee.token, place.id)).code);

    const viewer = await person("Dee", deeName);
    await signInInBrowser(viewer, `/channels/${place.id}/${channelId}`);
    // The member list renders only after the gateway's `ready`: the socket is up.
    await viewer.page.getByTestId(`member-${deeName}`).waitFor(WAIT);

    // Use up Dee's 5-per-second budget over REST, then send from the browser: refused.
    await Promise.all([1, 2, 3, 4, 5].map((n) => rest.send(dee.token, channelId, `warm-up ${n}`)));
    await sendFromComposer(viewer.page, "over the limit");
    const refused = viewer.page.locator('[data-testid="message"][data-state="failed"]').filter({ hasText: "over the limit" });
    await refused.waitFor(WAIT);
    await new Promise((r) => setTimeout(r, 1_100));
    await refused.getByTestId("retry-send").click();
    await viewer.page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "over the limit" }).waitFor(WAIT);
    expect(await messageWithText(viewer.page, "over the limit").count()).toBe(1);
    const stored = await rest.history(dee.token, channelId, "limit=20");
    expect(stored.filter((m) => m.content === "over the limit")).toHaveLength(1);

    // Cut Dee off (and keep her off), let Eve talk, then reconnect.
    await viewer.context.setOffline(true);
    server!.io!.in(rooms.user(dee.user.id)).disconnectSockets(true);
    await viewer.page.locator('[data-testid="connection-banner"][data-status="reconnecting"]').waitFor(WAIT);
    for (const n of [1, 2, 3]) await rest.send(eve.token, channelId, `while you were away ${n}`);
    expect(await viewer.page.getByTestId("connection-banner").isVisible()).toBe(true);
    await viewer.context.setOffline(false);
    for (const n of [1, 2, 3]) await messageWithText(viewer.page, `while you were away ${n}`).waitFor(WAIT);
    await viewer.page.getByTestId("connection-banner").waitFor({ state: "detached", ...WAIT });
    expect(await messageWithText(viewer.page, "while you were away").count()).toBe(3);
    expect(viewer.pageErrors).toEqual([]);
  }, 180_000);
});
