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
  /** Without `ev` (a retry's probe found no server): an abnormal close (1006). */
  onclose: ((ev?: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  onmessage: ((text: string) => void) | null;
}

/**
 * Opens a transport to `url`. May throw (no WebSocket, malformed URL). `retry` counts the
 * attempts since the connection was last open (0 for the first).
 */
export type CreateTransport = (url: string, retry?: number) => SignalingTransport;

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
  onclose: ((ev?: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((text: string) => void) | null = null;
  socket?: WebSocketLike;
  /**
   * Set by `close()`: a retry's probe answered late opens nothing. (Not an AbortController: an
   * aborted signal kept closed clients, and their elements, on the heap: +4.6 MB in 500 cycles.)
   */
  dead = false;

  open(socket: WebSocketLike): void {
    this.socket = socket;
    // Binary frames are not AMS signaling; an ArrayBuffer avoids allocating a Blob for them.
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.onopen?.();
    socket.onclose = (ev) => this.onclose?.(ev);
    socket.onerror = () => this.onerror?.();
    socket.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.onmessage?.(ev.data);
    };
  }

  send(text: string): void {
    // WebSocket.send throws while CONNECTING but silently drops after close: make both loud.
    if (this.socket?.readyState !== OPEN) throw RtcError.of('WebSocketNotConnected');
    this.socket.send(text);
  }

  close(code?: number, reason?: string): void {
    this.dead = true;
    this.socket?.close(code, reason);
  }
}

/**
 * The browser default: a `WebSocket` from `globalThis`; throws `WebSocketNotSupported` without one.
 *
 * A retry first asks the server's HTTP side whether it is there (a `HEAD` without CORS; any
 * answer will do) and opens the socket only then. Chromium delays a page's new
 * WebSockets by up to 5 s once its failed ones far outnumber its successful ones (its per-process
 * throttle), so knocking with sockets through an outage of a minute made the reconnect itself
 * seconds late; failed fetches count for nothing there. Every fifth retry opens the socket anyway,
 * for a page whose CSP would refuse the probe (CSP3 lets `wss:` sources cover `https:`, so that
 * takes an older browser or an odd policy).
 */
export const createWebSocketTransport: CreateTransport = (url, retry = 0) => {
  const Ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Ctor !== 'function') throw RtcError.of('WebSocketNotSupported');
  const t = new WebSocketTransport();
  if (retry % 5) {
    // (Not a literal in the call: Node's RequestInit, which the Node build checks this against, has no `cache`.)
    const init = { method: 'HEAD', mode: 'no-cors', cache: 'no-store' } as const;
    // ws(s)://… → http(s)://…
    fetch('http' + url.slice(2), init)
      .then(() => t.dead || t.open(new Ctor(url)))
      .catch(() => {
        if (!t.dead) t.onclose?.();
      });
  } else t.open(new Ctor(url));
  return t;
};
