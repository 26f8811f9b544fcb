"use client";
// Joins a server from a pasted invite link or bare code, then opens it.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { parleyApi } from "../api/parley-api";
import { useFormSubmit } from "../hooks/use-form-submit";
import { inviteCodeFrom } from "../lib/invite-code";
import { serverLandingPath } from "../lib/server-path";
import { useServersStore } from "../state/servers-store";

export function JoinServerForm({ onJoined, autoFocus }: { onJoined?: () => void; autoFocus?: boolean }) {
  const router = useRouter();
  const [input, setInput] = useState("");
  const submit = useFormSubmit(async () => {
    const server = await parleyApi.acceptInvite(inviteCodeFrom(input)!);
    useServersStore.getState().upsertServer(server);
    onJoined?.();
    router.push(serverLandingPath(server));
  });
  const { error, setError, busy } = submit;

  function onSubmit(event: FormEvent) {
    if (inviteCodeFrom(input)) return submit.onSubmit(event);
    event.preventDefault();
    setError("Enter an invite link or code.");
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
