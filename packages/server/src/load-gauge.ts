/**
 * Admission control's gauge: how loaded the server is, so that a new player, publisher or room
 * member is refused (`highResourceUsage`, WHIP/WHEP 503) before the load takes down the sessions
 * already admitted. Two readings, each over a window of about a second:
 *
 * - the event loop's lag (a timer-drift sampler: a 20 ms interval timer, and how late each of its
 *   runs comes): over the limit once the sampler ran that late `LAG_RUNS` times (two) in the
 *   current window and the one before it. A loop that keeps stalling is overloaded; one lone stall
 *   (a major GC, code compiled at start-up: 150-300 ms seen on a busy 2-core machine) is not. A
 *   stall counts from the first sampler run after it, which comes before the socket reads of that
 *   turn of the loop, and for one to two seconds;
 * - the process's CPU share (`process.cpuUsage` against wall time over the last window, as a
 *   percentage of the `os.availableParallelism()` cores), AMS's `cpuLimit`.
 *
 * On a machine of several cores one saturated event loop is a fraction of the CPU (half of two
 * cores), under a `cpuLimit` of 75: there the lag limit is the one that sees it.
 * (`perf_hooks.monitorEventLoopDelay` loses the first delay after each `reset()`, so a stall just
 * after a window turned went unseen: hence a sampler of our own.) The readings run from `start()`
 * (the server's listen) to `stop()` (its close); the one timer is unref'd and cleared on stop, so
 * no handle outlives the server. The fault switch (`FaultTable.overloaded`) makes the gauge report
 * overload on demand.
 */
import { availableParallelism } from 'node:os';

/** The limits the gauge compares against (server options); 0 turns a reading's limit off. */
export interface LoadLimits {
  /** AMS's `cpuLimit`: the process's CPU use, in percent of all cores, at which new sessions are refused. */
  readonly cpuLimit: number;
  /** Ours: the event loop's lag, in ms, at which new sessions are refused. */
  readonly eventLoopLagLimitMs: number;
}

/**
 * Why a new session is refused: a load limit passed, the fault switch (`{overload: true}`), or
 * (a play only) `maxPlayers` plays open on the server.
 */
export type OverloadCause = 'cpuLimit' | 'eventLoopLagLimitMs' | 'overloadFault' | 'maxPlayers';

export interface Overload {
  readonly cause: OverloadCause;
  /** A short text for logs and the `reason` of the error frame. */
  readonly reason: string;
}

/**
 * What a new session asks before it is made (`index.ts` makes it of the gauge and the player
 * count): why it would be refused now, undefined to admit it. `play` (a WebSocket play of a stream
 * or room, a WHEP POST) is also held to `maxPlayers`; `publish` (publish, joinRoom, WHIP) is not.
 */
export interface Admission {
  refusal(kind: 'play' | 'publish'): Overload | undefined;
}

/** What the gauge reads the process with (tests pass their own). */
export interface LoadProbe {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Microseconds of CPU used by the process since it started (`process.cpuUsage()`). */
  cpuUsage(): { user: number; system: number };
  /** The cores the process may use. */
  readonly cores: number;
}

const SYSTEM_PROBE: LoadProbe = {
  now: () => performance.now(),
  cpuUsage: () => process.cpuUsage(),
  cores: availableParallelism(),
};

/** The length of one window of readings, ms. */
export const LOAD_WINDOW_MS = 1000;
/** The drift sampler's period, ms: a run this much after the previous one is on time. */
export const LAG_SAMPLE_MS = 20;
/** How many sampler runs over `eventLoopLagLimitMs` (this window and the previous one) make the loop overloaded. */
export const LAG_RUNS = 2;

export class LoadGauge {
  #timer: ReturnType<typeof setInterval> | undefined;
  /** When the sampler last ran, and when the current window began (`probe.now()`, ms). */
  #lastRun = 0;
  #windowStart = 0;
  /** The longest delay of the current window and of the previous one, ms. */
  #lagMs = 0;
  #previousLagMs = 0;
  /** Sampler runs over the lag limit in the current window and in the previous one. */
  #late = 0;
  #previousLate = 0;
  #cpuPercent = 0;
  #lastCpu = 0;

  constructor(
    readonly limits: LoadLimits,
    /** The fault switch: true makes the gauge report overload. */
    private readonly forced: () => boolean = () => false,
    private readonly probe: LoadProbe = SYSTEM_PROBE,
  ) {}

  /** Starts the readings (a no-op when every limit is off: the fault switch still works). */
  start(): void {
    if (this.#timer || (this.limits.cpuLimit <= 0 && this.limits.eventLoopLagLimitMs <= 0)) return;
    this.#lastRun = this.#windowStart = this.probe.now();
    this.#lastCpu = this.#cpuNow();
    this.#timer = setInterval(() => this.tick(), LAG_SAMPLE_MS);
    this.#timer.unref();
  }

  /** Stops the readings; the gauge then says overloaded only through the fault switch. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#lagMs = this.#previousLagMs = this.#late = this.#previousLate = this.#cpuPercent = 0;
  }

  /**
   * One run of the sampler (every `LAG_SAMPLE_MS` from `start()`; tests call it with a probe of
   * their own): how late it comes is the loop's lag; once a window is over, the CPU share over it.
   */
  tick(): void {
    const now = this.probe.now();
    const lag = now - this.#lastRun - LAG_SAMPLE_MS;
    this.#lagMs = Math.max(this.#lagMs, lag);
    if (this.limits.eventLoopLagLimitMs > 0 && lag >= this.limits.eventLoopLagLimitMs) this.#late++;
    this.#lastRun = now;
    const elapsed = now - this.#windowStart;
    if (elapsed < LOAD_WINDOW_MS) return;
    const cpu = this.#cpuNow();
    this.#cpuPercent = (100 * (cpu - this.#lastCpu)) / (elapsed * 1000 * Math.max(1, this.probe.cores));
    this.#lastCpu = cpu;
    this.#windowStart = now;
    this.#previousLagMs = this.#lagMs;
    this.#previousLate = this.#late;
    this.#lagMs = this.#late = 0;
  }

  /** The event loop's lag: the longest the sampler ran late in this window or the previous one, ms. */
  get lagMs(): number {
    return Math.max(this.#previousLagMs, this.#lagMs);
  }

  /** How many times the sampler ran `eventLoopLagLimitMs` late or more in this window and the previous one. */
  get lateRuns(): number {
    return this.#late + this.#previousLate;
  }

  /** The process's CPU use over the last window, in percent of all its cores. */
  get cpuPercent(): number {
    return this.#cpuPercent;
  }

  /** Whether a new session should be refused now, and why; undefined: admit. */
  overload(): Overload | undefined {
    if (this.forced()) return { cause: 'overloadFault', reason: 'the server is overloaded (fault injection)' };
    const { eventLoopLagLimitMs, cpuLimit } = this.limits;
    if (eventLoopLagLimitMs > 0 && this.lateRuns >= LAG_RUNS) {
      const lag = Math.round(this.lagMs);
      return { cause: 'eventLoopLagLimitMs', reason: `the server is overloaded (event loop lag ${lag} ms, limit ${eventLoopLagLimitMs} ms)` };
    }
    if (cpuLimit > 0 && this.#cpuPercent >= cpuLimit) {
      return { cause: 'cpuLimit', reason: `the server is overloaded (CPU ${Math.round(this.#cpuPercent)} %, limit ${cpuLimit} %)` };
    }
    return undefined;
  }

  #cpuNow(): number {
    const { user, system } = this.probe.cpuUsage();
    return user + system;
  }
}
