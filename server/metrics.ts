// Prometheus metrics, one registry per process (kept on globalThis: modules may load twice).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

interface GatewayMetrics {
  registry: Registry;
  connections: Gauge;
  httpRequests: Counter<"status">;
  /** Where the member-list gauges read from when scraped (this node's hub). */
  memberLists: { stats?: () => { mirrors: number; subscriptions: number } };
  memberListFrames: Counter;
}

const KEY = Symbol.for("parley.metrics");
type Holder = { [KEY]?: GatewayMetrics };

export function gatewayMetrics(): GatewayMetrics {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const memberLists: GatewayMetrics["memberLists"] = {};
    const stat = (name: string, help: string, read: (s: { mirrors: number; subscriptions: number }) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(memberLists.stats ? read(memberLists.stats()) : 0);
        },
      });
    stat("parley_member_list_mirrors", "Member lists mirrored on this node", (s) => s.mirrors);
    stat("parley_member_list_subscriptions", "Member-list subscriptions of this node's connections", (s) => s.subscriptions);
    holder[KEY] = {
      registry,
      memberLists,
      connections: new Gauge({ name: "parley_gateway_connections", help: "Open gateway connections", registers: [registry] }),
      memberListFrames: new Counter({ name: "parley_member_list_frames_total", help: "members:list frames sent", registers: [registry] }),
      httpRequests: new Counter({
        name: "parley_http_requests_total",
        help: "HTTP requests answered, by status class",
        labelNames: ["status"],
        registers: [registry],
      }),
    };
  }
  return holder[KEY]!;
}
