// The app runs under its own Content-Security-Policy in real Chromium: registering, signing in
// through next-auth, the live gateway, the stored theme's inline script and the service worker
// all work with no CSP refusal on the console (openPerson records refusals as page errors).
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { describe, expect, test } from "vitest";
import { THEME_COLOR, THEME_STORAGE_KEY } from "../../components/lib/theme";
import type { ParleyServer } from "../support/server";
import { CHROMIUM, WAIT, messageWithText, openPerson, registerInBrowser, sendFromComposer, serverAndBrowserForThisBlock, signInInBrowser, type Person } from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/security.e2e.test.ts: ${CHROMIUM} is not installed (apt-get install chromium).`);

let server: ParleyServer | undefined;
let browser: Browser | undefined;
const people: Person[] = [];

describe.skipIf(!hasChromium)("the app under its Content-Security-Policy", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    browser = launched;
  }, people);

  test("every page a person walks through runs with no CSP refusal, the theme script included", async () => {
    const ana = await openPerson(browser!, server!.url, "Ana");
    people.push(ana);
    await registerInBrowser(ana);
    await ana.page.getByTestId("rail-create-server").click();
    const dialog = ana.page.getByRole("dialog", { name: "Create a server" });
    await dialog.getByTestId("create-server-name").fill("Policy Testers");
    await dialog.getByTestId("create-server-submit").click();
    await ana.page.waitForURL(/\/channels\/\d+\/\d+$/, WAIT);

    // Live over the gateway (connect-src) and rendered.
    await sendFromComposer(ana.page, "under the policy");
    await messageWithText(ana.page, "under the policy").waitFor(WAIT);

    // The inline theme script runs before React: a stored light theme is applied by it.
    await ana.page.evaluate(([key]) => localStorage.setItem(key!, "light"), [THEME_STORAGE_KEY]);
    await ana.page.reload();
    await expect.poll(() => ana.page.evaluate(() => document.documentElement.dataset.theme), WAIT).toBe("light");
    expect(await ana.page.locator('meta[name="theme-color"]').first().getAttribute("content")).toBe(THEME_COLOR.light);

    // The service worker registers (worker-src), and a fresh sign-in through next-auth works.
    await expect.poll(() => ana.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? "none"), WAIT).toBe("activated");
    const bo = await openPerson(browser!, server!.url, "Bo", ana.username);
    people.push(bo);
    await signInInBrowser(bo, "/channels");
    await bo.page.waitForURL(/\/channels/, WAIT);

    expect([...ana.pageErrors, ...bo.pageErrors]).toEqual([]);
  });
});
