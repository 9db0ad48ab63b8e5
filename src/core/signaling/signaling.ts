/**
 * What a session needs from its signaling, whatever the protocol: connect, send typed client
 * frames, close, a state, and typed server frames back. The AMS WebSocket client
 * (`SignalingClient`) is the first implementation; sessions get theirs from
 * `SessionDeps.createSignaling` (see `session/open-signaling.ts`). A second protocol (WHIP/WHEP
 * over HTTP) implements this interface in a file of its own beside `signaling-client.ts` and
 * speaks the same frames to the sessions: `publish`/`play` in, `start`/`takeConfiguration`/
 * `notification` out. DOM-free.
 * @internal
 */
import type { RtcError } from '../errors.js';
import type { ClientFrame, ServerFrame } from '../protocol/messages.js';

/** `connecting` is the first attempt only; `reconnecting` covers waiting and every later attempt; `closed` is final. */
export type SignalingState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * A command `ClientFrame` does not list, passed through as it is: the side commands of rooms
 * and pages (`updateStreamMetaData`, `setMaxVideoTrackCountCommand`, …).
 */
export interface CommandFrame {
  command: string;
  [field: string]: unknown;
}

/** What a session sends. */
export type OutgoingFrame = ClientFrame | CommandFrame;

/** The events every signaling emits. */
export interface SignalingEventMap {
  /** Connected and ready to send; `reconnected` from the second open on (the server forgot the old sessions). */
  open: { reconnected: boolean };
  /** An open connection closed (`willReconnect` when it tries again), or the signaling entered `closed`. */
  close: { code: number; reason: string; willReconnect: boolean };
  /** Every valid server frame except `pong`. */
  frame: ServerFrame;
  /**
   * Connection trouble (`WebSocketNotConnected`, `recoverable` unless trying again cannot help),
   * once per episode (not again for each retry until the next open), or a malformed frame (`protocol`).
   */
  error: RtcError;
  /** The server answered a keepalive. */
  pong: Record<string, never>;
}

/** The signaling connection of one session (or room) to one server application. */
export interface Signaling {
  /** Current connection state. */
  readonly state: SignalingState;
  /** Starts connecting; does nothing unless `idle`. */
  connect(): void;
  /** Sends a frame now if open, else queues it for the next open; dropped once closed. */
  send(frame: OutgoingFrame): void;
  /** Closes for good: no reconnect, state `closed`. */
  close(): void;
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof SignalingEventMap>(type: K, fn: (detail: SignalingEventMap[K]) => void): () => void;
  /** Removes every listener. */
  removeAllListeners(): void;
}

/** Makes the signaling for a server URL (not connected yet). */
export type CreateSignaling = (url: string) => Signaling;
