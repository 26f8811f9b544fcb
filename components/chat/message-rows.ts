// Turns confirmed + pending messages into display rows, deciding where a new author group
// and where a day divider starts.
import type { Message } from "../../lib/domain/types";
import type { PendingMessage } from "../state/messages-store";
import type { MessageItemProps } from "./message-item";

const GROUP_WINDOW_MS = 7 * 60 * 1000;

export type MessageRow = Omit<MessageItemProps, "onRetry"> & { key: string; dayDivider?: string };

const dayFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long", day: "numeric" });

export function buildMessageRows(messages: Message[], pending: PendingMessage[]): MessageRow[] {
  const rows: MessageRow[] = [];
  let previous: { authorId: string; time: number; day: string } | null = null;

  const push = (row: Omit<MessageRow, "grouped" | "dayDivider">) => {
    const time = new Date(row.createdAt).getTime();
    const day = dayFormat.format(time);
    const newDay = previous?.day !== day;
    const grouped = !!previous && !newDay && previous.authorId === row.author.id && time - previous.time < GROUP_WINDOW_MS;
    rows.push({ ...row, grouped, dayDivider: newDay && previous ? day : undefined });
    previous = { authorId: row.author.id, time, day };
  };

  for (const m of messages) {
    push({ key: m.id, id: m.id, author: m.author, content: m.content, createdAt: m.createdAt, state: "sent" });
  }
  for (const p of pending) {
    push({ key: `pending-${p.nonce}`, nonce: p.nonce, author: p.author, content: p.content, createdAt: p.createdAt, state: p.state, error: p.error });
  }
  return rows;
}
