"use client";
// Registration card: creates the account through the REST API (so its validation messages
// show inline), then signs in with the same credentials.
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { parleyApi } from "../api/parley-api";
import { useFormSubmit } from "../hooks/use-form-submit";
import { safeCallbackUrl } from "../lib/safe-callback-url";

export function RegisterForm() {
  const router = useRouter();
  const callbackUrl = safeCallbackUrl(useSearchParams().get("callbackUrl"));
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const loginHref = `/login?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    // A refused registration throws here, and its message shows inline.
    await parleyApi.register({ username, password, displayName: displayName.trim() || undefined });
    const result = await signIn("credentials", { username, password, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) return router.replace(callbackUrl);
    // The account exists now; let them sign in by hand rather than register twice.
    router.replace(loginHref);
  });

  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="register-title" noValidate>
      <h1 id="register-title" className="card-title">Create an account</h1>
      {error && <p className="form-error" role="alert" data-testid="auth-error">{error}</p>}
      <label className="field">
        <span className="field-label">
          Username <span className="field-hint">3–32 characters: a–z, 0–9, _ and .</span>
        </span>
        <input className="input" name="username" autoComplete="username" required autoFocus
          value={username} onChange={(e) => setUsername(e.target.value)} data-testid="register-username" />
      </label>
      <label className="field">
        <span className="field-label">
          Display name <span className="field-hint">optional</span>
        </span>
        <input className="input" name="displayName" autoComplete="nickname" maxLength={32}
          value={displayName} onChange={(e) => setDisplayName(e.target.value)} data-testid="register-display-name" />
      </label>
      <label className="field">
        <span className="field-label">
          Password <span className="field-hint">at least 8 characters</span>
        </span>
        <input className="input" name="password" type="password" autoComplete="new-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} data-testid="register-password" />
      </label>
      <button className="btn btn-block" type="submit" disabled={busy || !username || !password} data-testid="register-submit">
        {busy ? "Creating account…" : "Continue"}
      </button>
      <p className="muted">
        <Link href={loginHref}>Already have an account?</Link>
      </p>
    </form>
  );
}
