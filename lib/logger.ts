// Structured JSON logs (pino); credentials are redacted wherever they appear, and database
// errors lose the values they carry (query parameters hold message text and password hashes).
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "parley" },
    serializers: { err: serializeError },
    redact: {
      paths: ["password", "*.password", "token", "*.token", "headers.authorization", "headers.cookie", "req.headers.authorization", "req.headers.cookie"],
      censor: "[redacted]",
    },
  });
}

/** Error fields that hold the data of a statement (drizzle's `params`, PostgreSQL's `detail`). */
const VALUE_FIELDS = ["params", "parameters", "detail", "where", "values"];
/** drizzle puts the parameters into its message too: "Failed query: …\nparams: …". */
const PARAMS_IN_TEXT = /\nparams: [\s\S]*?(?=\n    at |$)/;

/** pino's error serializer, minus the values: the query text, codes and stack stay. */
export function serializeError(err: unknown): unknown {
  const serialized = pino.stdSerializers.errWithCause(err as Error) as unknown;
  return scrub(serialized, 0);
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > 5) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of VALUE_FIELDS) if (field in out) out[field] = "[redacted]";
  for (const field of ["message", "stack"]) if (typeof out[field] === "string") out[field] = (out[field] as string).replace(PARAMS_IN_TEXT, "\nparams: [redacted]");
  if (out.cause) out.cause = scrub(out.cause, depth + 1);
  return out;
}
