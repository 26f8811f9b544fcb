// Losing the server: stop it and start it again on the same port and data directory (PGlite on
// disk). A message written during the outage waits, then is delivered exactly once; what
// someone else said while this browser was away appears without a reload. And a message
// written offline survives closing the tab.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type ParleyServer } from "../support/server";
import { CHROMIUM, WAIT, launchChromium, messageWithText, openPerson, restClient, sendFromComposer, signInInBrowser, uniqueUsername, type Person } from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/reconnect.e2e.test.ts: ${CHROMIUM} is not installed.`);

let dataDir: string;
let server: ParleyServer | undefined;
let browser: Browser | undefined;
let viewer: Person | undefined;

const onDisk = () => ({ dataDir, database: { kind: "pglite" as const, dataDir: path.join(dataDir, "pglite") } });

describe.skipIf(!hasChromium)("reconnecting after the server restarts", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-e2e-restart-"));
    server = await startServer(onDisk());
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await viewer?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  // First, while the first server instance runs: pages are only loaded before the restart.
  test("a message written offline survives closing the tab: the next visit sends it, once", async () => {
    const rest = restClient(server!.url);
    const deeName = uniqueUsername("Dee");
    const dee = await rest.register(deeName, "Dee");
    const place = await rest.createServer(dee.token, "Notebook");
    const channelId = place.channels[0]!.id;

    const tab = await openPerson(browser!, server!.url, "Dee", deeName);
    await signInInBrowser(tab, `/channels/${place.id}/${channelId}`);
    await tab.page.getByTestId(`member-${deeName}`).waitFor(WAIT);
    await tab.context.setOffline(true);
    await tab.page.locator('[data-testid="connection-banner"][data-status="offline"]').waitFor(WAIT);
    await sendFromComposer(tab.page, "written on the train");
    await tab.page.locator('[data-testid="message"][data-state="queued"]').filter({ hasText: "written on the train" }).waitFor(WAIT);
    await tab.page.close();
    expect(await rest.history(dee.token, channelId, "limit=5")).toEqual([]);

    // Later, online again, a new tab in the same browser: the message goes out by itself.
    await tab.context.setOffline(false);
    const later = await tab.context.newPage();
    await later.goto(`/channels/${place.id}/${channelId}`);
    await later.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "written on the train" }).waitFor(WAIT);
    await expect.poll(async () => (await rest.history(dee.token, channelId, "limit=5")).map((m) => m.content), WAIT).toEqual(["written on the train"]);
    await later.waitForTimeout(500);
    expect(await messageWithText(later, "written on the train").count()).toBe(1);
    expect(await later.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley.outbox")).map((k) => localStorage.getItem(k)))).toEqual([]);
    await tab.context.close();
  }, 120_000);

  test("a message sent while the gateway is cut is delivered once, and the other person's message appears", async () => {
    const rest = restClient(server!.url);
    const anaName = uniqueUsername("Ana");
    const ana = await rest.register(anaName, "Ana");
    const bo = await rest.register(uniqueUsername("Bo"), "Bo");
    const place = await rest.createServer(ana.token, "Outage");
    const channelId = place.channels[0]!.id;
    await rest.join(bo.token, (await rest.createInvite(ana.token, place.id)).code);

    viewer = await openPerson(browser!, server!.url, "Ana", anaName);
    const { page } = viewer;
    await signInInBrowser(viewer, `/channels/${place.id}/${channelId}`);
    await page.getByTestId(`member-${anaName}`).waitFor(WAIT);
    await sendFromComposer(page, "before the outage");
    await page.locator('[data-testid="message"][data-state="sent"]').filter({ hasText: "before the outage" }).waitFor(WAIT);

    // The server goes away: the page says so, and a message written now waits in the outbox.
    const port = server!.port;
    await server!.close();
    server = undefined;
    await page.locator('[data-testid="connection-banner"][data-status="reconnecting"]').waitFor(WAIT);
    await sendFromComposer(page, "written during the outage");
    const waiting = page.locator('[data-testid="message"]').filter({ hasText: "written during the outage" });
    await expect.poll(() => waiting.getAttribute("data-state"), WAIT).toBe("queued");

    // The browser is also offline while the server comes back and Bo talks, so Bo's message
    // can only reach it through the gap fill after reconnecting.
    await viewer.context.setOffline(true);
    await page.locator('[data-testid="connection-banner"][data-status="offline"]').waitFor(WAIT);
    server = await startServer({ ...onDisk(), port });
    expect(server.port).toBe(port);
    await rest.send(bo.token, channelId, "said while you were away");
    await page.waitForTimeout(500);
    expect(await messageWithText(page, "said while you were away").count()).toBe(0);
    expect(await waiting.getAttribute("data-state")).toBe("queued");

    // Back online: reconnect at once, send the waiting message, fill the gap, no reload.
    await viewer.context.setOffline(false);
    await messageWithText(page, "said while you were away").waitFor(WAIT);
    await expect.poll(() => waiting.getAttribute("data-state"), WAIT).toBe("sent");
    await page.locator('[data-testid="connection-banner"][data-status="connected"]').waitFor(WAIT);
    await page.getByTestId("connection-banner").waitFor({ state: "detached", ...WAIT });

    const history = await rest.history(bo.token, channelId, "limit=50");
    expect(history.filter((m) => m.content === "written during the outage")).toHaveLength(1);
    // Nothing else was stored, and nothing twice.
    expect(history.map((m) => m.content).sort()).toEqual(["before the outage", "said while you were away", "written during the outage"]);
    for (const text of ["before the outage", "written during the outage", "said while you were away"]) {
      expect(await messageWithText(page, text).count()).toBe(1);
    }
    expect(viewer.pageErrors).toEqual([]);
  }, 180_000);
});
