/**
 * The text-frame transport the signaling client talks through. The browser default wraps
 * `WebSocket`; tests inject a fake that scripts server frames (livekit's mocked socket, Eyevinn's
 * adapters). DOM-free: `WebSocket` is looked up on `globalThis` and typed by the shape used here.
 * @internal
 */
import { RtcError } from '../errors.js';

/**
 * One connection attempt. Handlers fire asynchronously, after the factory returned:
 * `onopen` once, `onmessage` per text frame, then `onerror` (optional) and `onclose` once.
 */
export interface SignalingTransport {
  /** Sends one text frame; only valid after `onopen`. */
  send(text: string): void;
  /** Closes (or abandons, while connecting) the connection. */
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  onmessage: ((text: string) => void) | null;
}

/** Opens a transport to `url`. May throw (no WebSocket, malformed URL). */
export type CreateTransport = (url: string) => SignalingTransport;

/** The part of the WebSocket API this module uses. */
interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

class WebSocketTransport implements SignalingTransport {
  onopen: (() => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((text: string) => void) | null = null;

  constructor(private readonly socket: WebSocketLike) {
    // Binary frames are not AMS signaling; an ArrayBuffer avoids allocating a Blob for them.
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.onopen?.();
    socket.onclose = (ev) => this.onclose?.({ code: ev.code, reason: ev.reason });
    socket.onerror = () => this.onerror?.();
    socket.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.onmessage?.(ev.data);
    };
  }

  send(text: string): void {
    // WebSocket.send throws while CONNECTING but silently drops after close: make both loud.
    if (this.socket.readyState !== OPEN) throw RtcError.of('WebSocketNotConnected');
    this.socket.send(text);
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }
}

/** The browser default: a `WebSocket` from `globalThis`; throws `WebSocketNotSupported` without one. */
export const createWebSocketTransport: CreateTransport = (url) => {
  const Ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Ctor !== 'function') throw RtcError.of('WebSocketNotSupported');
  return new WebSocketTransport(new Ctor(url));
};
