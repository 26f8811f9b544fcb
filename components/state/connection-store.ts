// The gateway connection's state, for the banner and for deciding when to refill gaps.
import { create } from "zustand";

export type ConnectionStatus =
  | "connecting" // first attempt, nothing shown yet
  | "connected"
  | "reconnecting" // was connected, lost it, Socket.IO is retrying with backoff
  | "offline" // the browser says there is no network: we retry the moment it returns
  | "unauthorized"; // the session is gone: retrying cannot help

interface ConnectionState {
  status: ConnectionStatus;
  setStatus(status: ConnectionStatus): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: "connecting",
  setStatus: (status) => set({ status }),
}));
