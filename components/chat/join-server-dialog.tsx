"use client";
import { ModalDialog } from "../ui/modal-dialog";
import { JoinServerForm } from "./join-server-form";

export function JoinServerDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog
      title="Join a server"
      description="Paste an invite link or code someone sent you."
      onClose={onClose}
      testId="join-server-dialog"
    >
      <JoinServerForm onJoined={onClose} autoFocus />
    </ModalDialog>
  );
}
