/**
 * A tiny test-only AMS client: one WebSocket, plain RTCPeerConnections, and the wire protocol
 * exactly as the official SDK speaks it (publish → start → offer → answer, play → server
 * offer with idMapping → answer, takeCandidate both ways with a numeric `label`).
 */

export type Frame = Record<string, unknown> & { command: string };

export interface ServerAddresses {
  http: string;
  ws: string;
}

export const serverAddresses = (): ServerAddresses => (window as unknown as { __RTC_SERVER__: ServerAddresses }).__RTC_SERVER__;

let counter = 0;
/** A stream id unique to this page load. */
export const uniqueStreamId = (prefix = 'stream'): string => `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`;

interface Waiter {
  match: (f: Frame) => boolean;
  resolve: (f: Frame) => void;
}

/** Polls `fn` until it returns a value other than undefined/false, or rejects at the deadline. */
export async function poll<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, intervalMs = 20): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sum of a numeric field over the inbound-rtp stats of one kind. */
export async function inboundStat(pc: RTCPeerConnection, kind: 'audio' | 'video', field: string): Promise<number> {
  const report = await pc.getStats();
  let sum = 0;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp' && s.kind === kind && typeof s[field] === 'number') sum += s[field] as number;
  });
  return sum;
}

export async function outboundStat(pc: RTCPeerConnection, kind: 'audio' | 'video', field: string): Promise<number> {
  const report = await pc.getStats();
  let sum = 0;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'outbound-rtp' && s.kind === kind && typeof s[field] === 'number') sum += s[field] as number;
  });
  return sum;
}

export function waitForEvent<T extends Event>(target: EventTarget, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
    target.addEventListener(
      type,
      (e) => {
        clearTimeout(timer);
        resolve(e as T);
      },
      { once: true },
    );
  });
}

export function waitForOpen(channel: RTCDataChannel, timeoutMs = 5000): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return waitForEvent(channel, 'open', timeoutMs).then(() => undefined);
}

abstract class Session {
  readonly pc: RTCPeerConnection;
  private remoteSet = false;
  private queued: RTCIceCandidateInit[] = [];

  constructor(
    protected readonly client: AmsClient,
    readonly streamId: string,
  ) {
    this.pc = new RTCPeerConnection({ iceServers: [] });
    this.pc.addEventListener('icecandidate', (e) => {
      const c = e.candidate;
      if (!c || !c.candidate) return;
      const protocol = c.candidate.split(' ')[2]?.toLowerCase();
      if (protocol !== 'udp' && protocol !== 'tcp') return;
      client.send({ command: 'takeCandidate', streamId, label: c.sdpMLineIndex ?? 0, id: c.sdpMid ?? '0', candidate: c.candidate });
    });
  }

  /** `takeCandidate` from the server: the SDK builds the candidate from `label` + `candidate`. */
  async remoteCandidate(f: Frame): Promise<void> {
    if (typeof f.label !== 'number') throw new Error(`takeCandidate label is not a number: ${JSON.stringify(f.label)}`);
    const init: RTCIceCandidateInit = { sdpMLineIndex: f.label, candidate: String(f.candidate) };
    if (!this.remoteSet) this.queued.push(init);
    else await this.pc.addIceCandidate(init).catch(() => undefined);
  }

  protected async remoteDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(desc);
    this.remoteSet = true;
    const queued = this.queued;
    this.queued = [];
    for (const c of queued) await this.pc.addIceCandidate(c).catch(() => undefined);
  }

  abstract onConfiguration(f: Frame): Promise<void>;

  stop(): void {
    this.client.send({ command: 'stop', streamId: this.streamId });
    this.pc.close();
    this.client.sessions.delete(this.streamId);
  }
}

export class PublishSession extends Session {
  readonly channel: RTCDataChannel;

  constructor(client: AmsClient, streamId: string, stream: MediaStream) {
    super(client, streamId);
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
    this.channel = this.pc.createDataChannel(streamId, { ordered: true });
    this.channel.binaryType = 'arraybuffer';
  }

  async start(): Promise<void> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.client.send({ command: 'takeConfiguration', streamId: this.streamId, type: 'offer', sdp: offer.sdp });
  }

  async onConfiguration(f: Frame): Promise<void> {
    if (f.type !== 'answer') throw new Error(`publisher got ${String(f.type)}`);
    await this.remoteDescription({ type: 'answer', sdp: String(f.sdp) });
  }
}

export class PlaySession extends Session {
  /** performance.now() when `play` was sent. */
  readonly requestedAt = performance.now();
  idMapping: Record<string, string> = {};
  offerSdp = '';
  readonly tracks: MediaStreamTrack[] = [];
  /** `trackId` from idMapping per received track, as the SDK reports it in `newTrackAvailable`. */
  readonly trackIds: string[] = [];
  readonly streams: MediaStream[] = [];
  readonly channel: Promise<RTCDataChannel>;
  /** Offers answered so far (more than one: the server renegotiated, e.g. a room changed). */
  offers = 0;
  /** performance.now() when the latest offer arrived. */
  lastOfferAt = 0;

  constructor(client: AmsClient, streamId: string) {
    super(client, streamId);
    this.pc.addEventListener('track', (e) => {
      this.tracks.push(e.track);
      this.trackIds.push(this.idMapping[e.transceiver.mid ?? ''] ?? '');
      for (const s of e.streams) if (!this.streams.includes(s)) this.streams.push(s);
    });
    this.channel = new Promise((resolve) => {
      this.pc.addEventListener('datachannel', (e) => {
        e.channel.binaryType = 'arraybuffer';
        resolve(e.channel);
      });
    });
  }

  async onConfiguration(f: Frame): Promise<void> {
    if (f.type !== 'offer') throw new Error(`player got ${String(f.type)}`);
    if (!f.idMapping || typeof f.idMapping !== 'object') throw new Error('play offer without idMapping');
    // A later offer on the same play is a renegotiation: answered the same way, its idMapping
    // replaces the previous one.
    this.lastOfferAt = performance.now();
    this.idMapping = f.idMapping as Record<string, string>;
    this.offerSdp = String(f.sdp);
    await this.remoteDescription({ type: 'offer', sdp: this.offerSdp });
    const answer = await this.pc.createAnswer();
    // The SDK asks for stereo Opus in its play answers.
    answer.sdp = answer.sdp?.replace('useinbandfec=1', 'useinbandfec=1; stereo=1');
    await this.pc.setLocalDescription(answer);
    this.client.send({ command: 'takeConfiguration', streamId: this.streamId, type: 'answer', sdp: answer.sdp });
    this.offers++;
  }

  /** Milliseconds from the `play` request until the first decoded video frame. */
  async firstFrameMs(timeoutMs: number): Promise<number> {
    await poll(async () => (await inboundStat(this.pc, 'video', 'framesDecoded')) > 0, timeoutMs, `first decoded frame of ${this.streamId}`, 10);
    return performance.now() - this.requestedAt;
  }
}

export class AmsClient {
  readonly frames: Frame[] = [];
  readonly sessions = new Map<string, Session>();
  private waiters: Waiter[] = [];
  readonly errors: unknown[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const f = JSON.parse(String(e.data)) as Frame;
      this.frames.push(f);
      this.dispatch(f).catch((err: unknown) => this.errors.push(err));
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(f)) return true;
        w.resolve(f);
        return false;
      });
    });
  }

  static async connect(url = serverAddresses().ws): Promise<AmsClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new AmsClient(ws);
  }

  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Resolves with the first frame (already received or future) matching `match`. */
  waitFor(match: (f: Frame) => boolean, timeoutMs: number, what: string): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.frames.map((x) => x.definition ?? x.command))}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.waiters.push(waiter);
    });
  }

  notification(definition: string, streamId: string, timeoutMs = 10_000): Promise<Frame> {
    return this.waitFor(
      (f) => (f.command === 'notification' && f.definition === definition && f.streamId === streamId) || (f.command === 'error' && f.streamId === streamId),
      timeoutMs,
      `${definition} for ${streamId}`,
    ).then((f) => {
      if (f.command === 'error') throw new Error(`server error ${String(f.definition)} for ${streamId}`);
      return f;
    });
  }

  private async dispatch(f: Frame): Promise<void> {
    const session = typeof f.streamId === 'string' ? this.sessions.get(f.streamId) : undefined;
    if (!session) return;
    if (f.command === 'start' && session instanceof PublishSession) await session.start();
    else if (f.command === 'takeConfiguration') await session.onConfiguration(f);
    else if (f.command === 'takeCandidate') await session.remoteCandidate(f);
  }

  /** Publishes `stream`; resolves once the server sent `publish_started`. */
  /** `videoCodec: 'H264'` offers H.264 only (the server prefers VP8 otherwise). */
  async publish(
    streamId: string,
    stream: MediaStream,
    options: { mainTrack?: string; videoCodec?: 'H264'; streamName?: string } = {},
  ): Promise<PublishSession> {
    const session = new PublishSession(this, streamId, stream);
    if (options.videoCodec) {
      const codecs = RTCRtpSender.getCapabilities('video')!.codecs.filter(
        (c) => c.mimeType === `video/${options.videoCodec}` && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''),
      );
      for (const t of session.pc.getTransceivers()) if (t.sender.track?.kind === 'video') t.setCodecPreferences(codecs);
    }
    this.sessions.set(streamId, session);
    this.send({
      command: 'publish',
      streamId,
      token: '',
      subscriberId: '',
      subscriberCode: '',
      streamName: options.streamName ?? streamId,
      mainTrack: options.mainTrack ?? '',
      video: stream.getVideoTracks().length > 0,
      audio: stream.getAudioTracks().length > 0,
      metaData: '',
      role: '',
    });
    await this.notification('publish_started', streamId);
    return session;
  }

  /** Sends `play`; returns at once (await `started` for `play_started`). */
  play(streamId: string, options: { userPublishId?: string; trackList?: string[] } = {}): { session: PlaySession; started: Promise<Frame> } {
    const session = new PlaySession(this, streamId);
    this.sessions.set(streamId, session);
    this.send({
      command: 'play',
      streamId,
      token: '',
      room: '',
      trackList: options.trackList ?? [],
      subscriberId: '',
      subscriberCode: '',
      viewerInfo: '',
      role: '',
      userPublishId: options.userPublishId ?? '',
    });
    return { session, started: this.notification('play_started', streamId) };
  }

  close(): void {
    for (const s of [...this.sessions.values()]) s.pc.close();
    this.sessions.clear();
    this.ws.close();
  }
}

/** The SDK's binary framing: an 8-byte `[token, totalLength]` header, then `token + ≤16000 bytes` chunks. */
export function sdkBinaryFrames(data: Uint8Array, token: number): ArrayBuffer[] {
  const frames: ArrayBuffer[] = [new Int32Array([token, data.byteLength]).buffer];
  const CHUNK = 16000;
  for (let offset = 0; offset < data.byteLength; offset += CHUNK) {
    const end = Math.min(offset + CHUNK, data.byteLength);
    const frame = new Uint8Array(4 + end - offset);
    new DataView(frame.buffer).setInt32(0, token, true);
    frame.set(data.subarray(offset, end), 4);
    frames.push(frame.buffer);
  }
  return frames;
}

export function fakeMedia(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ video: true, audio: true });
}
