// nginx in front of a test cluster (issue 13: "run the multi-node tests through nginx"), as the
// deployment of docs/deploy/nginx.conf puts it: one path per node, so a client reaches the node
// the directory names. Here the path carries the node's port (/node/4001/... -> 127.0.0.1:4001),
// so nodes can start on any free port without a reload; WebSockets are upgraded as in the example.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./process";

export const NGINX = "/usr/sbin/nginx";

export function nginxAvailable(): boolean {
  return existsSync(NGINX) && spawnSync(NGINX, ["-v"]).status === 0;
}

export interface Proxy {
  /** The URL of the node listening on `port`, through the proxy. */
  urlOf(port: number): string;
  stop(): Promise<void>;
}

function config(dir: string, port: number): string {
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
      proxy_pass http://127.0.0.1:$1$2$is_args$args;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 120s;
      proxy_buffering off;
    }
  }
}
`;
}

export async function startProxy(): Promise<Proxy> {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-nginx-"));
  const port = await freePort();
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, config(dir, port));
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
    urlOf: (nodePort) => `${base}/node/${nodePort}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
