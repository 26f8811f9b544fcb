// GET /metrics: Prometheus text format.
import type { ServerResponse } from "node:http";
import { gatewayMetrics } from "../metrics";

export async function serveMetrics(res: ServerResponse): Promise<void> {
  const { registry } = gatewayMetrics();
  res.writeHead(200, { "content-type": registry.contentType });
  res.end(await registry.metrics());
}
