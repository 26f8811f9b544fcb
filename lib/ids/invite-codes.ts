// Invite codes: 10 random characters from a 62-letter alphabet (about 59 bits).
import { randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function newInviteCode(length = 10): string {
  let code = "";
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Whether `code` could be an invite code at all: anything else (a NUL, 10 KiB) names no invite. */
export const couldBeInviteCode = (code: string) => /^[A-Za-z0-9]{1,64}$/.test(code);
