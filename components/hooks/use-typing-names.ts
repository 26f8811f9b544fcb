"use client";
// Display names of the people typing in a channel right now (me excluded), re-evaluated
// every second while anyone is listed so entries expire without a new event.
import { useEffect, useState } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { Message } from "../../lib/domain/types";
import { useMembersStore } from "../state/members-store";
import { useMessagesStore } from "../state/messages-store";
import { useServersStore } from "../state/servers-store";
import { activeTypists, useTypingStore } from "../state/typing-store";

export function useTypingNames(serverId: Snowflake, channelId: Snowflake): string[] {
  const entries = useTypingStore((s) => s.byChannel[channelId]);
  // Only members seen in the member list or in events are known by id (a large server is never
  // loaded whole); an author of a loaded message is known too.
  const members = useMembersStore((s) => s.byServer[serverId]);
  const messages = useMessagesStore((s) => s.channels[channelId]?.messages);
  const myId = useServersStore((s) => s.me?.id);
  const [now, setNow] = useState(() => Date.now());

  const hasEntries = !!entries && Object.keys(entries).length > 0;
  useEffect(() => {
    if (!hasEntries) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [hasEntries, entries]);

  return activeTypists(entries, now)
    .filter((userId) => userId !== myId)
    .map((userId) => members?.[userId]?.user.displayName ?? authorName(messages, userId) ?? "Someone");
}

function authorName(messages: Message[] | undefined, userId: Snowflake): string | undefined {
  if (!messages) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.author.id === userId) return messages[i]!.author.displayName;
  return undefined;
}

/** "Ana is typing…", "Ana and Bo are typing…", "Several people are typing…", or "". */
export function describeTyping(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}
