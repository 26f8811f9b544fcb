// next-auth for the browser. The session cookie holds the same signed JWT as a bearer token,
// so REST routes and the gateway verify both in one way (see tokens.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "../errors";
import { getRuntime } from "../runtime";
import { CLIENT_IP_HEADER, UNKNOWN_CLIENT_IP } from "../http/client-ip";
import { login } from "../use-cases/login";
import { logout } from "../use-cases/logout";
import { TOKEN_TTL_SECONDS } from "./tokens";

export function authOptions(): NextAuthOptions {
  const { deps, authSecret, secureCookies } = getRuntime();
  return {
    secret: authSecret,
    useSecureCookies: secureCookies,
    session: { strategy: "jwt", maxAge: TOKEN_TTL_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Parley",
        credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            const clientIp = [req?.headers?.[CLIENT_IP_HEADER]].flat()[0];
            const { user } = await login(deps, { input: credentials ?? {}, source: { clientIp: typeof clientIp === "string" ? clientIp : UNKNOWN_CLIENT_IP } });
            return { id: user.id, name: user.displayName, username: user.username, displayName: user.displayName };
          } catch (err) {
            if (err instanceof AppError) return null;
            throw err;
          }
        },
      }),
    ],
    jwt: {
      maxAge: TOKEN_TTL_SECONDS,
      // A renewed cookie keeps its sign-in's `sid`, so logout ends every renewal of it.
      encode: async ({ token }) => (token?.sub && typeof token.sid === "string" ? deps.tokens.sign({ sub: token.sub, sid: token.sid }) : ""),
      decode: async ({ token }) => {
        const claims = token ? await deps.tokens.verify(token) : null;
        return claims && !deps.sessions.isRevoked(claims.sub, claims.sid) ? claims : null;
      },
    },
    events: {
      // next-auth's own sign-out ends the sign-in everywhere, as POST /api/v1/auth/logout does.
      async signOut({ token }) {
        if (token?.sub && typeof token.sid === "string") await logout(deps, { actor: { userId: token.sub }, sessionId: token.sid });
      },
    },
    callbacks: {
      // A new sign-in (authorize just succeeded) gets its own session id.
      async jwt({ token, user }) {
        return user ? { ...token, sid: deps.ids.next() } : token;
      },
      async session({ session, token }) {
        const user = token.sub ? await deps.metadata.getUser(token.sub) : null;
        return { ...session, user: user ?? undefined } as typeof session;
      },
    },
  };
}
