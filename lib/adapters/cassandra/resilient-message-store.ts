// Timeouts and a circuit breaker around the Cassandra store: when the cluster is down or too
// slow, calls fail fast with UNAVAILABLE (503, or `{ok: false}` on the gateway; clients retry
// with their nonce) instead of piling up behind a dead connection. After a pause the breaker
// lets one call through; its success closes the circuit again, with no restart needed.
import cassandra from "cassandra-driver";
import { BrokenCircuitError, ConsecutiveBreaker, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleWhen, timeout, wrap } from "cockatiel";
import { errors } from "../../errors";
import type { Snowflake } from "../../ids/snowflake";
import type { Logger } from "../../logger";
import type { HistoryQuery, InsertResult, MessageRowStore, StoredMessage } from "../../ports/message-store";

/** A row store that stops work (writes nothing more) once `signal` has aborted. */
export interface AbortableMessageStore extends MessageRowStore {
  insert(message: StoredMessage, signal?: AbortSignal): Promise<InsertResult>;
  list(channelId: Snowflake, query: HistoryQuery, signal?: AbortSignal): Promise<StoredMessage[]>;
}

export interface ResilienceOptions {
  /** Upper bound for one store call, however many queries it makes. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  failuresToOpen?: number;
  /** How long the circuit stays open before one trial call may pass. */
  halfOpenAfterMs?: number;
  log?: Logger;
}

const codes = cassandra.types.responseErrorCodes;
/** Server answers that say "not now" rather than "this query is wrong". */
const TRANSIENT_CODES = new Set<number>([
  codes.serverError,
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
  codes.writeTimeout,
  codes.readTimeout,
  codes.readFailure,
  codes.writeFailure,
]);

/**
 * Whether a failure means the cluster cannot serve right now (it counts toward opening the
 * circuit and becomes UNAVAILABLE), as opposed to a bug such as a bad statement (INTERNAL).
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof TaskCancelledError) return true;
  // Work abandoned after the caller's timeout (see AbortableMessageStore).
  if (err instanceof Error && err.name === "AbortError") return true;
  if (err instanceof cassandra.errors.ResponseError) return TRANSIENT_CODES.has(err.code);
  // No host available, operation timed out, busy connection, client shutting down, ...
  return err instanceof cassandra.errors.DriverError;
}

export class ResilientMessageStore implements MessageRowStore {
  private readonly policy;

  constructor(
    private readonly inner: AbortableMessageStore,
    options: ResilienceOptions,
  ) {
    const breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: options.halfOpenAfterMs ?? 3_000,
      breaker: new ConsecutiveBreaker(options.failuresToOpen ?? 5),
    });
    const log = options.log;
    breaker.onBreak((reason) => log?.warn({ reason: describe(reason) }, "message store circuit opened: history calls fail fast"));
    breaker.onHalfOpen(() => log?.info("message store circuit half-open: trying one call"));
    breaker.onReset(() => log?.info("message store circuit closed: history is available again"));
    this.policy = wrap(breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  private async run<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      // A signal per call: cockatiel's shared default would collect a listener per concurrent call.
      return await this.policy.execute(({ signal }) => call(signal), new AbortController().signal);
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw errors.unavailable("Message history is unavailable (circuit open); retry shortly.");
      if (err instanceof TaskCancelledError) throw errors.unavailable("Message history did not answer in time; retry shortly.");
      if (isTransient(err)) throw errors.unavailable("Message history is unavailable; retry shortly.");
      throw err;
    }
  }

  insert(message: StoredMessage): Promise<InsertResult> {
    return this.run((signal) => this.inner.insert(message, signal));
  }

  get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    return this.run(() => this.inner.get(channelId, messageId));
  }

  list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    return this.run((signal) => this.inner.list(channelId, query, signal));
  }

  ping(): Promise<void> {
    return this.run(() => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function describe(reason: unknown): string {
  if (reason && typeof reason === "object" && "error" in reason) {
    const err = (reason as { error: unknown }).error;
    return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
  }
  return "isolated";
}
