/**
 * Counts the peer connections, WebSockets and capture tracks a page creates, and how many are
 * still open; and the timers and global listeners still pending: for teardown tests. Wraps the
 * constructors, getUserMedia, the timer functions and `EventTarget`'s listener methods;
 * `uninstall()` puts the originals back.
 */
export interface LeakCounts {
  peerConnections: number;
  sockets: number;
  tracks: number;
  total: number;
}

export function installLeakTracker() {
  const OrigPC = window.RTCPeerConnection;
  const OrigWS = window.WebSocket;
  const origGUM = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let pcs: RTCPeerConnection[] = [];
  let sockets: WebSocket[] = [];
  let tracks: MediaStreamTrack[] = [];
  let made = { peerConnections: 0, sockets: 0, tracks: 0 };

  const TrackedPC = function (this: unknown, config?: RTCConfiguration) {
    const pc = new OrigPC(config);
    pcs.push(pc);
    made.peerConnections++;
    return pc;
  } as unknown as typeof RTCPeerConnection;
  TrackedPC.prototype = OrigPC.prototype;
  Object.assign(TrackedPC, { generateCertificate: OrigPC.generateCertificate });

  const TrackedWS = function (this: unknown, url: string | URL, protocols?: string | string[]) {
    const ws = new OrigWS(url, protocols);
    sockets.push(ws);
    made.sockets++;
    return ws;
  } as unknown as typeof WebSocket;
  TrackedWS.prototype = OrigWS.prototype;
  Object.assign(TrackedWS, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });

  window.RTCPeerConnection = TrackedPC;
  window.WebSocket = TrackedWS;
  navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => {
    const stream = await origGUM(c);
    tracks.push(...stream.getTracks());
    made.tracks += stream.getTracks().length;
    return stream;
  };

  // Timers (pending ones: a timeout until it fires or is cleared, an interval until cleared) and
  // listeners on the page's long-lived targets (window, document, mediaDevices): what an element
  // left behind there outlives it.
  type SetTimer = (fn: TimerHandler, ms?: number, ...args: unknown[]) => number;
  type ClearTimer = (id?: number) => void;
  const orig = {
    setTimeout: window.setTimeout,
    clearTimeout: window.clearTimeout,
    setInterval: window.setInterval,
    clearInterval: window.clearInterval,
  } as unknown as {
    setTimeout: SetTimer;
    clearTimeout: ClearTimer;
    setInterval: SetTimer;
    clearInterval: ClearTimer;
  };
  let timers = new Map<number, string>();
  const note = (id: number, what: string, ms?: number): number => {
    timers.set(id, `${what} ${ms ?? 0} ms ${new Error().stack?.split('\n')[3]?.trim() ?? ''}`);
    return id;
  };
  const clearing = (clear: ClearTimer) =>
    ((id?: number) => {
      if (id !== undefined) timers.delete(id);
      clear.call(window, id);
    }) as unknown as typeof clearTimeout;
  window.setTimeout = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => {
    const id: number = orig.setTimeout.call(
      window,
      (...a: unknown[]) => {
        timers.delete(id);
        if (typeof fn === 'function') (fn as (...x: unknown[]) => void)(...a);
      },
      ms,
      ...args,
    );
    return note(id, 'timeout', ms);
  }) as unknown as typeof setTimeout;
  window.setInterval = ((fn: TimerHandler, ms?: number, ...args: unknown[]) =>
    note(orig.setInterval.call(window, fn, ms, ...args), 'interval', ms)) as unknown as typeof setInterval;
  window.clearTimeout = clearing(orig.clearTimeout);
  window.clearInterval = clearing(orig.clearInterval);

  const globalTargets: EventTarget[] = [window, document, navigator.mediaDevices];
  const origAdd = EventTarget.prototype.addEventListener;
  const origRemove = EventTarget.prototype.removeEventListener;
  let listeners = new Map<string, { target: EventTarget; type: string; fn: unknown }>();
  const listenerKey = (target: EventTarget, type: string, fn: unknown, options?: boolean | EventListenerOptions): string => {
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    let k = ids.get(fn as object);
    if (k === undefined) ids.set(fn as object, (k = ++lastId));
    return `${globalTargets.indexOf(target)} ${type} ${k} ${capture}`;
  };
  const ids = new WeakMap<object, number>();
  let lastId = 0;
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (fn && globalTargets.includes(this) && !(typeof options === 'object' && options.once))
      listeners.set(listenerKey(this, type, fn, options), { target: this, type, fn });
    return origAdd.call(this, type, fn, options);
  };
  EventTarget.prototype.removeEventListener = function (
    this: EventTarget,
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    if (fn && globalTargets.includes(this)) listeners.delete(listenerKey(this, type, fn, options));
    return origRemove.call(this, type, fn, options);
  };

  return {
    /** Forgets everything created so far. */
    reset() {
      pcs = [];
      sockets = [];
      tracks = [];
      made = { peerConnections: 0, sockets: 0, tracks: 0 };
      timers = new Map();
      listeners = new Map();
    },
    /**
     * Timers still pending and listeners still on window, document or mediaDevices, of those
     * made since install or `reset()` (with where each timer was set, for the failure message).
     */
    pending: () => ({
      timers: [...timers.values()].filter((t) => !t.includes('__web-dev-server')),
      listeners: [...listeners.values()].map((l) => `${l.type} on ${l.target.constructor.name}`),
    }),
    created: () => ({ ...made }),
    open(): LeakCounts {
      const peerConnections = pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed').length;
      const openSockets = sockets.filter((s) => s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING).length;
      const liveTracks = tracks.filter((t) => t.readyState === 'live').length;
      return { peerConnections, sockets: openSockets, tracks: liveTracks, total: peerConnections + openSockets + liveTracks };
    },
    uninstall() {
      Object.assign(window, orig);
      EventTarget.prototype.addEventListener = origAdd;
      EventTarget.prototype.removeEventListener = origRemove;
      window.RTCPeerConnection = OrigPC;
      window.WebSocket = OrigWS;
      navigator.mediaDevices.getUserMedia = origGUM;
    },
  };
}
