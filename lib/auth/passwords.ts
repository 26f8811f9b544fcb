// Password hashing with argon2id (the library's default algorithm and parameters).
import { hash, verify } from "@node-rs/argon2";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

// A real hash of a random password: logins for unknown users spend the same time as real ones.
const DECOY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$3nppT0ojLCqk6sZ2lYPSzQ$OQlc/jE//iU94tUmJiw0e4gtTBlsX2thsXFEKZtHCbs";

/** `verify` with an empty stored hash checks against a decoy, for unknown usernames. */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (stored, password) => {
    try {
      const ok = await verify(stored || DECOY_HASH, password);
      return ok && stored !== "";
    } catch {
      return false;
    }
  },
};

