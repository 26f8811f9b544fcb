"use client";
// Drawers behave like dialogs for keyboard users: opening one moves focus into it (to the open
// channel when there is one), Escape closes it, and focus goes back to the button that opened
// it. Navigating to another channel closes it; switching servers keeps the channel drawer open
// so a channel of the new server can be picked.
import { useParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useUiStore, type Drawer } from "../state/ui-store";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useDrawerFocus(): void {
  const drawer = useUiStore((s) => s.drawer);
  const openDrawer = useUiStore((s) => s.openDrawer);
  const { serverId, channelId } = useParams<{ serverId?: string; channelId?: string }>();
  const previous = useRef<{ drawer: Drawer; serverId?: string; channelId?: string }>({ drawer: null, serverId, channelId });

  useEffect(() => {
    const before = previous.current;
    previous.current = { drawer, serverId, channelId };
    if (drawer && (before.channelId !== channelId || before.serverId !== serverId)) {
      if (drawer === "members" || before.serverId === serverId) openDrawer(null);
      return;
    }
    if (drawer && !before.drawer) {
      const parts = Array.from(document.querySelectorAll<HTMLElement>(`[data-drawer-part="${drawer}"]`));
      const current = parts.map((p) => p.querySelector<HTMLElement>('nav[aria-label="Channels"] [aria-current="page"]')).find(Boolean);
      (current ?? parts.map((p) => p.querySelector<HTMLElement>(FOCUSABLE)).find(Boolean))?.focus();
    } else if (!drawer && before.drawer) {
      document.querySelector<HTMLElement>(`[data-drawer-toggle="${before.drawer}"]`)?.focus();
    }
  }, [drawer, serverId, channelId, openDrawer]);

  useEffect(() => {
    if (!drawer) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) openDrawer(null);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [drawer, openDrawer]);
}
