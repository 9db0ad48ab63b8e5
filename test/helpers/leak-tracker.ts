/**
 * Counts the peer connections, WebSockets and capture tracks a page creates, and how many are
 * still open: for teardown tests. Wraps the constructors and getUserMedia; `uninstall()` puts
 * the originals back.
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

  return {
    /** Forgets everything created so far. */
    reset() {
      pcs = [];
      sockets = [];
      tracks = [];
      made = { peerConnections: 0, sockets: 0, tracks: 0 };
    },
    created: () => ({ ...made }),
    open(): LeakCounts {
      const peerConnections = pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed').length;
      const openSockets = sockets.filter((s) => s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING).length;
      const liveTracks = tracks.filter((t) => t.readyState === 'live').length;
      return { peerConnections, sockets: openSockets, tracks: liveTracks, total: peerConnections + openSockets + liveTracks };
    },
    uninstall() {
      window.RTCPeerConnection = OrigPC;
      window.WebSocket = OrigWS;
      navigator.mediaDevices.getUserMedia = origGUM;
    },
  };
}
