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
  /** The first retries' delays, for a blip and a short outage: about four times a second for the first 3 s. Default 50, then 250 eleven times. */
  quickMs?: readonly number[];
  /** The delay of every later retry, for as long as the outage lasts. Default 1000. */
  intervalMs?: number;
  /** Each delay is spread by ± this fraction, so clients dropped together do not return together. Default 0.3. */
  jitter?: number;
  /** Retries before giving up. Default `Infinity`. */
  maxRetries?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * A player waiting for its stream to go live asks again after these delays, then about once a
 * second: every 50-250 ms through the first 2 s (a publisher coming back after the same outage
 * is live a few hundred ms after its socket, and each ask is one small frame on an open socket).
 */
export const WAITING_QUICK_MS: readonly number[] = [50, 100, 150, 200, 250, 250, 250, 250, 250, 500, 500];

/**
 * A few quick retries (about four times a second through the first 3 s: a restart that takes 2 s
 * is found within about 125 ms on average, against 250 with the 500 ms steps this had before),
 * then one every `intervalMs` (± `jitter`) for as long as it takes: never a growing ceiling, so a server back after a minute is found within about a second, while
 * a client never knocks more than about once a second after the first few seconds. LiveKit starts
 * the same way (0, 300 ms, …) but grows to 7 s and gives up after ten; the AMS SDK retries every
 * 3 s, unspread.
 */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly #o: Required<DefaultReconnectPolicyOptions>;

  /** Internal: its options come from this package only (the client clamps what any policy returns). */
  constructor(opts: DefaultReconnectPolicyOptions = {}) {
    this.#o = {
      quickMs: [50, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250],
      intervalMs: 1000,
      jitter: 0.3,
      maxRetries: Infinity,
      random: Math.random,
      ...opts,
    };
  }

  /** Only the retry count matters here (a play waiting for its stream passes nothing else). */
  nextRetryDelayInMs({ retryCount }: Partial<ReconnectContext> & Pick<ReconnectContext, 'retryCount'>): number | null {
    const o = this.#o;
    if (!(retryCount < o.maxRetries)) return null;
    const base = o.quickMs[retryCount] ?? o.intervalMs;
    return Math.round(base * (1 + o.jitter * (2 * o.random() - 1)));
  }
}
