// Unread state in the browser: a message in another channel (or server) marks it; opening it
// clears the mark, in this tab and in the same person's other browser; a "new" divider shows
// where unread starts; and the state survives a reload because the server keeps it. The
// browser focuses the open channel (passive session): other channels' marks come from
// channel:activity alone, and what a channel missed while unfocused is fetched when it opens.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { ParleyServer } from "../support/server";
import {
  CHROMIUM, WAIT, messageWithText, openPerson, restClient, signInInBrowser, uniqueUsername, type Person, serverAndBrowserForThisBlock,
} from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/unread.e2e.test.ts: ${CHROMIUM} is not installed.`);

const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");
let server: ParleyServer | undefined;
let browser: Browser | undefined;
const people: Person[] = [];

const unreadOf = (p: Person, testId: string) => () => p.page.getByTestId(testId).getAttribute("data-unread");

/** Every Socket.IO event the page's gateway connections receive, as [name, payload]. */
function gatewayEvents(p: Person): Array<[string, any]> {
  const events: Array<[string, any]> = [];
  p.page.on("websocket", (ws) => {
    if (!ws.url().includes("/gateway")) return;
    ws.on("framereceived", ({ payload }) => {
      const text = String(payload);
      if (text.startsWith("42[")) events.push(JSON.parse(text.slice(2)) as [string, any]);
    });
  });
  return events;
}

/** The channels each of the user's gateway connections focuses, as the server holds them. */
function focusedBy(userId: string): string[][] {
  return [...server!.io!.of("/").sockets.values()]
    .filter((s) => s.data.actor.userId === userId)
    .map((s) => (s.data.passive ? (s.data.focused ?? []).map((f) => f.channelId) : ["(not passive)"]));
}

describe.skipIf(!hasChromium)("unread marks", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    browser = launched;
  }, people);

  test("new messages mark channels and servers unread; reading clears them on every device of mine", async () => {
    const rest = restClient(server!.url);
    const anaName = uniqueUsername("Ana");
    const ana = await rest.register(anaName, "Ana");
    const bo = await rest.register(uniqueUsername("Bo"), "Bo");
    const team = await rest.createServer(ana.token, "Team");
    const general = team.channels[0]!;
    const random = await rest.createChannel(ana.token, team.id, "random");
    const club = await rest.createServer(ana.token, "Club");
    for (const guild of [team, club]) await rest.join(bo.token, (await rest.createInvite(ana.token, guild.id)).code);

    // Ana on her laptop and on her phone, both reading #general.
    const laptop = await openPerson(browser!, server!.url, "Ana", anaName);
    const phone = await openPerson(browser!, server!.url, "Ana", anaName);
    people.push(laptop, phone);
    const heardByLaptop = gatewayEvents(laptop);
    for (const device of [laptop, phone]) {
      await signInInBrowser(device, `/channels/${team.id}/${general.id}`);
      await device.page.getByTestId(`member-${anaName}`).waitFor(WAIT);
      await expect.poll(unreadOf(device, "channel-link-random"), WAIT).toBe("false");
    }
    // Both browsers focus what they show, #general, and nothing else.
    await expect.poll(() => focusedBy(ana.user.id), WAIT).toEqual([[general.id], [general.id]]);

    // Bo writes in #random and in Club: both devices mark them.
    const first = await rest.send(bo.token, random.id, "psst, over here");
    const inClub = await rest.send(bo.token, club.channels[0]!.id, "club news");
    for (const device of [laptop, phone]) {
      await expect.poll(unreadOf(device, "channel-link-random"), WAIT).toBe("true");
      await expect.poll(unreadOf(device, `rail-server-${club.id}`), WAIT).toBe("true");
      expect(await device.page.getByTestId("channel-link-general").getAttribute("data-unread")).toBe("false");
    }
    // The marks came from channel:activity alone: neither message reached the laptop in full.
    const heard = (name: string, channelId: string) => heardByLaptop.filter(([event, p]) => event === name && p.channelId === channelId);
    expect(heard("channel:activity", random.id).map(([, p]) => p)).toEqual([{ channelId: random.id, serverId: team.id, lastMessageId: first.id }]);
    expect(heard("channel:activity", club.channels[0]!.id).map(([, p]) => p.lastMessageId)).toEqual([inClub.id]);
    expect(heardByLaptop.filter(([event]) => event === "message:create")).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await laptop.page.screenshot({ path: path.join(ARTIFACTS, "unread.png") });

    // Reading #random on the laptop clears it there and, through the server, on the phone.
    await laptop.page.getByTestId("channel-link-random").click();
    await messageWithText(laptop.page, "psst, over here").waitFor(WAIT);
    await expect.poll(() => focusedBy(ana.user.id).sort(), WAIT).toEqual([[general.id], [random.id]].sort());
    await expect.poll(unreadOf(phone, "channel-link-random"), WAIT).toBe("false");
    expect(await laptop.page.getByTestId("channel-link-random").getAttribute("data-unread")).toBe("false");
    // Reading Club on the phone clears the server's mark on the laptop.
    await phone.page.getByTestId(`rail-server-${club.id}`).click();
    await messageWithText(phone.page, "club news").waitFor(WAIT);
    await expect.poll(unreadOf(laptop, `rail-server-${club.id}`), WAIT).toBe("false");

    // Back to #general; Bo writes twice more in #random. Opening it shows where unread starts.
    await laptop.page.getByTestId("channel-link-general").click();
    await expect.poll(() => laptop.page.getByTestId("channel-name").textContent(), WAIT).toBe("general");
    const second = await rest.send(bo.token, random.id, "first thing you missed");
    await rest.send(bo.token, random.id, "second thing you missed");
    await expect.poll(unreadOf(laptop, "channel-link-random"), WAIT).toBe("true");
    // #random was loaded before: these two reach it only through the refill when it is focused again.
    expect(heardByLaptop.filter(([event, p]) => event === "message:create" && p.channelId === random.id && p.id === second.id)).toEqual([]);
    // The phone is in Club now: it shows the mark on Team's icon instead.
    await expect.poll(unreadOf(phone, `rail-server-${team.id}`), WAIT).toBe("true");
    await laptop.page.getByTestId("channel-link-random").click();
    const divider = laptop.page.getByTestId("new-divider");
    await divider.waitFor(WAIT);
    // The divider sits in the row of the first unread message, not above the one already read.
    const rowWithDivider = laptop.page.locator("li", { has: divider });
    expect(await rowWithDivider.locator('[data-testid="message"]').getAttribute("data-message-id")).toBe(second.id);
    expect(await laptop.page.locator("li", { has: laptop.page.locator(`[data-message-id="${first.id}"]`) }).getByTestId("new-divider").count()).toBe(0);
    await expect.poll(unreadOf(phone, `rail-server-${team.id}`), WAIT).toBe("false");

    // The server remembers: after a reload nothing is unread, and no divider shows.
    await laptop.page.reload();
    await messageWithText(laptop.page, "second thing you missed").waitFor(WAIT);
    await laptop.page.getByTestId(`member-${anaName}`).waitFor(WAIT);
    await laptop.page.waitForTimeout(500);
    expect(await laptop.page.getByTestId("new-divider").count()).toBe(0);
    expect(await laptop.page.getByTestId("channel-link-general").getAttribute("data-unread")).toBe("false");
    expect(await laptop.page.getByTestId(`rail-server-${club.id}`).getAttribute("data-unread")).toBe("false");
    expect([...laptop.pageErrors, ...phone.pageErrors]).toEqual([]);
  }, 180_000);
});
