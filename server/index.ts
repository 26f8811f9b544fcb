// The Parley process: reads the environment, starts the server, stops cleanly on signals.
import { createParleyServer } from "./create-server";

const dev = process.argv.includes("--dev");

async function main() {
  const server = await createParleyServer({ dev });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, "stopping");
    // The drain closes every connection within 10 s; closing the stores may take a moment more.
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    if (signal === "SIGTERM") await server.drain().catch((err) => server.log.error({ err }, "drain failed"));
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
