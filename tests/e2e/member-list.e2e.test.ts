// The member list of a large server in real Chromium (contract v2, members:subscribe and
// members:list): 1,200 members, of whom the page only ever loads the 100-row blocks in view.
// It shows the group counts and the first rows in order (display name case-insensitively, then
// id), a far block once scrolled to, and moves live: a join and a leave at the top, a member of
// the far block coming online (their row leaves the block for the online group), a status
// change, going offline again; switching servers leaves the big list. What the page shows is
// compared with the server's own stores, what it sends and receives is read off its WebSocket.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { MemberListItem, RowRange } from "../../lib/domain/member-list/types";
import type { Server } from "../../lib/domain/types";
import { loadMemberRows } from "../../lib/use-cases/shared/member-rows";
import { connectClient, disconnect, emitWithAck, type GatewayClient } from "../support/gateway";
import { expectedRows } from "../support/member-list-model";
import type { ParleyServer } from "../support/server";
import { CHROMIUM, WAIT, openPerson, restClient, serverAndBrowserForThisBlock, signInInBrowser, uniqueUsername, type Person, type RestClient } from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/member-list.e2e.test.ts: ${CHROMIUM} is not installed (apt-get install chromium).`);

const CROWD = 1_199; // plus the viewer: 1,200 members
const ROW_HEIGHT = 44; // components/chat/member-list-window.ts
const FAR_ROW = 640;
const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");

let server: ParleyServer;
let browser: Browser;
let rest: RestClient;
const people: Person[] = [];

/** Members written straight into the stores (no argon2, no REST): mixed case, one tie of names. */
async function seedCrowd(guild: Server): Promise<Array<{ id: string; displayName: string }>> {
  const { deps } = server;
  const run = Date.now().toString(36);
  const seeded: Array<{ id: string; displayName: string }> = [];
  for (let i = 0; i < CROWD; i++) {
    const id = deps.ids.next();
    // "member 0000" then "MEMBER 0000" (the same name to a case-insensitive sort: the lower id first).
    const displayName = `${["member", "MEMBER", "Member"][i % 3]} ${String(i === 1 ? 0 : i).padStart(4, "0")}`;
    if (!(await deps.metadata.createUser({ id, username: `m${run}_${i}`, displayName, passwordHash: "not-a-real-hash" }))) throw new Error(`could not create ${displayName}`);
    await deps.metadata.addMember(guild.id, id, new Date());
    seeded.push({ id, displayName });
  }
  return seeded;
}

/** The list as the server's stores hold it now, row for row. */
async function truth(guild: Server): Promise<MemberListItem[]> {
  return expectedRows(await loadMemberRows(server.deps, guild.id));
}

/** What a row of the page shows: "group:online:1", "member:<id>:<status>", or "placeholder". */
const describeItem = (item: MemberListItem | undefined) =>
  !item ? "missing" : "group" in item ? `group:${item.group.id}:${item.group.count}` : `member:${item.member.user.id}:${item.member.status}`;

async function renderedRows(page: Page): Promise<Map<number, string>> {
  const rows = await page.locator('[data-testid="member-list-scroller"] [data-row-index]').evaluateAll((els) =>
    els.map((el) => {
      const testId = el.getAttribute("data-testid") ?? "";
      const index = Number(el.getAttribute("data-row-index"));
      if (testId.startsWith("member-group-header-")) return [index, `group:${testId.slice(20)}:${el.getAttribute("data-count")}`] as const;
      if (testId === "member-placeholder") return [index, "placeholder"] as const;
      return [index, `member:${el.getAttribute("data-user-id")}:${el.getAttribute("data-status")}`] as const;
    }),
  );
  return new Map(rows);
}

/** Polls until rows [start, end] are on the page exactly as the server's stores have them (bounded). */
async function rowsMatchTruth(page: Page, guild: Server, start: number, end: number): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const [shown, rows] = await Promise.all([renderedRows(page), truth(guild)]);
    const wrong: string[] = [];
    for (let i = start; i <= end; i++) if (shown.get(i) !== describeItem(rows[i])) wrong.push(`${i}: shows ${shown.get(i)}, is ${describeItem(rows[i])}`);
    if (wrong.length === 0) return;
    if (Date.now() > deadline) throw new Error(`rows ${start}..${end} differ from the stores: ${wrong.slice(0, 5).join("; ")}`);
    await page.waitForTimeout(50);
  }
}

const scrollTo = (page: Page, row: number) => page.getByTestId("member-list-scroller").evaluate((el, top) => (el.scrollTop = top), row * ROW_HEIGHT);
const headerText = (page: Page, group: string) => page.getByTestId(`member-group-header-${group}`).innerText();
const listLabel = (page: Page) => page.getByTestId("member-list-scroller").getAttribute("aria-label");

/** Every members:subscribe the page sends and the size of every SYNC it receives, read off its WebSocket. */
function watchGateway(page: Page) {
  const subscribes: Array<{ serverId: string; ranges: RowRange[] }> = [];
  const syncSizes: number[] = [];
  const event = (frame: string | Buffer): [string, any] | undefined => {
    const match = /^42\d*(\[.*)$/s.exec(typeof frame === "string" ? frame : frame.toString());
    return match ? JSON.parse(match[1]!) : undefined;
  };
  page.on("websocket", (ws) => {
    ws.on("framesent", ({ payload }) => {
      const [name, body] = event(payload) ?? [];
      if (name === "members:subscribe") subscribes.push(body);
    });
    ws.on("framereceived", ({ payload }) => {
      const [name, body] = event(payload) ?? [];
      if (name === "members:list") for (const op of body.ops) if (op.op === "SYNC") syncSizes.push(op.items.length);
    });
  });
  return { subscribes, syncSizes };
}

describe.skipIf(!hasChromium)("the member list of a large server", () => {
  serverAndBrowserForThisBlock((started, launched) => {
    server = started;
    browser = launched;
    rest = restClient(started.url);
  }, people);

  test("shows counts and sorted rows, loads only the blocks in view, and stays live", async () => {
    const viewerName = uniqueUsername("Aaron");
    const viewer = await rest.register(viewerName, "Aaron Viewer");
    const guild = await rest.createServer(viewer.token, "Big Guild");
    const small = await rest.createServer(viewer.token, "Small Place");
    const crowd = await seedCrowd(guild);

    const person = await openPerson(browser, server.url, "Aaron Viewer", viewerName);
    people.push(person);
    const { page } = person;
    const gateway = watchGateway(page);
    const memberFetches: string[] = [];
    page.on("request", (request) => {
      if (/\/api\/v1\/servers\/\d+\/members/.test(request.url())) memberFetches.push(request.url());
    });
    await signInInBrowser(person, `/channels/${guild.id}/${guild.channels[0]!.id}`);

    // The counts, and the first rows in order: me online, then "member 0000" before "MEMBER 0000" (lower id).
    await expect.poll(() => headerText(page, "online"), WAIT).toBe("ONLINE — 1");
    await expect.poll(() => headerText(page, "offline"), WAIT).toBe("OFFLINE — 1,199");
    expect(await listLabel(page)).toBe("Members, 1,200: 1 online, 1,199 offline");
    await rowsMatchTruth(page, guild, 0, 15);
    const rows = await truth(guild);
    expect(describeItem(rows[1])).toBe(`member:${viewer.user.id}:online`);
    expect([3, 4, 5].map((i) => describeItem(rows[i]))).toEqual(crowd.slice(0, 3).map((m) => `member:${m.id}:offline`));
    expect(await page.getByTestId("member-group-offline").getByTestId("member-name").first().textContent()).toBe("member 0000");
    // Virtualized: the canvas is every row tall, the page holds only the rows in view.
    const canvasHeight = await page.getByTestId("member-list-scroller").evaluate((el) => (el.firstElementChild as HTMLElement).offsetHeight);
    expect(canvasHeight).toBe(1_202 * ROW_HEIGHT);
    expect((await renderedRows(page)).size).toBeLessThan(60);

    // Someone joins (offline, so first of the offline group), then leaves: both show live.
    const newcomerName = uniqueUsername("Aa");
    const newcomer = await rest.register(newcomerName, "Aa Newcomer");
    await rest.join(newcomer.token, (await rest.createInvite(viewer.token, guild.id)).code);
    await page.getByTestId(`member-${newcomerName}`).waitFor(WAIT);
    await expect.poll(() => headerText(page, "offline"), WAIT).toBe("OFFLINE — 1,200");
    await rowsMatchTruth(page, guild, 0, 15);
    const left = await fetch(`${server.url}/api/v1/servers/${guild.id}/members/@me`, { method: "DELETE", headers: { authorization: `Bearer ${newcomer.token}` } });
    expect(left.status).toBe(204);
    await page.getByTestId(`member-${newcomerName}`).waitFor({ state: "detached", ...WAIT });
    await expect.poll(() => headerText(page, "offline"), WAIT).toBe("OFFLINE — 1,199");

    // Far down: the block in view and the next one are subscribed, and their rows arrive.
    await scrollTo(page, FAR_ROW);
    await rowsMatchTruth(page, guild, FAR_ROW, FAR_ROW + 12);
    expect(gateway.subscribes.at(-1)).toEqual({ serverId: guild.id, ranges: [[600, 699], [700, 799]] });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "member-list-far-block.png") });

    // A member shown in that block comes online: their row leaves it for the online group.
    const target = (await truth(guild))[FAR_ROW + 5]!;
    if (!("member" in target)) throw new Error("row is not a member");
    const targetRow = page.locator(`[data-user-id="${target.member.user.id}"]`);
    expect(await targetRow.getAttribute("data-status")).toBe("offline");
    let socket: GatewayClient | undefined;
    try {
      socket = (await connectClient(server.url, await server.deps.tokens.sign({ sub: target.member.user.id, sid: target.member.user.id }))).socket;
      await targetRow.waitFor({ state: "detached", ...WAIT });
      await rowsMatchTruth(page, guild, FAR_ROW, FAR_ROW + 12);
      await expect.poll(() => listLabel(page), WAIT).toBe("Members, 1,200: 2 online, 1,198 offline");

      // Back at the top they are online, and a status change shows in place.
      await scrollTo(page, 0);
      await page.getByTestId("member-group-online").locator(`[data-user-id="${target.member.user.id}"] [data-testid="presence-dot"][data-status="online"]`).waitFor(WAIT);
      expect(await headerText(page, "online")).toBe("ONLINE — 2");
      expect((await emitWithAck(socket, "presence:set", { status: "dnd" })).ok).toBe(true);
      await page.getByTestId("member-group-online").locator(`[data-user-id="${target.member.user.id}"][data-status="dnd"]`).waitFor(WAIT);
      await rowsMatchTruth(page, guild, 0, 15);
      await page.screenshot({ path: path.join(ARTIFACTS, "member-list-top.png") });
    } finally {
      if (socket) await disconnect(socket);
    }
    // Gone again: back to the offline group, where they were.
    await page.getByTestId("member-group-online").locator(`[data-user-id="${target.member.user.id}"]`).waitFor({ state: "detached", ...WAIT });
    await expect.poll(() => headerText(page, "online"), WAIT).toBe("ONLINE — 1");
    await scrollTo(page, FAR_ROW);
    await page.getByTestId("member-group-offline").locator(`[data-user-id="${target.member.user.id}"][data-row-index="${FAR_ROW + 5}"]`).waitFor(WAIT);

    // Another server: its list is subscribed, and the big one's left with ranges: [].
    const before = gateway.subscribes.length;
    await page.getByTestId(`rail-server-${small.id}`).click();
    await page.getByTestId("member-group-online").getByTestId(`member-${viewerName}`).waitFor(WAIT);
    await expect.poll(() => headerText(page, "online"), WAIT).toBe("ONLINE — 1");
    expect(await page.getByTestId("member-group-header-offline").count()).toBe(0); // an empty group has no header
    expect(await listLabel(page)).toBe("Members, 1: 1 online, 0 offline");
    expect(gateway.subscribes.slice(before)).toEqual([{ serverId: guild.id, ranges: [] }, { serverId: small.id, ranges: [[0, 99], [100, 199]] }]);

    // Lazy throughout: no REST member fetch, no SYNC bigger than two blocks, every subscribe in shape.
    expect(memberFetches).toEqual([]);
    expect(Math.max(...gateway.syncSizes)).toBeLessThanOrEqual(100);
    for (const { ranges } of gateway.subscribes) {
      expect(ranges.length).toBeLessThanOrEqual(3);
      for (const [start, end] of ranges) expect(start % 100 === 0 && start <= end && end <= start + 99).toBe(true);
    }
    expect(gateway.subscribes.length).toBeLessThanOrEqual(8);
    expect(person.pageErrors).toEqual([]);
  }, 240_000);
});
