/**
 * Test helpers for WHIP and WHEP against the embedded server: werift peers as the clients (a
 * publisher that sends synthetic VP8 and Opus RTP, a player that counts what it receives), raw
 * HTTP requests, and SDP fragments as a client writes them.
 */
import { MediaStream, MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, useVP8 } from 'werift';
import { clientPc } from './werift-client.js';
import type { RunningServer } from '../../packages/server/src/index.js';
import type { AmsClient } from './server.js';

export const PC_CONFIG = {
  iceServers: [],
  iceAdditionalHostAddresses: ['127.0.0.1'],
  bundlePolicy: 'max-bundle' as const,
  codecs: { video: [useVP8()], audio: [useOPUS()] },
};

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** One HTTP request to the server: `path` below its URL (or a full URL), the body as given. */
export async function request(
  server: RunningServer,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  const url = /^https?:/.test(path) ? path : `${server.url}${path}`;
  const res = await fetch(url, { method, headers: init.headers ?? {}, body: init.body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The problem details of an error answer. */
export const problem = (a: HttpAnswer): { status: number; detail: string; code?: string } => JSON.parse(a.text);

/** Drops the candidates of a session description (a trickle client's first offer). */
export const withoutCandidates = (sdp: string): string =>
  sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .join('\r\n');

/** The candidate lines of a session description. */
export const candidatesOf = (sdp: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));

/** A client's fragment: its credentials and candidates under the first m-section (as RFC 8840 writes one). */
export function clientFragment(sdp: string, candidates = candidatesOf(sdp), endOfCandidates = true): string {
  const lines = sdp.split('\r\n');
  const ufrag = lines.find((l) => l.startsWith('a=ice-ufrag:'))!;
  const pwd = lines.find((l) => l.startsWith('a=ice-pwd:'))!;
  const m = lines.find((l) => l.startsWith('m='))!;
  const mid = lines.find((l) => l.startsWith('a=mid:'))!;
  return [ufrag, pwd, m, mid, ...candidates, ...(endOfCandidates ? ['a=end-of-candidates'] : []), ''].join('\r\n');
}

/** The server's fragment applied to the client's remote description (an ICE restart's answer), as a client does. */
export function applyServerFragment(remote: string, fragment: string): string {
  const ufrag = /a=ice-ufrag:(.*)\r\n/.exec(fragment)![1]!;
  const pwd = /a=ice-pwd:(.*)\r\n/.exec(fragment)![1]!;
  const candidates = candidatesOf(fragment);
  let first = true;
  return remote
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .flatMap((l) => {
      if (l.startsWith('a=ice-ufrag:')) return [`a=ice-ufrag:${ufrag}`];
      if (l.startsWith('a=ice-pwd:')) return [`a=ice-pwd:${pwd}`];
      if (l.startsWith('m=') && first) {
        first = false;
        return [l, ...candidates];
      }
      return [l];
    })
    .join('\r\n');
}

/** A VP8 payload: descriptor (start of partition 0), then a keyframe (with a 320x240 header) or an inter frame. */
function vp8Payload(key: boolean): Buffer {
  return key ? Buffer.from([0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0xaa, 0xbb]) : Buffer.from([0x10, 0x01, 0x00, 0x00, 0xcc, 0xdd]);
}

/**
 * Synthetic RTP on `video` (VP8, a keyframe every 10 frames) and `audio` (Opus-sized noise), 50 packets a second each, until `stop()`;
 * `skipVideo(n)` makes the next video packet come n sequence numbers later (n packets lost on the way);
 * `keyframeEvery`: 0 for a keyframe only first and after `keyframeNext()`.
 * `videoBytes` pads each video payload to that size (1250 bytes: 0.5 Mbit/s).
 */
export function sendSyntheticMedia(
  tracks: { video?: MediaStreamTrack; audio?: MediaStreamTrack },
  videoBytes = 0,
  keyframeEvery = 10,
): { stop(): void; skipVideo(packets: number): void; keyframeNext(): void } {
  let n = 0;
  let keyNext = true;
  /** Video packets never sent (a cut path): the sequence numbers and timestamps go on past them. */
  let skipped = 0;
  const timer = setInterval(() => {
    n++;
    if (tracks.video) {
      const v = n + skipped;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: v & 0xffff, timestamp: (v * 1800) >>> 0, ssrc: 0x1111, marker: true });
      const payload = vp8Payload(keyNext || (keyframeEvery > 0 && n % keyframeEvery === 1));
      keyNext = false;
      tracks.video.writeRtp(new RtpPacket(header, payload.length < videoBytes ? Buffer.concat([payload, Buffer.alloc(videoBytes - payload.length)]) : payload));
    }
    if (tracks.audio) {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: n & 0xffff, timestamp: (n * 960) >>> 0, ssrc: 0x2222 });
      tracks.audio.writeRtp(new RtpPacket(header, Buffer.alloc(40, n & 0xff)));
    }
  }, 20);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    skipVideo: (packets) => {
      skipped += packets;
    },
    keyframeNext: () => {
      keyNext = true;
    },
  };
}

/** A werift publisher with a video and (unless `audio: false`) an audio track; its offer is made (candidates gathered). */
export async function publisherPeer(options: { audio?: boolean } = {}) {
  const pc = clientPc(PC_CONFIG);
  const stream = new MediaStream();
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = options.audio === false ? undefined : new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly', streams: [stream] });
  if (audio) pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, video, audio, offer: pc.localDescription!.sdp };
}

/** Counts the RTP packets a werift peer receives, per kind (each also to `onRtp`); `atLeast` resolves on the packet that makes `n` more. */
export function countRtp(pc: RTCPeerConnection, onRtp?: (kind: 'video' | 'audio', rtp: RtpPacket) => void) {
  const waiters = new Set<{ kind: 'video' | 'audio'; target: number; resolve: () => void }>();
  const counts = {
    video: 0,
    audio: 0,
    atLeast(kind: 'video' | 'audio', n: number, ms = 10_000): Promise<void> {
      const target = counts[kind] + n;
      return new Promise((resolve, reject) => {
        const waiter = {
          kind,
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${kind}: ${counts[kind] - target + n} packets within ${ms} ms, wanted ${n}`));
        }, ms);
        waiters.add(waiter);
      });
    },
  };
  pc.onTrack.subscribe((track) => {
    const kind = track.kind as 'video' | 'audio';
    track.onReceiveRtp.subscribe((rtp) => {
      counts[kind]++;
      onRtp?.(kind, rtp);
      for (const w of [...waiters]) {
        if (w.kind === kind && counts[kind] >= w.target) {
          waiters.delete(w);
          w.resolve();
        }
      }
    });
  });
  return counts;
}

/** A werift player offering to receive video and audio; its offer is made (candidates gathered). */
export async function playerPeer() {
  const pc = clientPc(PC_CONFIG);
  const received = countRtp(pc);
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, received, offer: pc.localDescription!.sdp };
}

/** POSTs `offer` to a WHIP or WHEP endpoint. */
export const postOffer = (server: RunningServer, path: string, offer: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
  request(server, 'POST', path, { headers: { 'content-type': 'application/sdp', ...headers }, body: offer });

/** Resolves once `pc` is connected; rejects after `ms`. */
export function connected(pc: RTCPeerConnection, ms = 10_000): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${ms} ms (${pc.connectionState})`)), ms);
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Polls `check` every 20 ms until it returns true; rejects after `ms` with `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Publishes `streamId` over the AMS WebSocket `ws` from a werift peer sending synthetic VP8 and (unless `audio: false`) Opus,
 * up to `publish_started`; `videoBytes` and `keyframeEvery` as in sendSyntheticMedia; `publish`: more fields of the publish command (`mainTrack`); `media.stop()` ends the packets.
 */
export async function wsPublishMedia(
  ws: AmsClient,
  streamId: string,
  options: { audio?: boolean; videoBytes?: number; keyframeEvery?: number; publish?: Record<string, unknown> } = {},
) {
  const pc = clientPc(PC_CONFIG);
  const stream = new MediaStream();
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = options.audio === false ? undefined : new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly', streams: [stream] });
  if (audio) pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  await ws.request({ command: 'publish', streamId, video: true, audio: Boolean(audio), ...options.publish }, { command: 'start', streamId });
  await pc.setLocalDescription(await pc.createOffer());
  const answer = ws.next({ command: 'takeConfiguration', streamId, type: 'answer' });
  ws.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp: pc.localDescription!.sdp });
  await pc.setRemoteDescription({ type: 'answer', sdp: (await answer).sdp as string });
  const media = sendSyntheticMedia({ video, audio }, options.videoBytes, options.keyframeEvery);
  await ws.next({ command: 'notification', definition: 'publish_started', streamId }, 10_000);
  return { pc, media };
}

/** Plays `streamId` over the AMS WebSocket `ws` from a werift peer (the server offers), up to `play_started`; `received` counts its packets (each also to `onRtp`). */
export async function wsPlayMedia(ws: AmsClient, streamId: string, onRtp?: (kind: 'video' | 'audio', rtp: RtpPacket) => void) {
  const pc = clientPc(PC_CONFIG);
  const received = countRtp(pc, onRtp);
  const offer = await ws.request({ command: 'play', streamId }, { command: 'takeConfiguration', streamId, type: 'offer' });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp as string });
  await pc.setLocalDescription(await pc.createAnswer());
  ws.send({ command: 'takeConfiguration', streamId, type: 'answer', sdp: pc.localDescription!.sdp });
  await ws.next({ command: 'notification', definition: 'play_started', streamId }, 10_000);
  return { pc, received };
}
