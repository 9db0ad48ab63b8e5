/**
 * Code that only some pages need lives in chunks of its own beside the bundle (the room's view,
 * black frames, stats), imported relative to the importing module's URL so the bundle folder works
 * from any path or CDN. `lazy(load)` fetches once and shares the module; a failed fetch rejects as
 * `module_load_failed` and is forgotten, so the next call (a retry) fetches again. DOM-free.
 */
import { RtcError } from './errors.js';

export const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= load().catch((e: unknown) => {
      p = undefined;
      throw RtcError.of('module_load_failed', { cause: e });
    }));
};
