// /channels: home of the signed-in area (pick, create or join a server).
import type { Metadata } from "next";
import { HomePanel } from "../../components/chat/home-panel";

export const metadata: Metadata = { title: "Home" };

export default function ChannelsHomePage() {
  return <HomePanel />;
}
