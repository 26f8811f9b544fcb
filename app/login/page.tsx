// /login: the sign-in card. Suspense because the form reads ?callbackUrl.
import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "../../components/auth/login-form";

export const metadata: Metadata = { title: "Log in" };

export default function LoginPage() {
  return (
    <main className="screen-center">
      <Suspense fallback={null}>
        <LoginForm />
      </Suspense>
    </main>
  );
}
