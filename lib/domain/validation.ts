// The contract's input rules as zod schemas, shared by REST and gateway.
import { z } from "zod";
import { errors } from "../errors";
import { isWellFormedId } from "../ids/snowflake";

/** Length in Unicode code points, as the contract counts it. */
export const codePoints = (s: string) => [...s].length;

const lengthBetween = (min: number, max: number, label: string) =>
  z.string().refine((s) => codePoints(s) >= min && codePoints(s) <= max, `${label} must be ${min}–${max} characters`);

/** NUL, or half of a surrogate pair: text that is not Unicode, or that PostgreSQL cannot store. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text we store and show: trimmed, `min`–`max` code points, and storable as sent. */
const storedText = (min: number, max: number, label: string) =>
  z
    .string()
    .trim()
    .pipe(lengthBetween(min, max, label))
    .refine((s) => !UNSTORABLE.test(s), `${label} must be valid Unicode without NUL characters`);

export const idSchema = z.string().refine(isWellFormedId, "must be a decimal snowflake id");

export const usernameSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9_.]{3,32}$/, "username must be 3–32 characters of a-z 0-9 _ ."));

export const passwordSchema = lengthBetween(8, 128, "password");

export const displayNameSchema = storedText(1, 32, "displayName");

export const serverNameSchema = storedText(1, 100, "name");

export const channelNameSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase().replace(/ /g, "-"))
  .pipe(z.string().regex(/^[a-z0-9_-]{1,100}$/, "channel name must be 1–100 characters of a-z 0-9 - _"));

export const contentSchema = storedText(1, 2000, "content");

export const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "nonce must be 1–64 characters of A-Z a-z 0-9 - _");

export const chosenStatusSchema = z.enum(["online", "idle", "dnd", "invisible"]);

/** A query integer within bounds; absent means the default. */
export const boundedInt = (min: number, max: number, fallback: number) =>
  z
    // `.optional()` before the transform: zod 4 refuses a missing object key otherwise.
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null) return fallback;
      const n = typeof v === "number" ? v : /^-?[0-9]+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** Validates `input` or throws VALIDATION_FAILED naming the first broken rule. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw errors.validation(`${where}${issue?.message ?? "invalid input"}`);
}
