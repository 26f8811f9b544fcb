// Connections of an ended sign-in close (contract v2: logout and password change reach open
// sockets). Every node hears every revocation (ports/session-revocations.ts) and closes its own.
import type { Server } from "socket.io";
import { rooms } from "../../lib/gateway-events";
import type { Revocation, SessionRevocations } from "../../lib/ports/session-revocations";

/** Disconnects this node's sockets of the revocation's user whose sign-in has now ended. */
export function closeEndedSessions(io: Server, sessions: SessionRevocations, revocation: Revocation): void {
  const namespace = io.of("/");
  const socketIds = namespace.adapter.rooms.get(rooms.user(revocation.userId));
  if (!socketIds) return;
  for (const id of [...socketIds]) {
    const socket = namespace.sockets.get(id);
    const sessionId = socket?.data?.sessionId as string | undefined;
    if (socket && sessionId !== undefined && sessions.isRevoked(revocation.userId, sessionId)) socket.disconnect(true);
  }
}
