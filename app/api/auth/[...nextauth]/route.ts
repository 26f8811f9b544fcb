// next-auth (v4): browser sign-in with username and password, kept in a session cookie.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, context: Context) {
  return NextAuth(authOptions())(req, context);
}

export { handler as GET, handler as POST };
