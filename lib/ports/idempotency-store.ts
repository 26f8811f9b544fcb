/**
 * Remembers which value (a message id) a client-supplied key (user + channel + nonce) was
 * bound to, for at least the configured time. `claim` is atomic: of several concurrent
 * claims of one key, all get the value of the first.
 */
export interface IdempotencyStore {
  /** The bound value, or null when the key is unknown or expired. */
  get(key: string): Promise<string | null>;
  /** Binds `value` unless the key is bound already; returns the value the key is bound to. */
  claim(key: string, value: string): Promise<string>;
}
