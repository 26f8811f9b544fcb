"use client";
// Sign-in card. Credentials go to next-auth's "credentials" provider; on success we follow
// the (same-site only) callbackUrl, so invite links survive the detour through /login.
import { signIn, useSession } from "next-auth/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { safeCallbackUrl } from "../lib/safe-callback-url";

export function LoginForm() {
  const router = useRouter();
  const callbackUrl = safeCallbackUrl(useSearchParams().get("callbackUrl"));
  const { status } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (status === "authenticated" && !busy) router.replace(callbackUrl);
  }, [status, busy, router, callbackUrl]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await signIn("credentials", { username, password, redirect: false });
      if (result?.ok && !result.error) return router.replace(callbackUrl);
      setError(result?.error === "CredentialsSignin" || result?.status === 401
        ? "Invalid username or password."
        : "Could not sign in right now. Please try again.");
    } catch {
      setError("Could not reach Parley. Check your connection and try again.");
    }
    setBusy(false);
  }

  const registerHref = `/register?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="login-title" noValidate>
      <h1 id="login-title" className="card-title">Welcome back!</h1>
      <p className="card-subtitle">We&apos;re so excited to see you again!</p>
      {error && <p className="form-error" role="alert" data-testid="auth-error">{error}</p>}
      <label className="field">
        <span className="field-label">Username</span>
        <input className="input" name="username" autoComplete="username" required autoFocus
          value={username} onChange={(e) => setUsername(e.target.value)} data-testid="login-username" />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input className="input" name="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
      </label>
      <button className="btn btn-block" type="submit" disabled={busy || !username || !password} data-testid="login-submit">
        {busy ? "Signing in…" : "Log In"}
      </button>
      <p className="muted">
        Need an account? <Link href={registerHref}>Register</Link>
      </p>
    </form>
  );
}
