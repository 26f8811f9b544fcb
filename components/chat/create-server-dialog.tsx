"use client";
import { ModalDialog } from "../ui/modal-dialog";
import { CreateServerForm } from "./create-server-form";

export function CreateServerDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog
      title="Create a server"
      description="Your server is where you and your friends hang out. Give it a name to start."
      onClose={onClose}
      testId="create-server-dialog"
    >
      <CreateServerForm onCreated={onClose} autoFocus />
    </ModalDialog>
  );
}
