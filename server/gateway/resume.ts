// Resume (contract v2 "Resume") on a single node: a client that lost its connection and comes
// back within the window gets every event it missed, in order, once, and no `ready`. Built on
// Socket.IO's connection state recovery with its in-memory session store, with one change:
// Socket.IO writes the missed packets as soon as it finds the session, before the handshake's
// middleware has checked the credential (a revoked or foreign token would still read them).
// Here the session is found but nothing is written; once the credential has been checked and
// found to be the same user's, the connection replays everything after the client's offset
// from the packet log, synchronously, so nothing broadcast meanwhile is missed or doubled.
// Nodes sharing Redis resume on any node the same way (cluster-resume.ts).
import type { Namespace } from "socket.io";
import { SessionAwareAdapter, type BroadcastOptions, type PrivateSessionId, type Session } from "socket.io-adapter";

/** How long a lost connection can be resumed (the contract's 120 s). */
export const RESUME_WINDOW_MS = 120_000;

interface StoredPacket {
  id: string;
  opts: BroadcastOptions;
  data: unknown[];
}

/** Where a resumed connection's missed events come from (this adapter, or cluster-resume.ts's). */
export interface MissedEvents {
  /**
   * The packets after `offset` that a socket in `rooms` would have received, oldest first;
   * undefined when the offset is no longer in the log (the socket then starts afresh).
   */
  missedSince(offset: string, rooms: ReadonlySet<string>): unknown[][] | undefined;
}

export class ResumableAdapter extends SessionAwareAdapter implements MissedEvents {
  constructor(nsp: Namespace) {
    super(nsp);
  }

  // Typed as Socket.IO's (a Session), which answers null for a session that is gone.
  override async restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    const session = await super.restoreSession(pid, offset);
    return (session && { ...session, missedPackets: [] }) as Session;
  }

  missedSince(offset: string, rooms: ReadonlySet<string>): unknown[][] | undefined {
    const packets = (this as unknown as { packets: StoredPacket[] }).packets;
    const index = packets.findIndex((packet) => packet.id === offset);
    if (index === -1) return undefined;
    const missed: unknown[][] = [];
    for (let i = index + 1; i < packets.length; i++) {
      const { opts, data } = packets[i]!;
      const included = opts.rooms.size === 0 || [...opts.rooms].some((room) => rooms.has(room));
      const excluded = [...opts.except ?? []].some((room) => rooms.has(room));
      if (included && !excluded) missed.push(data);
    }
    return missed;
  }
}
