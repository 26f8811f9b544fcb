// A MessageStore that answers the common history reads (the newest page, the pages just below
// it, catching up from a recent cursor) from each channel's newest messages kept in memory,
// and everything else from the store it wraps. Exactly coherent only when every insert into
// that store goes through this one instance, i.e. when this process is the database's only
// writer: server/build-deps.ts decides where that holds.
import { canonicalId, compareIds, isWellFormedId, type Snowflake } from "../../ids/snowflake";
import { storedUnder, type HistoryQuery, type InsertResult, type MessageStore, type StoredMessage } from "../../ports/message-store";
import { BoundedMap } from "./bounded-map";
import { MessageWindow } from "./message-window";

export interface RecentMessagesOptions {
  /** Messages read per channel at first, and per step as readers scroll back: two of the largest pages (100). */
  windowSize: number;
  /** The most messages kept per channel (its newest ones). */
  windowCap: number;
  /** Channels kept; the least recently used is forgotten first. */
  channels: number;
  /** Memory the windows may hold together (estimated); the least recently used go first. */
  budgetBytes: number;
}

/**
 * 64 MiB: about 1,000 channels of 200 short messages, 40 channels scrolled back to their cap of
 * 5,000 short messages, or 80 of 200 of the longest.
 */
const DEFAULTS: RecentMessagesOptions = { windowSize: 200, windowCap: 5_000, channels: 1000, budgetBytes: 64 * 1024 * 1024 };

/** A window being read from the store (or extended), and what was inserted meanwhile. */
interface Load {
  done: Promise<void>;
  /** Inserts that resolved while the load ran: its snapshot may predate them. */
  arrivals: StoredMessage[];
  /** An insert failed meanwhile: it may have written or not, so this load must not be kept. */
  spoiled: boolean;
}

export class RecentMessagesStore implements MessageStore {
  private readonly windows: BoundedMap<Snowflake, MessageWindow>;
  private readonly loads = new Map<Snowflake, Load>();
  /** Windows being extended downwards, by channel: concurrent readers share one read. */
  private readonly extensions = new Map<Snowflake, Load>();
  private readonly options: RecentMessagesOptions;
  /** What every kept window holds, by MessageWindow's estimate. */
  private bytes = 0;

  constructor(
    private readonly inner: MessageStore,
    options: Partial<RecentMessagesOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.windows = new BoundedMap(this.options.channels, (window) => (this.bytes -= window.bytes));
  }

  /** The window learns of a message before `insert` resolves, so reads after it see it. */
  async insert(message: StoredMessage): Promise<InsertResult> {
    // The store compares ids as numbers: "007" and "7" are one channel, and so one window.
    const channel = canonicalId(message.channelId);
    let result: InsertResult;
    try {
      result = await this.inner.insert(message);
    } catch (err) {
      this.forget(channel);
      throw err;
    }
    if (result.inserted) {
      const stored = asListed(storedUnder(message, result.id));
      const window = this.windows.get(channel);
      if (window) {
        const before = window.bytes;
        window.add(stored);
        this.resize(window.bytes - before);
      }
      this.loads.get(channel)?.arrivals.push(stored);
      this.extensions.get(channel)?.arrivals.push(stored);
    }
    return result;
  }

  get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    return this.inner.get(channelId, messageId);
  }

  findByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<StoredMessage | null> {
    return this.inner.findByNonce(channelId, authorId, nonce);
  }

  async list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    if (!isPlain(channelId, query)) return this.inner.list(channelId, query);
    const channel = canonicalId(channelId);
    // Clients open a channel at its newest page: that is when reading a window (a few times
    // the cost of one page) pays off. Older pages of a channel without one go to the store.
    const newestPage = query.before === undefined && query.after === undefined;
    if (newestPage && !this.windows.get(channel)) await this.load(channel);
    // Looked up again after each wait: only a window still kept is kept up to date.
    const answer = this.windows.get(channel)?.answer(query);
    if (answer) return answer;
    // Scrolling back past the window's bottom: it grows by one step towards the reader (one
    // read of `windowSize` messages, or of the page when larger, per miss, up to its cap), so a
    // channel read back again and again ends up answered from memory. A cursor already below
    // the bottom (a jump into old history) is read from the store alone: growing the window
    // there would read messages that reader does not want.
    const bottom = this.windows.get(channel)?.bottom;
    if (query.before !== undefined && bottom !== undefined && compareIds(query.before, bottom) >= 0) {
      await this.extend(channel, query.limit);
      const extended = this.windows.get(channel)?.answer(query);
      if (extended) return extended;
    }
    return this.inner.list(channelId, query);
  }

  /** Reads the messages just below a window's oldest into it; concurrent readers share one read. */
  private extend(channelId: Snowflake, pageLimit: number): Promise<void> {
    const running = this.extensions.get(channelId);
    if (running) return running.done;
    const window = this.windows.get(channelId);
    const bottom = window?.bottom;
    if (!window || bottom === undefined || window.size >= this.options.windowCap) return Promise.resolve();
    // At least a page: a reader scrolling back page by page never outruns its window.
    const limit = Math.max(this.options.windowSize, pageLimit);
    const extension: Load = { done: Promise.resolve(), arrivals: [], spoiled: false };
    extension.done = this.inner
      .list(channelId, { before: bottom, limit })
      .then((older) => {
        // Kept only into the window it was read for, and not if an insert failed meanwhile (see `forget`).
        if (extension.spoiled || this.windows.get(channelId) !== window) return;
        const before = window.bytes;
        window.extendOlder(bottom, older, limit);
        // The read may predate an insert that resolved meanwhile (one far older than the newest).
        for (const message of extension.arrivals) window.add(message);
        this.resize(window.bytes - before);
      })
      .finally(() => this.extensions.delete(channelId));
    this.extensions.set(channelId, extension);
    return extension.done;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Reads the channel's newest messages into a window; concurrent readers share one load. */
  private load(channelId: Snowflake): Promise<void> {
    const running = this.loads.get(channelId);
    if (running) return running.done;
    const load: Load = { done: Promise.resolve(), arrivals: [], spoiled: false };
    load.done = this.inner
      .list(channelId, { limit: this.options.windowSize })
      .then((newest) => {
        if (load.spoiled) return;
        const window = new MessageWindow(this.options.windowSize, newest, this.options.windowCap);
        for (const message of load.arrivals) window.add(message);
        this.windows.set(channelId, window);
        this.resize(window.bytes);
      })
      .finally(() => {
        if (this.loads.get(channelId) === load) this.loads.delete(channelId);
      });
    this.loads.set(channelId, load);
    return load.done;
  }

  /** Accounts for windows growing (or arriving) and keeps them within budget, least recently read first. */
  private resize(deltaBytes: number): void {
    this.bytes += deltaBytes;
    while (this.bytes > this.options.budgetBytes && this.windows.deleteOldest()) {
      /* each deletion reports the window's bytes back through the map's onLeave */
    }
  }

  private forget(channelId: Snowflake): void {
    this.windows.delete(channelId);
    const load = this.loads.get(channelId);
    if (load) load.spoiled = true;
    const extension = this.extensions.get(channelId);
    if (extension) extension.spoiled = true;
  }
}

/** Queries the window can judge; anything odd goes to the store, which answers (or refuses) it. */
const isPlain = (channelId: Snowflake, q: HistoryQuery) =>
  isWellFormedId(channelId) &&
  Number.isSafeInteger(q.limit) &&
  q.limit >= 0 &&
  (q.before === undefined || isWellFormedId(q.before)) &&
  (q.after === undefined || isWellFormedId(q.after));

/** The message as the store lists it: ids and time in canonical form, no empty nonce key; frozen. */
function asListed(m: StoredMessage): StoredMessage {
  return Object.freeze({
    id: canonicalId(m.id),
    channelId: canonicalId(m.channelId),
    serverId: canonicalId(m.serverId),
    authorId: canonicalId(m.authorId),
    content: m.content,
    ...(m.nonce !== undefined && m.nonce !== null ? { nonce: m.nonce } : {}),
    createdAt: isIsoUtc(m.createdAt) ? m.createdAt : new Date(m.createdAt).toISOString(),
  });
}

/** Already in toISOString's form ("2026-12-02T07:05:36.123Z", as createdAtOf makes it). */
const isIsoUtc = (time: string) => time.length === 24 && time.charCodeAt(23) === 90 /* "Z" */ && time.charCodeAt(10) === 84 /* "T" */;
