// REST routes the custom server answers before Next: the message routes, which carry nearly
// all REST traffic. Next's own request handling costs more CPU than these use cases do
// (docs/performance.md); the metadata routes stay Next route handlers under app/api.
import type { IncomingMessage, ServerResponse } from "node:http";
import { answer, type ApiRoute } from "../../lib/http/api-call";
import { CLIENT_IP_HEADER } from "../../lib/http/client-ip";
import { listChannelMessages, sendChannelMessage } from "../../lib/http/routes/channel-messages";

interface HotRoute {
  pattern: RegExp;
  param: string;
  methods: Record<string, ApiRoute>;
}

const HOT_ROUTES: HotRoute[] = [
  { pattern: /^\/api\/v1\/channels\/([^/]+)\/messages\/?$/, param: "channelId", methods: { GET: listChannelMessages, POST: sendChannelMessage } },
];

/** Answers the request if it is a hot route; false leaves it to Next. */
export async function serveHotRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  for (const route of HOT_ROUTES) {
    const match = route.pattern.exec(path);
    const api = match && route.methods[req.method ?? "GET"];
    if (!match || !api) continue;
    const query = Object.fromEntries(new URLSearchParams((req.url ?? "").split("?")[1] ?? ""));
    const result = await answer(api, {
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      source: { origin: req.headers.origin, secFetchSite: header(req.headers["sec-fetch-site"]), host: req.headers.host },
      clientIp: header(req.headers[CLIENT_IP_HEADER]),
      contentLength: req.headers["content-length"],
      params: { [route.param]: safeDecode(match[1]!) },
      query,
      body: bodyOf(req),
    });
    const headers = { ...result.headers, ...(result.json === undefined ? {} : { "content-type": "application/json" }) };
    res.writeHead(result.status, headers);
    res.end(result.json === undefined ? undefined : JSON.stringify(result.json));
    return true;
  }
  return false;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The request body as chunks. Unlike the stream's own iterator, giving up early (a body over
 * the limit) does not destroy the socket: the rest is drained and dropped, and the answer
 * can still be sent.
 */
function bodyOf(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const queue: Buffer[] = [];
      let ended = false;
      let failure: unknown;
      let wake: (() => void) | undefined;
      const onData = (chunk: Buffer) => (queue.push(chunk), wake?.());
      const onEnd = () => ((ended = true), wake?.());
      const onError = (err: unknown) => ((failure = err), (ended = true), wake?.());
      req.on("data", onData).on("end", onEnd).on("error", onError);
      try {
        for (;;) {
          if (queue.length > 0) yield queue.shift()!;
          else if (failure) throw failure;
          else if (ended) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        req.off("data", onData).off("end", onEnd).off("error", onError);
        req.resume();
      }
    },
  };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
