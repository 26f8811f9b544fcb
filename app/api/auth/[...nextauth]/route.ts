// next-auth (v4): browser sign-in with username and password, kept in a session cookie.
// Its bodies are held to the REST limit (16 KiB, 413) before next-auth reads them whole, and a
// JSON body that does not parse is a 400 (next-auth would throw on it).
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { bodyWithinLimit, unparsableJsonRefusal } from "@/lib/http/route";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const { body, refusal } = await bodyWithinLimit(req);
  if (refusal) return refusal;
  const unparsable = unparsableJsonRefusal(req, body);
  if (unparsable) return unparsable;
  const request = body ? new NextRequest(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) }) : req;
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };
