// Prometheus metrics, one registry per process (kept on globalThis: modules may load twice).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

interface GatewayMetrics {
  registry: Registry;
  connections: Gauge;
  httpRequests: Counter<"status">;
  /** Member lists this node mirrors, and its connections' subscriptions to them. */
  memberListMirrors: Gauge;
  memberListSubscriptions: Gauge;
  memberListFrames: Counter;
}

const KEY = Symbol.for("parley.metrics");
type Holder = { [KEY]?: GatewayMetrics };

export function gatewayMetrics(): GatewayMetrics {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    holder[KEY] = {
      registry,
      connections: new Gauge({ name: "parley_gateway_connections", help: "Open gateway connections", registers: [registry] }),
      memberListMirrors: new Gauge({ name: "parley_member_list_mirrors", help: "Member lists mirrored on this node", registers: [registry] }),
      memberListSubscriptions: new Gauge({ name: "parley_member_list_subscriptions", help: "Member-list subscriptions of this node's connections", registers: [registry] }),
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
