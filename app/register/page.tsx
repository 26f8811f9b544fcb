// /register: the account creation card. Suspense because the form reads ?callbackUrl.
import type { Metadata } from "next";
import { Suspense } from "react";
import { RegisterForm } from "../../components/auth/register-form";

export const metadata: Metadata = { title: "Register" };

export default function RegisterPage() {
  return (
    <main className="screen-center">
      <Suspense fallback={null}>
        <RegisterForm />
      </Suspense>
    </main>
  );
}
