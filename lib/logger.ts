// Structured JSON logs (pino); credentials are redacted wherever they appear.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "parley" },
    redact: {
      paths: ["password", "*.password", "token", "*.token", "headers.authorization", "headers.cookie", "req.headers.authorization", "req.headers.cookie"],
      censor: "[redacted]",
    },
  });
}
