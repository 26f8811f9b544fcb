"use client";
// Creates a fresh invite when opened and shows its link with a copy button.
import { useEffect, useRef, useState } from "react";
import type { Server } from "../../lib/domain/types";
import { errorMessage } from "../api/api-client";
import { parleyApi } from "../api/parley-api";
import { ModalDialog } from "../ui/modal-dialog";
import styles from "./invite-dialog.module.css";

export function InviteDialog({ server, onClose }: { server: Server; onClose: () => void }) {
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const requested = useRef(false);

  useEffect(() => {
    // Strict mode runs effects twice in development; one invite per opening is enough.
    if (requested.current) return;
    requested.current = true;
    parleyApi
      .createInvite(server.id)
      .then(({ code }) => setLink(`${window.location.origin}/invite/${encodeURIComponent(code)}`))
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [server.id]);

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // Clipboard API refused (permissions, plain http): select it for a manual copy.
      inputRef.current?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }

  return (
    <ModalDialog title={`Invite friends to ${server.name}`} description="Send this link to anyone you want to join." onClose={onClose} testId="invite-dialog">
      {error && <p className="form-error" role="alert">{error}</p>}
      <label className="field">
        <span className="field-label">Invite link</span>
        <div className={styles.row}>
          <input ref={inputRef} className={`input ${styles.link}`} readOnly value={link ?? "Creating invite…"}
            onFocus={(e) => e.currentTarget.select()} data-autofocus data-testid="invite-link" data-ready={link ? "true" : "false"} />
          <button type="button" className={`btn ${copied ? styles.copied : ""}`} onClick={copy} disabled={!link}
            data-testid="invite-copy">
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      </label>
    </ModalDialog>
  );
}
