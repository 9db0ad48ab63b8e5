/**
 * When to try again after the signaling connection is lost (livekit's `ReconnectPolicy`).
 * Pure and DOM-free.
 * @internal
 */

/** What a policy knows when it is asked for the next delay. */
export interface ReconnectContext {
  /** Retries already made since the connection was last open (0 before the first). */
  retryCount: number;
  /** Milliseconds since the connection was lost (or the first attempt failed). */
  elapsedMs: number;
  /** Why the last attempt ended, e.g. `closed`, `error`, `connect timeout`, `pong timeout`. */
  reason: string;
}

export interface ReconnectPolicy {
  /** Milliseconds to wait before the next attempt, or `null` to give up. */
  nextRetryDelayInMs(ctx: ReconnectContext): number | null;
}

export interface DefaultReconnectPolicyOptions {
  /** First delay, doubled on every retry. Default 500. */
  baseMs?: number;
  /** Ceiling for any delay. Default 10 000. */
  maxMs?: number;
  /** Each delay is spread by ± this fraction, so clients dropped together do not return together. Default 0.3. */
  jitter?: number;
  /** Retries before giving up. Default `Infinity`. */
  maxRetries?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

const check = (name: string, value: number, ok: boolean): number => {
  if (!ok) throw new RangeError(`DefaultReconnectPolicy: ${name} is out of range (${value})`);
  return value;
};

/** Exponential backoff with jitter: `min(maxMs, baseMs · 2^retryCount) · (1 ± jitter)`, capped at `maxMs`. */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #jitter: number;
  readonly #maxRetries: number;
  readonly #random: () => number;

  /** Throws `RangeError` for a negative or non-finite option (`maxRetries` may be `Infinity`). */
  constructor(opts: DefaultReconnectPolicyOptions = {}) {
    const { baseMs = 500, maxMs = 10_000, jitter = 0.3, maxRetries = Infinity, random = Math.random } = opts;
    this.#baseMs = check('baseMs', baseMs, Number.isFinite(baseMs) && baseMs >= 0);
    this.#maxMs = check('maxMs', maxMs, Number.isFinite(maxMs) && maxMs >= baseMs);
    this.#jitter = check('jitter', jitter, jitter >= 0 && jitter <= 1);
    this.#maxRetries = check('maxRetries', maxRetries, maxRetries >= 0);
    this.#random = random;
  }

  nextRetryDelayInMs({ retryCount }: ReconnectContext): number | null {
    if (!(retryCount < this.#maxRetries)) return null;
    // Capping the exponent keeps 2 ** n finite for absurd retry counts.
    const backoff = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(Math.max(0, retryCount), 52));
    const spread = backoff * this.#jitter * (2 * this.#random() - 1);
    return Math.round(Math.min(this.#maxMs, Math.max(0, backoff + spread)));
  }
}
