"use client";
// Owner-only: adds a text channel and opens it. Shows the name the server will store
// (lower-case, spaces as dashes) while typing, so there is no surprise afterwards.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Server } from "../../lib/domain/types";
import { parleyApi } from "../api/parley-api";
import { useFormSubmit } from "../hooks/use-form-submit";
import { useServersStore } from "../state/servers-store";
import { ModalDialog } from "../ui/modal-dialog";

function storedChannelName(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, "-");
}

export function CreateChannelDialog({ server, onClose }: { server: Server; onClose: () => void }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const channel = await parleyApi.createChannel(server.id, name);
    useServersStore.getState().upsertChannel(channel);
    onClose();
    router.push(`/channels/${server.id}/${channel.id}`);
  });

  return (
    <ModalDialog title="Create channel" description={`in ${server.name}`} onClose={onClose} testId="create-channel-dialog">
      <form onSubmit={onSubmit} noValidate>
        {error && <p className="form-error" role="alert">{error}</p>}
        <label className="field">
          <span className="field-label">Channel name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required
            placeholder="new-channel" data-autofocus data-testid="create-channel-name" />
          {name.trim() && <span className="field-hint"># {storedChannelName(name)}</span>}
        </label>
        <button className="btn btn-block" type="submit" disabled={busy || !name.trim()} data-testid="create-channel-submit">
          {busy ? "Creating…" : "Create channel"}
        </button>
      </form>
    </ModalDialog>
  );
}
