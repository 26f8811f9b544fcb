"use client";
// Which parts of the layout are drawers right now, and which are out of reach. A closed drawer
// is `inert` (not focusable, hidden from screen readers); while a drawer is open the chat
// behind it is inert instead, which keeps keyboard focus inside the drawer without a trap.
import { useParams } from "next/navigation";
import { useUiStore } from "../state/ui-store";
import { NARROW_QUERY, PHONE_QUERY, useMediaQuery } from "./use-media-query";

export type DrawerPart = "channels" | "members" | "main";

export function useDrawerPart(part: DrawerPart): { inert: boolean } {
  const phone = useMediaQuery(PHONE_QUERY);
  const narrow = useMediaQuery(NARROW_QUERY);
  const drawer = useUiStore((s) => s.drawer);
  const membersHidden = useUiStore((s) => s.membersHidden);
  // Outside a server (the home page) the rail stays on screen: it is the way in.
  const inServer = !!useParams<{ serverId?: string }>().serverId;
  const channelsAreDrawer = phone && inServer;

  if (part === "channels") return { inert: channelsAreDrawer && drawer !== "channels" };
  if (part === "members") return { inert: narrow ? drawer !== "members" : membersHidden };
  return { inert: (channelsAreDrawer && drawer === "channels") || (narrow && drawer === "members") };
}
