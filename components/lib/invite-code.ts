// People paste whatever they were given: a bare code or a full invite link.

/** "https://host/invite/abc123" -> "abc123"; "abc123" -> "abc123"; "" -> null. */
export function inviteCodeFrom(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  const match = /\/invite\/([^/?#\s]+)/.exec(trimmed);
  const code = match?.[1] ?? trimmed;
  try {
    return decodeURIComponent(code);
  } catch {
    return code;
  }
}
