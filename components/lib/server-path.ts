import type { Server } from "../../lib/domain/types";

/** Where to land in a server: its first channel, or the server itself when it has none. */
export function serverLandingPath(server: Server): string {
  const first = server.channels[0];
  return first ? `/channels/${server.id}/${first.id}` : `/channels/${server.id}`;
}
