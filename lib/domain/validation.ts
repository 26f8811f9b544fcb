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

const USERNAME = /^[a-z0-9_.]{3,32}$/;
/** Whether a (trimmed, lower-cased) name is one an account can have. */
export const isUsername = (s: string) => USERNAME.test(s);

export const usernameSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(USERNAME, "username must be 3–32 characters of a-z 0-9 _ ."));

export const passwordSchema = lengthBetween(8, 128, "password");

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides, embeddings and isolates: in a
 * name they reorder or hide what is shown around it (U+202E turns "gnp.exe" into "exe.png").
 */
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A name people see next to others' text: stored text without controls. */
const nameText = (min: number, max: number, label: string) =>
  storedText(min, max, label).refine((s) => !NAME_CONTROLS.test(s), `${label} must not contain control or bidirectional formatting characters`);

export const displayNameSchema = nameText(1, 32, "displayName");

export const serverNameSchema = nameText(1, 100, "name");

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
