"use client";
// Gate for the signed-in area: sends signed-out visitors to /login and brings them back
// to the page they asked for afterwards.
import { useSession } from "next-auth/react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { SplashScreen } from "../ui/splash-screen";

export function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (status === "unauthenticated") router.replace(`/login?callbackUrl=${encodeURIComponent(pathname)}`);
  }, [status, router, pathname]);

  if (status !== "authenticated") return <SplashScreen />;
  return <>{children}</>;
}
