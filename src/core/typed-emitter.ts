/**
 * A small typed event emitter for the DOM-free core: `M` maps event names to detail types.
 * Listeners run synchronously in registration order; one that throws is reported (see
 * `reportListenerError`) and the others still run.
 * @internal
 */
export class TypedEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<(detail: never) => void>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(type: K, fn: (detail: M[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(fn);
    return () => this.off(type, fn);
  }

  /** Adds a listener that removes itself after its first call. */
  once<K extends keyof M>(type: K, fn: (detail: M[K]) => void): () => void {
    const off = this.on(type, (detail) => {
      off();
      fn(detail);
    });
    return off;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof M>(type: K, fn: (detail: M[K]) => void): void {
    this.#listeners.get(type)?.delete(fn);
  }

  /** Removes every listener of every event. */
  removeAllListeners(): void {
    this.#listeners.clear();
  }

  /** Calls the listeners of `type` (those present when the emit starts). */
  protected emit<K extends keyof M>(type: K, detail: M[K]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const fn of [...set] as Array<(detail: M[K]) => void>) {
      // Removed by an earlier listener of this same emit: skip it, as EventTarget does.
      if (!set.has(fn as (detail: never) => void)) continue;
      try {
        fn(detail);
      } catch (error) {
        this.reportListenerError(error);
      }
    }
  }

  /**
   * Where a throwing listener's error goes: `reportError` (browsers: the page's `error` event,
   * as for a throwing DOM event listener), else `console.error` (Node). Subclasses may override.
   */
  protected reportListenerError(error: unknown): void {
    const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else console.error(error);
  }
}
