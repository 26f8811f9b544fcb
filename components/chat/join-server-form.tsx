"use client";
// Joins a server from a pasted invite link or bare code, then opens it.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../api/api-client";
import { parleyApi } from "../api/parley-api";
import { inviteCodeFrom } from "../lib/invite-code";
import { useServersStore } from "../state/servers-store";

export function JoinServerForm({ onJoined, autoFocus }: { onJoined?: () => void; autoFocus?: boolean }) {
  const router = useRouter();
  const [input, setInput] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const code = inviteCodeFrom(input);
    if (!code) return setError("Enter an invite link or code.");
    setBusy(true);
    setError(null);
    try {
      const server = await parleyApi.acceptInvite(code);
      useServersStore.getState().upsertServer(server);
      onJoined?.();
      const first = server.channels[0];
      router.push(first ? `/channels/${server.id}/${first.id}` : `/channels/${server.id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {error && <p className="form-error" role="alert">{error}</p>}
      <label className="field">
        <span className="field-label">Invite link</span>
        <input className="input" value={input} onChange={(e) => setInput(e.target.value)} required
          placeholder="https://parley.example/invite/hTKzmak" autoFocus={autoFocus} data-autofocus={autoFocus || undefined}
          data-testid="join-server-input" />
      </label>
      <button className="btn btn-block" type="submit" disabled={busy || !input.trim()} data-testid="join-server-submit">
        {busy ? "Joining…" : "Join server"}
      </button>
    </form>
  );
}
