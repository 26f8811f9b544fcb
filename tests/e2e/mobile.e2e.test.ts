// On a phone-sized screen (390×844): the channel list and the member list are drawers that
// open, take focus, close on Escape, a tap outside or a channel pick; a message can be sent.
// Also the light theme, remembered across a reload, and the screenshots of the main screens.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { ParleyServer } from "../support/server";
import {
  CHROMIUM, PASSWORD, WAIT, messageWithText, restClient, uniqueUsername, serverAndBrowserForThisBlock,
} from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/mobile.e2e.test.ts: ${CHROMIUM} is not installed.`);

const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");
let server: ParleyServer | undefined;
let browser: Browser | undefined;

describe.skipIf(!hasChromium)("on a phone", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    browser = launched;
  });

  test("the drawers open and close like dialogs, and a message can be sent", async () => {
    const rest = restClient(server!.url);
    const anaName = uniqueUsername("Ana");
    const ana = await rest.register(anaName, "Ana");
    const bo = await rest.register(uniqueUsername("Bo"), "Bo Builder");
    const team = await rest.createServer(ana.token, "Weekend Hikers");
    const general = team.channels[0]!;
    const trailReports = await rest.createChannel(ana.token, team.id, "trail-reports");
    await rest.join(bo.token, (await rest.createInvite(ana.token, team.id)).code);
    await rest.send(bo.token, general.id, "Who's in for Saturday? Forecast says sunny: https://weather.example/sat");
    await rest.send(ana.token, general.id, "Count me in! I'll bring snacks.");
    await rest.send(ana.token, general.id, "Meet at the north trailhead at 8?");
    await rest.send(bo.token, general.id, "8 works. I'll post the route in #trail-reports.");

    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`/login?callbackUrl=${encodeURIComponent(`/channels/${team.id}/${general.id}`)}`);
    await page.getByTestId("login-username").fill(anaName);
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").tap();
    await messageWithText(page, "Count me in!").waitFor(WAIT);

    // The chat fills the screen; the channel list and member list are tucked away.
    const sidebar = page.getByTestId("channel-sidebar");
    const members = page.getByTestId("member-list");
    await expect.poll(() => sidebar.isVisible(), WAIT).toBe(false);
    expect(await members.isVisible()).toBe(false);
    const activeTestId = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));

    // The channel drawer: opens with focus on the open channel, closes on Escape.
    await page.getByTestId("open-channels").tap();
    await expect.poll(() => sidebar.isVisible(), WAIT).toBe(true);
    expect(await page.getByTestId("server-rail").isVisible()).toBe(true);
    await expect.poll(activeTestId, WAIT).toBe("channel-link-general");
    // The chat behind it is out of reach for keyboard and screen reader.
    expect(await page.locator("main[inert]").count()).toBe(1);
    await page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "mobile-drawer.png") });
    await page.keyboard.press("Escape");
    await expect.poll(() => sidebar.isVisible(), WAIT).toBe(false);
    expect(await activeTestId()).toBe("open-channels");

    // Picking a channel in the drawer opens it and closes the drawer.
    await page.getByTestId("open-channels").tap();
    await page.getByTestId("channel-link-trail-reports").tap();
    await expect.poll(() => page.getByTestId("channel-name").textContent(), WAIT).toBe("trail-reports");
    await expect.poll(() => sidebar.isVisible(), WAIT).toBe(false);

    // The member list drawer: both people listed; a tap outside closes it.
    await page.getByTestId("toggle-members").tap();
    await expect.poll(() => members.isVisible(), WAIT).toBe(true);
    await members.getByTestId(`member-${anaName}`).waitFor(WAIT);
    expect(await members.getByText("Bo Builder").isVisible()).toBe(true);
    await page.getByTestId("drawer-backdrop").tap({ position: { x: 40, y: 400 } });
    await expect.poll(() => members.isVisible(), WAIT).toBe(false);

    // Sending with the on-screen button, and receiving live.
    await page.getByTestId("composer").fill("Trail is muddy but fine");
    await page.getByTestId("send-button").tap();
    await page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "Trail is muddy but fine" }).waitFor(WAIT);
    expect(await page.getByTestId("composer").inputValue()).toBe("");
    const stored = await rest.history(bo.token, trailReports.id, "limit=5");
    expect(stored.map((m) => m.content)).toEqual(["Trail is muddy but fine"]);
    await rest.send(bo.token, trailReports.id, "Thanks for checking!");
    await messageWithText(page, "Thanks for checking!").waitFor(WAIT);

    // The light theme, from the user card in the drawer; it is remembered across a reload.
    await page.getByTestId("open-channels").tap();
    await page.getByTestId("theme-toggle").tap();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    await page.keyboard.press("Escape");
    await page.reload();
    await messageWithText(page, "Thanks for checking!").waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
    await page.screenshot({ path: path.join(ARTIFACTS, "mobile-light.png") });

    // Wide again, still light: the three columns side by side.
    await page.setViewportSize({ width: 1280, height: 760 });
    await page.getByTestId("channel-link-general").click();
    await messageWithText(page, "Count me in!").waitFor(WAIT);
    await expect.poll(() => members.isVisible(), WAIT).toBe(true);
    expect(await sidebar.isVisible()).toBe(true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, "desktop-light.png") });
    await page.getByTestId("theme-toggle").click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.mouse.move(700, 300);
    await page.waitForTimeout(200);
    // docs/screenshot.png (shown in the README) is a copy of this one, taken by hand.
    await page.screenshot({ path: path.join(ARTIFACTS, "screenshot.png") });

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
