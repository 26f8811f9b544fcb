// Bearer tokens and the browser session cookie are the same signed JWT (HS256), so every
// transport verifies credentials in one way.
import { SignJWT, jwtVerify } from "jose";
import type { Snowflake } from "../ids/snowflake";
import { isWellFormedId } from "../ids/snowflake";

export const TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = "parley";

export interface TokenClaims {
  sub: Snowflake;
  [claim: string]: unknown;
}

export interface TokenService {
  sign(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  /** The user id the token names, or null for a bad, expired or forged token. */
  verify(token: string): Promise<(TokenClaims & { exp?: number }) | null>;
}

export function createTokenService(secret: string): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims, ttlSeconds = TOKEN_TTL_SECONDS) {
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ["HS256"] });
        if (!isWellFormedId(payload.sub)) return null;
        return payload as TokenClaims & { exp?: number };
      } catch {
        return null;
      }
    },
  };
}
