// The CDN prefix for hashed assets is fixed when Parley is built (CDN_URL at build time). Next
// re-reads its config when the server starts and renders dynamic pages with that reading, so
// the server takes the prefix from the build's own record instead: pages rendered at run time
// then match the prerendered ones, whatever CDN_URL says (or does not say) at start.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cdnAssetPrefix } from "./env";

export function assetPrefixFor(phase: string, projectDir = process.cwd()): string | undefined {
  if (phase !== "phase-production-server") return cdnAssetPrefix();
  const record = path.join(projectDir, ".next", "required-server-files.json");
  if (!existsSync(record)) return cdnAssetPrefix();
  const built = (JSON.parse(readFileSync(record, "utf8")) as { config?: { assetPrefix?: string } }).config?.assetPrefix;
  return built || undefined;
}
