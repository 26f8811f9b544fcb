"use client";
// "/" has no content of its own: signed-in people go to their servers, others to sign in.
import { useSession } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { SplashScreen } from "../ui/splash-screen";

export function RootRedirect() {
  const { status } = useSession();
  const router = useRouter();

  useEffect(() => {
    if (status === "authenticated") router.replace("/channels");
    if (status === "unauthenticated") router.replace("/login");
  }, [status, router]);

  return <SplashScreen />;
}
