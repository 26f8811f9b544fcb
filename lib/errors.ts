// One error type for the whole domain; transports map its code to an HTTP status or a socket ack.

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const APP_ERROR = Symbol.for("parley.AppError");

/** An expected failure whose code and message are safe to show to a client. */
export class AppError extends Error {
  /**
   * Next bundles route handlers with their own copy of this module, so an AppError thrown by a
   * port built by the custom server (e.g. UNAVAILABLE from the message store) is not an
   * instance of the route's class. A process-wide brand makes `instanceof` work across copies.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [APP_ERROR]?: boolean })[APP_ERROR] === true;
  }
  readonly [APP_ERROR] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For RATE_LIMITED: whole seconds until a retry can succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** Turns any thrown value into a client-safe error: unknown failures become a generic INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isBackingStoreDown(err)) return errors.unavailable();
  return new AppError("INTERNAL", "Something went wrong on our side.");
}

// Network failures (Node's socket error codes) and PostgreSQL's "connection exception" and
// "operator intervention" classes mean the store is away, not that the request was wrong:
// the client may retry (with the same nonce) once it is back.
const DOWN_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const DOWN_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

function isBackingStoreDown(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const { code, message, cause } = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && (DOWN_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  if (typeof message === "string" && DOWN_MESSAGES.test(message)) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isBackingStoreDown(e, depth + 1))) return true;
  return isBackingStoreDown(cause, depth + 1);
}

export function errorBody(err: AppError): ErrorBody {
  return { error: { code: err.code, message: err.message } };
}

export const errors = {
  validation: (message: string) => new AppError("VALIDATION_FAILED", message),
  unauthorized: (message = "Missing or invalid credentials.") => new AppError("UNAUTHORIZED", message),
  forbidden: (message = "You do not have access to this resource.") => new AppError("FORBIDDEN", message),
  notFound: (what: string) => new AppError("NOT_FOUND", `${what} not found.`),
  conflict: (message: string) => new AppError("CONFLICT", message),
  payloadTooLarge: () => new AppError("PAYLOAD_TOO_LARGE", "Request body is larger than 16 KiB."),
  /** A budget spent: try again in `retryAfterMs` (at least a second). */
  budgetSpent: (retryAfterMs: number, message: string) => new AppError("RATE_LIMITED", message, Math.max(1, Math.ceil(retryAfterMs / 1000))),
  rateLimited: (retryAfterSeconds: number, message = "You are sending messages too fast.") =>
    new AppError("RATE_LIMITED", message, retryAfterSeconds),
  unavailable: (message = "A backing service is unavailable; retry shortly.") => new AppError("UNAVAILABLE", message),
};
