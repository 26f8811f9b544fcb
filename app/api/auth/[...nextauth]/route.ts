// next-auth (v4): browser sign-in with username and password, kept in a session cookie.
// Its bodies are held to the REST limit (16 KiB, 413) before next-auth reads them whole.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { bodyWithinLimit } from "@/lib/http/route";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const { body, refusal } = await bodyWithinLimit(req);
  if (refusal) return refusal;
  const request = body ? new NextRequest(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) }) : req;
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };
