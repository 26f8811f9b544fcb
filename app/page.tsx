// "/": redirects to /channels or /login depending on the session.
import { RootRedirect } from "../components/auth/root-redirect";

export default function HomePage() {
  return <RootRedirect />;
}
