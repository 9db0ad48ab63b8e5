// Diagnostic: phase times of every RTCPeerConnection and WebSocket on the page.
type Marks = Record<string, number>;
const now = () => performance.now();
export const pcs: Marks[] = [];
export const sockets: Marks[] = [];
const Native = window.RTCPeerConnection;
class Traced extends Native {
  marks: Marks = { create: now() };
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this.marks);
    const m = this.marks;
    this.addEventListener('iceconnectionstatechange', () => (m[`ice_${this.iceConnectionState}`] ??= now()));
    this.addEventListener('connectionstatechange', () => (m[`pc_${this.connectionState}`] ??= now()));
    this.addEventListener('track', () => (m.track ??= now()));
    this.addEventListener('icecandidate', (e) => e.candidate && (m.localCandidate ??= now()));
    const poll = setInterval(async () => {
      if (this.connectionState === 'closed') return clearInterval(poll);
      const stats = await this.getStats().catch(() => undefined);
      stats?.forEach((r: { type: string; kind?: string; packetsReceived?: number; framesDecoded?: number; keyFramesDecoded?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          if (r.packetsReceived) m.firstRtp ??= now();
          if (r.framesDecoded) m.decoded ??= now();
        }
      });
      if (m.decoded) clearInterval(poll);
    }, 5);
    // Each method, timed on this instance: when it was called (srd) or resolved (the others).
    const time = (name: 'setRemoteDescription' | 'createAnswer' | 'setLocalDescription', mark: string, onCall = false): void => {
      const fn = this[name].bind(this) as (...a: unknown[]) => Promise<unknown>;
      (this as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
        if (onCall) m[mark] ??= now();
        return fn(...a).then((r) => ((m[`${mark}${onCall ? 'Done' : ''}`] ??= now()), r));
      };
    };
    time('setRemoteDescription', 'srd', true);
    time('createAnswer', 'answerMade');
    time('setLocalDescription', 'sldDone');
  }
}
window.RTCPeerConnection = Traced as unknown as typeof RTCPeerConnection;
const NativeWs = window.WebSocket;
class TracedWs extends NativeWs {
  marks: Marks = { create: now() };
  constructor(url: string | URL, p?: string | string[]) {
    super(url, p);
    sockets.push(this.marks);
    this.addEventListener('open', () => (this.marks.open = now()));
    this.addEventListener('message', (e) => {
      const f = JSON.parse(String(e.data)) as { command: string; type?: string; definition?: string };
      const k = `in_${f.command}${f.type ? `_${f.type}` : ''}${f.definition ? `_${f.definition}` : ''}`;
      this.marks[k] ??= now();
    });
  }
  override send(data: string) {
    try {
      const f = JSON.parse(data) as { command: string; type?: string };
      this.marks[`out_${f.command}${f.type ? `_${f.type}` : ''}`] ??= now();
    } catch {
      /* binary */
    }
    super.send(data);
  }
}
window.WebSocket = TracedWs as unknown as typeof WebSocket;
