// A nonce lets the server recognise a retried send and lets us match the echo of our own
// message to the pending copy. getRandomValues (unlike randomUUID) also works on plain http.

/** 32 hex characters: well inside the contract's 1–64 chars of [A-Za-z0-9_-]. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
