// Everything under /channels needs a session and shares one gateway connection.
import type { ReactNode } from "react";
import { RequireSession } from "../../components/auth/require-session";
import { ChatShell } from "../../components/chat/chat-shell";

export default function ChannelsLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <ChatShell>{children}</ChatShell>
    </RequireSession>
  );
}
