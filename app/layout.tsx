// Root layout: dark theme by default and the client providers (session) around every page.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AppProviders } from "../components/providers/app-providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parley", template: "%s · Parley" },
  description: "Parley: servers, channels and real-time chat.",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  themeColor: "#1e1f22",
  colorScheme: "dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" data-theme="dark">
      <body>
        <AppProviders>{children}</AppProviders>
      </body>
    </html>
  );
}
