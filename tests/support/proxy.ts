// nginx in front of a test cluster (issue 13: "run the multi-node tests through nginx"), in the
// contract-exact layout of docs/deploy/nginx.conf: each node has a port of its own on the proxy,
// so the URL a gateway announces is an origin on which clients open `/gateway`, exactly as the
// contract says. The pairs (proxy port, node port) are chosen when the proxy starts, so nodes
// start (and restart) on their node port without a reload. The browser layout, one path per
// node, is served too on the first port (/node/4001/... -> 127.0.0.1:4001). WebSockets are
// upgraded as in the example.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./process";

export const NGINX = "/usr/sbin/nginx";

export function nginxAvailable(): boolean {
  return existsSync(NGINX) && spawnSync(NGINX, ["-v"]).status === 0;
}

/** A node's place behind the proxy: the port it listens on, and its URL through the proxy. */
export interface ProxySlot {
  nodePort: number;
  url: string;
}

export interface Proxy {
  /** A slot for a new node, or the slot of the node that listened on `nodePort` (a restart). */
  slot(nodePort?: number): ProxySlot;
  stop(): Promise<void>;
}

/** How many nodes one test cluster may start behind the proxy. */
const SLOTS = 8;

const LOCATION = `
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 120s;
      proxy_buffering off;`;

function config(dir: string, port: number, slots: Array<{ proxyPort: number; nodePort: number }>): string {
  return `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 16k;
  # Bodies stay in memory: a 16 KiB body never needs the temp dir (workers run as nobody).
  client_body_buffer_size 16k;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
    location ~ ^/node/(\\d+)(/.*)$ {
      proxy_pass http://127.0.0.1:$1$2$is_args$args;${LOCATION}
    }
  }
${slots.map(({ proxyPort, nodePort }) => `  server {
    listen 127.0.0.1:${proxyPort};
    location / {
      proxy_pass http://127.0.0.1:${nodePort};${LOCATION}
    }
  }`).join("\n")}
}
`;
}

export async function startProxy(): Promise<Proxy> {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-nginx-"));
  const port = await freePort();
  const slots: Array<{ proxyPort: number; nodePort: number; taken: boolean }> = [];
  const ports = new Set([port]);
  while (slots.length < SLOTS) {
    const [proxyPort, nodePort] = [await freePort(), await freePort()];
    if (ports.has(proxyPort) || ports.has(nodePort) || proxyPort === nodePort) continue;
    ports.add(proxyPort).add(nodePort);
    slots.push({ proxyPort, nodePort, taken: false });
  }
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, config(dir, port, slots));
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-c", file], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
    try {
      await fetch(`${base}/`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${errors}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    slot(nodePort) {
      const found = nodePort === undefined ? slots.find((s) => !s.taken) : slots.find((s) => s.nodePort === nodePort);
      if (!found) throw new Error(nodePort === undefined ? `no free slot behind the proxy (${SLOTS} nodes at most)` : `no slot for port ${nodePort}`);
      found.taken = true;
      return { nodePort: found.nodePort, url: `http://127.0.0.1:${found.proxyPort}` };
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
