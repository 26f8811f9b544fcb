"use client";
// The submit cycle every form shares: busy while the action runs, the API's message on failure.
// On success `busy` stays set: the form is about to close or navigate away.
import { useState, type FormEvent } from "react";
import { errorMessage } from "../api/api-client";

export function useFormSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return { error, setError, busy, onSubmit };
}
