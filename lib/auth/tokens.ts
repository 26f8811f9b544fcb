// Bearer tokens and the browser session cookie are the same signed JWT (HS256), so every
// transport verifies credentials in one way.
import { SignJWT, jwtVerify } from "jose";
import type { Snowflake } from "../ids/snowflake";
import { isWellFormedId } from "../ids/snowflake";

export const TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = "parley";

export interface TokenClaims {
  sub: Snowflake;
  /** The sign-in this token belongs to (kept when next-auth rotates its cookie): what logout ends. */
  sid: Snowflake;
  [claim: string]: unknown;
}

/** `exp`: when the token stops working, in seconds since the epoch. */
export type VerifiedClaims = TokenClaims & { exp: number };

export interface TokenService {
  sign(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  /** The claims, or null for a bad, expired or forged token, one that never expires (no `exp`) or names no sign-in (`sid`). */
  verify(token: string): Promise<VerifiedClaims | null>;
}

/** Verified tokens remembered (token -> claims) so a client's every request is not a new HMAC check. */
const VERIFIED_CACHE_SIZE = 20_000;

export function createTokenService(secret: string): TokenService {
  const key = new TextEncoder().encode(secret);
  // Only successes are kept, and each still expires at its own `exp`: a token that verified
  // once with this key verifies again until then (revocation is checked by the caller, see use-cases/authenticate.ts).
  const verified = new Map<string, VerifiedClaims>();
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
      const known = verified.get(token);
      if (known) {
        if (known.exp * 1000 > Date.now()) return known;
        verified.delete(token);
      }
      try {
        // A token without `exp` would work forever: refused (contract v2).
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ["HS256"], requiredClaims: ["exp"] });
        if (!isWellFormedId(payload.sub) || !isWellFormedId(payload.sid) || typeof payload.exp !== "number") return null;
        const claims = payload as VerifiedClaims;
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, claims);
        return claims;
      } catch {
        return null;
      }
    },
  };
}
