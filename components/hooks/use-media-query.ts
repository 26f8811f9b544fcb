"use client";
// Whether a CSS media query matches, kept current as the window changes.
import { useSyncExternalStore } from "react";

export const PHONE_QUERY = "(max-width: 768px)";
/** Below this width the member list no longer fits beside the chat and becomes a drawer. */
export const NARROW_QUERY = "(max-width: 1099px)";

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
