// /invite/{code}: preview an invite and accept it.
import type { Metadata } from "next";
import { InviteLanding } from "../../../components/invite/invite-landing";

export const metadata: Metadata = { title: "Invite" };

export default async function InvitePage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return (
    <main className="screen-center">
      <InviteLanding code={decodeSafely(code)} />
    </main>
  );
}

// Route params may arrive still percent-encoded; a stray "%" must not crash the page.
function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
