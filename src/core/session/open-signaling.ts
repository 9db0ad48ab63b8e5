/**
 * Where a session's signaling comes from: `deps.createSignaling` when given, else the AMS
 * WebSocket client. This is the one place that picks a protocol: a second one (WHIP/WHEP, by
 * the URL's scheme) is one more branch here and one `Signaling` implementation beside
 * `signaling/signaling-client.ts`.
 * @internal
 */
import { SignalingClient } from '../signaling/signaling-client.js';
import type { Signaling } from '../signaling/signaling.js';
import type { SessionDeps } from './types.js';

/**
 * The signaling for `deps.url` (not connected yet). The deps name the default client's options
 * by the same names (`url`, `createTransport`, `reconnectPolicy`, `online`), so they are its options.
 */
export const openSignaling = (deps: SessionDeps): Signaling => deps.createSignaling?.(deps.url) ?? new SignalingClient(deps);
