"use client";
// /invite/{code}: shows which server the invite is for and joins it on request. Signed-out
// visitors go through /login (or /register) and land back here afterwards.
import { useSession } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { InvitePreview } from "../../lib/domain/types";
import { ApiError, errorMessage } from "../api/api-client";
import { parleyApi } from "../api/parley-api";
import { initialsOf } from "../lib/initials";
import { useServersStore } from "../state/servers-store";
import styles from "./invite-landing.module.css";

type Preview = { state: "loading" } | { state: "ready"; invite: InvitePreview } | { state: "error"; message: string };

export function InviteLanding({ code }: { code: string }) {
  const router = useRouter();
  const { status } = useSession();
  const [preview, setPreview] = useState<Preview>({ state: "loading" });
  const [joinError, setJoinError] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);

  useEffect(() => {
    if (status === "unauthenticated") {
      router.replace(`/login?callbackUrl=${encodeURIComponent(`/invite/${encodeURIComponent(code)}`)}`);
    }
    if (status !== "authenticated") return;
    let cancelled = false;
    parleyApi
      .previewInvite(code)
      .then((invite) => !cancelled && setPreview({ state: "ready", invite }))
      .catch((err: unknown) => {
        if (cancelled) return;
        const message = err instanceof ApiError && err.status === 404
          ? "This invite is invalid or has expired."
          : errorMessage(err);
        setPreview({ state: "error", message });
      });
    return () => {
      cancelled = true;
    };
  }, [status, code, router]);

  async function join() {
    setJoining(true);
    setJoinError(null);
    try {
      const server = await parleyApi.acceptInvite(code);
      // The store may hold an older server list from earlier in this tab; the next `ready`
      // will confirm it, but the chat screen should not flash "not found" meanwhile.
      useServersStore.getState().upsertServer(server);
      const first = server.channels[0];
      router.push(first ? `/channels/${server.id}/${first.id}` : `/channels/${server.id}`);
    } catch (err) {
      setJoinError(errorMessage(err));
      setJoining(false);
    }
  }

  if (preview.state === "loading") {
    return <div className="card" role="status"><p className="card-subtitle">Checking your invite…</p></div>;
  }
  if (preview.state === "error") {
    return (
      <div className="card" data-testid="invite-error">
        <h1 className="card-title">Invite unavailable</h1>
        <p className="card-subtitle" role="alert">{preview.message}</p>
        <Link className="btn btn-block" href="/channels">Continue to Parley</Link>
      </div>
    );
  }

  const { server } = preview.invite;
  return (
    <div className={`card ${styles.invite}`} data-testid="invite-card">
      <div className={styles.icon} aria-hidden="true">{initialsOf(server.name)}</div>
      <p className="card-subtitle">You&apos;ve been invited to join</p>
      <h1 className="card-title" data-testid="invite-server-name">{server.name}</h1>
      <p className={styles.count} data-testid="invite-member-count">
        <span className={styles.dot} aria-hidden="true" />
        {server.memberCount} {server.memberCount === 1 ? "Member" : "Members"}
      </p>
      {joinError && <p className="form-error" role="alert">{joinError}</p>}
      <button type="button" className="btn btn-block" onClick={join} disabled={joining} data-testid="accept-invite">
        {joining ? "Joining…" : "Accept Invite"}
      </button>
    </div>
  );
}
