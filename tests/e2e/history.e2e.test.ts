// History in the browser: scrolling back through 500 seeded messages loads every one of them,
// in order, with no gaps and no duplicates, without moving what you are reading; and the
// virtualized list stays responsive with 10,000 messages loaded.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { describe, expect, test } from "vitest";
import { compareIds } from "../../lib/ids/snowflake";
import type { ParleyServer } from "../support/server";
import {
  CHROMIUM, WAIT, loadedCount, messageWithText, openPerson, renderedMessages, restClient, scrollToBeginning, seedMessages, sendFromComposer, signInInBrowser, uniqueUsername, type Person, type RestClient, serverAndBrowserForThisBlock,
} from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/history.e2e.test.ts: ${CHROMIUM} is not installed.`);

let server: ParleyServer | undefined;
let browser: Browser | undefined;
let rest: RestClient;
const people: Person[] = [];

/** A user with a fresh server whose #general holds `count` seeded messages, signed in there. */
async function channelWithHistory(count: number, prefix: string) {
  const username = uniqueUsername("Reader");
  const owner = await rest.register(username, "Reader");
  const guild = await rest.createServer(owner.token, `${prefix} archive`);
  const channelId = guild.channels[0]!.id;
  const ids = await seedMessages(server!, { channelId, serverId: guild.id, authorId: owner.user.id }, count, prefix);
  const reader = await openPerson(browser!, server!.url, "Reader", username);
  people.push(reader);
  await signInInBrowser(reader, `/channels/${guild.id}/${channelId}`);
  return { reader, ids, channelId };
}

const log = (p: Person) => p.page.getByTestId("message-list");

/**
 * Runs in the page: scrolls the log to the top, picks the first message in view, then for
 * ~1.5 s records every frame where that message's row is and how many messages are loaded.
 * (The row, not the text: a message that gains an older neighbour by the same author loses
 * its header, as in every chat app, but its row must not move.)
 */
function samplePositions(el: HTMLElement): Promise<Array<{ id: string; top: number; count: number }>> {
  el.scrollTop = 0;
  const samples: Array<{ id: string; top: number; count: number }> = [];
  const started = performance.now();
  let id: string | undefined;
  return new Promise((resolve) => {
    const sample = () => {
      const viewTop = el.getBoundingClientRect().top;
      id ??= Array.from(el.querySelectorAll<HTMLElement>("[data-message-id]")).find((r) => r.getBoundingClientRect().bottom > viewTop + 1)?.dataset.messageId;
      const row = id ? el.querySelector(`[data-message-id="${id}"]`)?.closest("li") : null;
      samples.push({ id: id ?? "none", top: row ? row.getBoundingClientRect().top : NaN, count: Number(el.dataset.messageCount) });
      if (performance.now() - started < 1_500) requestAnimationFrame(sample);
      else resolve(samples);
    };
    // The first frame only renders the rows for the new position; sample from the next one.
    requestAnimationFrame(() => requestAnimationFrame(sample));
  });
}

describe.skipIf(!hasChromium)("history", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    rest = restClient(started.url);
    browser = launched;
  }, people);

  test("scrolling back through 500 messages loads all of them in order, no gaps, no duplicates, without jumps", async () => {
    const { reader, ids } = await channelWithHistory(500, "seed");
    await messageWithText(reader.page, "seed 0499").waitFor(WAIT);
    expect(await loadedCount(reader.page)).toBeLessThan(500);

    // Reading the oldest loaded messages while the next page arrives above them: the message
    // at the top of the view must stay exactly where it is, frame after frame.
    let observedLoad = false;
    for (let attempt = 0; attempt < 5 && !observedLoad; attempt++) {
      const samples = await log(reader).evaluate(samplePositions);
      const loaded = samples.findIndex((s) => s.count > samples[0]!.count);
      if (loaded <= 0) continue;
      observedLoad = true;
      const first = samples[0]!;
      for (const sample of samples) expect({ id: sample.id, top: Math.round(sample.top) }).toEqual({ id: first.id, top: Math.round(first.top) });
    }
    expect(observedLoad).toBe(true);

    await scrollToBeginning(reader.page);
    expect(await loadedCount(reader.page)).toBe(500);

    // Walk down the whole log, collecting every row the virtualized list renders on the way.
    const seen = new Map<string, string>();
    await log(reader).evaluate((el) => (el.scrollTop = 0));
    for (let guard = 0; guard < 400; guard++) {
      const rows = await renderedMessages(reader.page);
      const order = rows.map((r) => r.id);
      expect(order).toEqual([...order].sort(compareIds));
      expect(new Set(order).size).toBe(order.length);
      for (const row of rows) seen.set(row.id, row.text);
      const atEnd = await log(reader).evaluate((el) => {
        const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
        el.scrollTop += el.clientHeight * 0.8;
        return end;
      });
      if (atEnd) break;
      await reader.page.waitForTimeout(30);
    }
    const sorted = [...seen.keys()].sort(compareIds);
    expect(sorted).toEqual(ids);
    expect(sorted.map((id) => seen.get(id))).toEqual(ids.map((_, i) => `seed ${String(i).padStart(4, "0")}`));
    expect(reader.pageErrors).toEqual([]);
  }, 180_000);

  test("with 10,000 messages loaded the list keeps only a screenful in the DOM and stays responsive", async () => {
    const { reader, ids } = await channelWithHistory(10_000, "bulk");
    await messageWithText(reader.page, "bulk 9999").waitFor(WAIT);
    await scrollToBeginning(reader.page, 170_000);
    expect(await loadedCount(reader.page)).toBe(10_000);
    await log(reader).evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => renderedMessages(reader.page).then((rows) => rows[0]?.text), WAIT).toBe("bulk 0000");

    // Jump around the log: each position renders its own few rows, in a frame or two.
    const timings: number[] = [];
    for (const fraction of [0.25, 0.5, 0.75, 0.1, 0.9, 0.6]) {
      const elapsed = await log(reader).evaluate(async (el, f) => {
        const started = performance.now();
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - started;
      }, fraction);
      timings.push(elapsed);
      const rows = await renderedMessages(reader.page);
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.length).toBeLessThan(150);
      const middle = Number(rows[Math.floor(rows.length / 2)]!.text.split(" ")[1]);
      expect(Math.abs(middle - fraction * 10_000)).toBeLessThan(600);
    }
    expect(await reader.page.locator('[data-testid="message"]').count()).toBeLessThan(150);
    // Generous: a frame or two each, far from the seconds a non-virtualized 10k list takes.
    expect(Math.max(...timings)).toBeLessThan(1_000);

    // Sending from far up the log brings the view back to the present with the new message.
    await sendFromComposer(reader.page, "still snappy");
    await messageWithText(reader.page, "still snappy").waitFor(WAIT);
    await expect.poll(() => log(reader).getAttribute("data-at-bottom"), WAIT).toBe("true");
    expect(ids).toHaveLength(10_000);
    expect(reader.pageErrors).toEqual([]);
  }, 300_000);
});
