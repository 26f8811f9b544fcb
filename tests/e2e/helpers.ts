// Shared pieces of the browser tests: launching Chromium, people with their own browser
// context, and a small REST client (bearer token) for setting up data quickly.
import type { Deps } from "../../lib/deps";
import type { Channel, Message, Server, User } from "../../lib/domain/types";
import { timestampOf } from "../../lib/ids/snowflake";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type ParleyServer } from "../support/server";

export const CHROMIUM = "/usr/bin/chromium";
export const WAIT = { timeout: 15_000 };
export const PASSWORD = "correct horse battery";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

let counter = 0;
/** Unique per run and per call, within the contract's 3–32 chars of a-z 0-9 _ . */
export function uniqueUsername(displayName: string): string {
  counter += 1;
  return `${displayName.toLowerCase()}_${Date.now().toString(36)}${counter}`;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  username: string;
  displayName: string;
  /** Set if any alert/confirm/prompt opened: markup in a message must never execute. */
  sawDialog: boolean;
  /** Uncaught exceptions and Content-Security-Policy violations in the page: a healthy UI has none. */
  pageErrors: string[];
}

export async function openPerson(browser: Browser, baseURL: string, displayName: string, username = uniqueUsername(displayName)): Promise<Person> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 820 } });
  const page = await context.newPage();
  const person: Person = { context, page, displayName, username, sawDialog: false, pageErrors: [] };
  page.on("pageerror", (error) => person.pageErrors.push(error.message));
  // Chromium reports each CSP refusal on the console ("Refused to execute inline script …").
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) person.pageErrors.push(`CSP: ${message.text()}`);
  });
  page.on("dialog", (dialog) => {
    person.sawDialog = true;
    void dialog.dismiss();
  });
  return person;
}

export async function registerInBrowser(person: Person): Promise<void> {
  await person.page.goto("/register");
  await fillRegisterForm(person);
  await person.page.waitForURL(/\/channels/, WAIT);
}

/** Fills and submits the form on the current /register page. */
export async function fillRegisterForm(person: Person): Promise<void> {
  const { page } = person;
  await page.getByTestId("register-username").fill(person.username);
  await page.getByTestId("register-display-name").fill(person.displayName);
  await page.getByTestId("register-password").fill(PASSWORD);
  await page.getByTestId("register-submit").click();
}

/** Signs in through /login, starting from a protected page so the callbackUrl is exercised. */
export async function signInInBrowser(person: Person, path: string): Promise<void> {
  const { page } = person;
  await page.goto(path);
  await page.waitForURL(/\/login\?callbackUrl=/, WAIT);
  await page.getByTestId("login-username").fill(person.username);
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.waitForURL((url) => url.pathname === path, WAIT);
}

export async function sendFromComposer(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId("composer");
  await composer.fill(text);
  await composer.press("Enter");
}

export function messageWithText(page: Page, text: string) {
  return page.getByTestId("message-content").filter({ hasText: text });
}

/** REST with a bearer token, failing loudly on any non-2xx answer. */
export function restClient(baseUrl: string) {
  async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    register: (username: string, displayName: string) =>
      call<{ user: User; token: string }>("POST", "/auth/register", undefined, { username, password: PASSWORD, displayName }),
    createServer: (token: string, name: string) => call<Server>("POST", "/servers", token, { name }),
    createChannel: (token: string, serverId: string, name: string) => call<Channel>("POST", `/servers/${serverId}/channels`, token, { name }),
    createInvite: (token: string, serverId: string) => call<{ code: string }>("POST", `/servers/${serverId}/invites`, token),
    join: (token: string, code: string) => call<Server>("POST", `/invites/${code}`, token),
    send: (token: string, channelId: string, content: string) =>
      call<Message>("POST", `/channels/${channelId}/messages`, token, { content }),
    history: (token: string, channelId: string, query: string) =>
      call<Message[]>("GET", `/channels/${channelId}/messages?${query}`, token),
  };
}

export type RestClient = ReturnType<typeof restClient>;

/** Stores `count` messages straight into history (no rate limit), oldest first: `${prefix} 0000`… */
export async function seedMessages(
  server: { deps: Deps },
  target: { channelId: string; serverId: string; authorId: string },
  count: number,
  prefix: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = server.deps.ids.next();
    await server.deps.messages.insert({ id, ...target, content: `${prefix} ${String(i).padStart(4, "0")}`, createdAt: new Date(timestampOf(id)).toISOString() });
    ids.push(id);
  }
  return ids;
}

/** The message rows the virtualized list has in the DOM right now: id and text, top to bottom. */
export function renderedMessages(page: Page): Promise<Array<{ id: string; text: string }>> {
  return page.locator('[data-testid="message"][data-message-id]').evaluateAll((els) =>
    els.map((el) => ({ id: el.getAttribute("data-message-id")!, text: el.querySelector('[data-testid="message-content"]')?.textContent ?? "" })),
  );
}

/** How many confirmed messages the open channel holds in memory (rendered or not). */
export async function loadedCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("message-list").getAttribute("data-message-count"));
}

/** Scrolls the message log to the top until the channel's very first message is loaded. */
export async function scrollToBeginning(page: Page, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.getByTestId("channel-start").isVisible())) {
    if (Date.now() > deadline) throw new Error(`history did not reach the beginning; ${await loadedCount(page)} loaded`);
    await page.getByTestId("message-list").evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(50);
  }
}

/**
 * A real server and a headless Chromium for one describe block, both closed after its last
 * test together with the browser contexts of everyone in `people` (the list may grow later).
 */
export function serverAndBrowserForThisBlock(onStart: (server: ParleyServer, browser: Browser) => void, people: Person[] = []): void {
  let server: ParleyServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    onStart(server, browser);
  }, 120_000);
  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
  }, 60_000);
}
