"use client";
// Discord's navigation keys: Alt+↑/↓ moves between the server's channels, Alt+Shift+↑/↓ jumps
// to the previous/next unread channel (any server), Ctrl+Alt+↑/↓ moves between servers.
import { useParams, useRouter } from "next/navigation";
import { useEffect } from "react";
import type { Server } from "../../lib/domain/types";
import { isUnread, useReadStateStore } from "../state/read-state-store";
import { useServersStore } from "../state/servers-store";

const wrap = (index: number, length: number) => (index + length) % length;

export function useKeyboardShortcuts(): void {
  const router = useRouter();
  const { serverId, channelId } = useParams<{ serverId?: string; channelId?: string }>();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown") || event.metaKey) return;
      const step = event.key === "ArrowUp" ? -1 : 1;
      const servers = useServersStore.getState().servers;
      const target = event.ctrlKey
        ? nextServer(servers, serverId, step)
        : event.shiftKey
          ? nextUnread(servers, channelId, step)
          : nextChannel(servers.find((s) => s.id === serverId), channelId, step);
      if (!target) return;
      event.preventDefault();
      router.push(target);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, serverId, channelId]);
}

function nextChannel(server: Server | undefined, channelId: string | undefined, step: number): string | undefined {
  if (!server || server.channels.length === 0) return;
  const index = server.channels.findIndex((c) => c.id === channelId);
  const next = server.channels[index === -1 ? 0 : wrap(index + step, server.channels.length)];
  return next && `/channels/${server.id}/${next.id}`;
}

function nextServer(servers: Server[], serverId: string | undefined, step: number): string | undefined {
  if (servers.length === 0) return;
  const index = servers.findIndex((s) => s.id === serverId);
  const next = servers[index === -1 ? 0 : wrap(index + step, servers.length)];
  const first = next?.channels[0];
  return next && (first ? `/channels/${next.id}/${first.id}` : `/channels/${next.id}`);
}

function nextUnread(servers: Server[], channelId: string | undefined, step: number): string | undefined {
  const readStates = useReadStateStore.getState().byChannel;
  const all = servers.flatMap((s) => s.channels);
  const index = all.findIndex((c) => c.id === channelId);
  for (let i = 1; i <= all.length; i++) {
    const candidate = all[wrap((index === -1 ? 0 : index) + step * i, all.length)];
    if (candidate && candidate.id !== channelId && isUnread(readStates[candidate.id])) return `/channels/${candidate.serverId}/${candidate.id}`;
  }
}
