// /manifest.webmanifest: what makes Parley installable (name, icons, standalone window).
// Served by the app itself, never from the CDN: browsers require it on the app's origin.
import type { MetadataRoute } from "next";
import { THEME_COLOR } from "../components/lib/theme";

export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "Parley",
    short_name: "Parley",
    description: "Servers, channels and real-time chat.",
    start_url: "/channels",
    scope: "/",
    display: "standalone",
    background_color: "#313338",
    theme_color: THEME_COLOR.dark,
    categories: ["social", "communication"],
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
