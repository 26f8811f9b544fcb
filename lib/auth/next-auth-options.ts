// next-auth for the browser. The session cookie holds the same signed JWT as a bearer token,
// so REST routes and the gateway verify both in one way (see tokens.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "../errors";
import { getRuntime } from "../runtime";
import { login } from "../use-cases/login";
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
        async authorize(credentials) {
          try {
            const { user } = await login(deps, { input: credentials ?? {} });
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
      encode: async ({ token }) => (token?.sub ? deps.tokens.sign({ sub: token.sub }) : ""),
      decode: async ({ token }) => (token ? deps.tokens.verify(token) : null),
    },
    callbacks: {
      async session({ session, token }) {
        const user = token.sub ? await deps.metadata.getUser(token.sub) : null;
        return { ...session, user: user ?? undefined } as typeof session;
      },
    },
  };
}
