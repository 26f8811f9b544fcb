// Root layout: the theme (dark unless this browser chose light, applied before first paint),
// the client providers, and the service worker registration that makes Parley installable.
// Pages run under a nonce-based CSP (server/http/security-headers.ts): reading this request's
// nonce renders every page per request, which a nonce needs (a prerendered page has none).
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppProviders } from "../components/providers/app-providers";
import { ServiceWorkerRegistration } from "../components/pwa/service-worker-registration";
import { THEME_COLOR, THEME_STORAGE_KEY } from "../components/lib/theme";
import { NONCE_HEADER } from "../lib/http/nonce";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parley", template: "%s · Parley" },
  description: "Parley: servers, channels and real-time chat.",
  applicationName: "Parley",
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/icons/icon-192.png", sizes: "192x192" }], apple: "/icons/apple-touch-icon.png" },
  appleWebApp: { capable: true, title: "Parley", statusBarStyle: "black-translucent" },
};

export const viewport: Viewport = {
  themeColor: THEME_COLOR.dark,
  colorScheme: "dark light",
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
};

// Runs before React: a stored light theme must not flash dark first.
const THEME_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark"){document.documentElement.dataset.theme=t;var m=document.querySelector('meta[name="theme-color"]');if(m&&t==="light")m.content=${JSON.stringify(THEME_COLOR.light)}}}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" data-theme="dark" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <AppProviders>{children}</AppProviders>
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
