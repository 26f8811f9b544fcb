"use client";
// Creates a server and opens its first channel. Used by the rail's dialog and the home page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { parleyApi } from "../api/parley-api";
import { useFormSubmit } from "../hooks/use-form-submit";
import { serverLandingPath } from "../lib/server-path";
import { useServersStore } from "../state/servers-store";

export function CreateServerForm({ onCreated, autoFocus }: { onCreated?: () => void; autoFocus?: boolean }) {
  const router = useRouter();
  const me = useServersStore((s) => s.me);
  const [name, setName] = useState(() => (me ? `${me.displayName}'s server` : ""));
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const server = await parleyApi.createServer(name);
    // The gateway also announces it (`server:join`); upserting twice is harmless.
    useServersStore.getState().upsertServer(server);
    onCreated?.();
    router.push(serverLandingPath(server));
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      {error && <p className="form-error" role="alert">{error}</p>}
      <label className="field">
        <span className="field-label">Server name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required placeholder="My awesome server"
          autoFocus={autoFocus} data-autofocus={autoFocus || undefined} data-testid="create-server-name" />
      </label>
      <button className="btn btn-block" type="submit" disabled={busy || !name.trim()} data-testid="create-server-submit">
        {busy ? "Creating…" : "Create server"}
      </button>
    </form>
  );
}
