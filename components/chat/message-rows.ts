// Turns confirmed + pending messages into display rows, deciding where an author group, a day
// divider and the "new" divider (where unread starts) go. Runs over every loaded message on
// each change, so it avoids Intl work except for the rows that get a divider.
import type { Message } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { compareIds } from "../lib/snowflake-order";
import type { PendingMessage } from "../state/messages-store";
import type { MessageItemProps } from "./message-item";

const GROUP_WINDOW_MS = 7 * 60 * 1000;

export type MessageRow = Omit<MessageItemProps, "onRetry" | "onDelete"> & {
  key: string;
  dayDivider?: string;
  /** The first message after my read marker when I opened the channel. */
  unreadDivider?: boolean;
};

const dayFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long", day: "numeric" });

function dayKey(time: number): number {
  const d = new Date(time);
  return d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
}

export function buildMessageRows(messages: Message[], pending: PendingMessage[], unreadAfterId?: Snowflake | null): MessageRow[] {
  const rows: MessageRow[] = [];
  let previous: { authorId: string; time: number; day: number } | null = null;
  let unreadPlaced = !unreadAfterId;

  const push = (row: Omit<MessageRow, "grouped" | "dayDivider">) => {
    const time = new Date(row.createdAt).getTime();
    const day = dayKey(time);
    const newDay = previous?.day !== day;
    const grouped = !!previous && !newDay && !row.unreadDivider && previous.authorId === row.author.id && time - previous.time < GROUP_WINDOW_MS;
    rows.push({ ...row, grouped, dayDivider: newDay && previous ? dayFormat.format(time) : undefined });
    previous = { authorId: row.author.id, time, day };
  };

  for (const m of messages) {
    const unreadDivider = !unreadPlaced && compareIds(m.id, unreadAfterId!) > 0;
    if (unreadDivider) unreadPlaced = true;
    push({ key: m.id, id: m.id, author: m.author, content: m.content, createdAt: m.createdAt, state: "sent", unreadDivider });
  }
  for (const p of pending) {
    push({ key: `pending-${p.nonce}`, nonce: p.nonce, author: p.author, content: p.content, createdAt: p.createdAt, state: p.state, error: p.error });
  }
  return rows;
}

/** A first guess at a row's height before it is measured: lines of text at this width. */
export function estimateRowHeight(row: MessageRow, width: number): number {
  const charsPerLine = Math.max(20, Math.floor((width - 120) / 8));
  const lines = row.content.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / charsPerLine)), 0);
  let height = 4 + lines * 22;
  if (!row.grouped) height += 22 + 17;
  if (row.dayDivider) height += 40;
  if (row.unreadDivider) height += 24;
  return height;
}
