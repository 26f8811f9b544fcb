import type { ChosenStatus, PresenceStatus } from "./types";

/** What other people see: offline without a live connection, and invisible looks offline. */
export function visibleStatus(connected: boolean, chosen: ChosenStatus): PresenceStatus {
  if (!connected || chosen === "invisible") return "offline";
  return chosen;
}
