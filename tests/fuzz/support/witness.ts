// Property (b) of the fuzz: the server is still up and another user's connection, open since
// before the fuzz began, still receives an ordinary message (sent by a third user over REST).
import { expect } from "vitest";
import type { ApiClient, TestUser } from "../../support/api";
import type { GatewayClient } from "../../support/gateway";
import { waitFor } from "../../support/gateway";

export interface Witness {
  /** Sends a message and waits for the observer to hear it; returns the stored message's id. */
  check(label: string): Promise<string>;
  /** Ids of every witness message sent (they belong in the channel's history). */
  readonly sent: Map<string, string>;
}

/** `sender` posts to `channelId`; `observer` (a socket of another member) must hear each post. */
export function witness(api: ApiClient, sender: TestUser, observer: GatewayClient, channelId: string): Witness {
  const heard = new Set<string>();
  observer.on("message:create", (message) => heard.add(message.id));
  const sent = new Map<string, string>();
  let count = 0;
  return {
    sent,
    async check(label) {
      expect((await api.get("/api/health")).status, `health after ${label}`).toBe(200);
      expect(observer.connected, `the observer's connection is still open after ${label}`).toBe(true);
      count += 1;
      const content = `witness ${count} after ${label}`;
      let res = await api.post(`/api/v1/channels/${channelId}/messages`, { content }, sender.token);
      // The witness sends at most one message per check; a limit left by a slow machine is waited out, once.
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 1_100));
        res = await api.post(`/api/v1/channels/${channelId}/messages`, { content }, sender.token);
      }
      expect(res.status, `the witness's send after ${label}: ${JSON.stringify(res.body)}`).toBe(201);
      sent.set(res.body.id, content);
      await waitFor(() => heard.has(res.body.id), 10_000, `the observer to hear the witness after ${label}`);
      return res.body.id as string;
    },
  };
}

/** Every message of a channel, oldest first, read through the REST history (bounded paging). */
export async function wholeHistory(api: ApiClient, token: string, channelId: string): Promise<Array<{ id: string; content: string; author: { id: string } }>> {
  const all: Array<{ id: string; content: string; author: { id: string } }> = [];
  let after = "0";
  for (let page = 0; page < 2_000; page++) {
    const res = await api.get(`/api/v1/channels/${channelId}/messages?limit=100&after=${after}`, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (res.body.length === 0) return all;
    const oldestFirst = [...res.body].reverse();
    all.push(...oldestFirst);
    after = oldestFirst[oldestFirst.length - 1].id;
  }
  throw new Error("history paging did not end");
}
