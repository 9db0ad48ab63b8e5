// Interoperability over WHIP and WHEP, in Chromium, with clients nobody here wrote, against the
// embedded server (another origin than the test page: every request is a CORS one): medooze's
// whip.js and whep.js (with ICE restarts by PATCH while frames flow), Eyevinn's WHIP client (trickle
// mode: OPTIONS first) played by the official AMS SDK over the WebSocket, and Eyevinn's WHEP player
// and whep.js playing what the SDK publishes over the WebSocket.
import { expect } from '@open-wc/testing';
import { WHIPClient } from 'whip-whep/whip.js';
import { WHEPClient } from 'whip-whep/whep.js';
import { createSdkPeer } from '../helpers/sdk.js';
import '../../src/define.js';
import type { RtcPublisher } from '../../src/elements/rtc-publisher/rtc-publisher.js';

const server = (window as unknown as { __RTC_SERVER__: { http: string; ws: string } }).__RTC_SERVER__;
const whip = (id: string) => `${server.http}/LiveApp/whip/${id}`;
const whep = (id: string) => `${server.http}/LiveApp/whep/${id}`;

/** Eyevinn's clients, bundled for the browser by the test-runner config. */
interface EyevinnWhip {
  ingest(stream: MediaStream): Promise<void>;
  destroy(): Promise<void>;
}
interface EyevinnPlayer {
  load(url: URL): Promise<void>;
  destroy(): void;
}
const interop = async (name: string): Promise<Record<string, new (options: unknown) => unknown>> => {
  const url = `/__interop/${name}.js`;
  return ((await import(url)) as { default: Record<string, new (options: unknown) => unknown> }).default;
};

const sleepFrame = () => new Promise((r) => setTimeout(r, 50));

/** Video frames `pc` has decoded so far. */
async function decoded(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0;
  });
  return n;
}

/** Resolves once `count()` reaches `more` above what it was; rejects after `ms`. */
async function grows(count: () => Promise<number> | number, more: number, what: string, ms = 10_000): Promise<number> {
  const start = await count();
  const deadline = Date.now() + ms;
  for (;;) {
    const n = await count();
    if (n - start >= more) return n;
    if (Date.now() > deadline) throw new Error(`${what}: ${n - start} more frames within ${ms} ms, wanted ${more}`);
    await sleepFrame();
  }
}

const videoFrames = (video: HTMLVideoElement) => () => video.getVideoPlaybackQuality().totalVideoFrames;

const ufragOf = (sdp: string | undefined) => /a=ice-ufrag:(.*)\r\n/.exec(sdp ?? '')?.[1];

describe('WHIP and WHEP clients by others against the embedded server', () => {
  const cleanup: Array<() => unknown> = [];

  /** Eyevinn's WHEP player plays `id` into a muted <video> on the page until frames grow. */
  async function eyevinnPlays(id: string): Promise<void> {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    document.body.append(video);
    cleanup.push(() => video.remove());
    const { WebRTCPlayer } = await interop('webrtc-player');
    const player = new WebRTCPlayer!({ video, type: 'whep', iceServers: [] }) as EyevinnPlayer;
    cleanup.push(() => player.destroy());
    await player.load(new URL(whep(id)));
    await grows(videoFrames(video), 5, "frames in Eyevinn's WHEP player");
  }
  afterEach(async () => {
    while (cleanup.length) {
      try {
        await cleanup.pop()!();
      } catch {
        /* already closed */
      }
    }
  });

  const camera = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    cleanup.push(() => stream.getTracks().forEach((t) => t.stop()));
    return stream;
  };

  it('medooze whip.js publishes, whep.js plays; ICE restarts by PATCH on both keep frames coming; stop frees the id', async () => {
    const id = `medooze${Date.now()}`;
    const pubPc = new RTCPeerConnection({ iceServers: [] });
    cleanup.push(() => pubPc.close());
    for (const track of (await camera()).getTracks()) pubPc.addTransceiver(track, { direction: 'sendonly' });
    const publisher = new WHIPClient();
    await publisher.publish(pubPc, whip(id));

    // The publish may still be connecting: WHEP answers 409 until it is live (a new client each try).
    let playPc!: RTCPeerConnection;
    let player!: WHEPClient;
    for (let tries = 0; ; tries++) {
      playPc = new RTCPeerConnection({ iceServers: [] });
      cleanup.push(() => playPc.close());
      playPc.addTransceiver('video', { direction: 'recvonly' });
      playPc.addTransceiver('audio', { direction: 'recvonly' });
      player = new WHEPClient();
      try {
        await player.view(playPc, whep(id));
        break;
      } catch (e) {
        playPc.close();
        if (tries > 40) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await grows(() => decoded(playPc), 10, 'first frames over WHEP');

    const playerUfrag = ufragOf(playPc.remoteDescription?.sdp);
    await player.restart();
    expect(ufragOf(playPc.remoteDescription?.sdp)).to.not.equal(playerUfrag, 'the server gave the player new credentials');
    await grows(() => decoded(playPc), 20, 'frames after the WHEP ICE restart');

    const publisherUfrag = ufragOf(pubPc.remoteDescription?.sdp);
    await publisher.restart();
    expect(ufragOf(pubPc.remoteDescription?.sdp)).to.not.equal(publisherUfrag, 'the server gave the publisher new credentials');
    await grows(() => decoded(playPc), 20, 'frames after the WHIP ICE restart');

    await player.stop();
    await publisher.stop();
    // DELETE freed the stream id: another WHIP publish of it is taken.
    const againPc = new RTCPeerConnection({ iceServers: [] });
    cleanup.push(() => againPc.close());
    againPc.addTransceiver((await camera()).getVideoTracks()[0]!, { direction: 'sendonly' });
    const again = new WHIPClient();
    await again.publish(againPc, whip(id));
    cleanup.push(() => again.stop());
  });

  it("Eyevinn's WHIP client (trickle: OPTIONS, POST, PATCH) publishes; the official SDK plays it over the WebSocket", async () => {
    const id = `eyevinn${Date.now()}`;
    const { WHIPClient: EyevinnClient } = await interop('whip-web-client');
    const client = new EyevinnClient!({ endpoint: whip(id), opts: { iceServers: [], debug: false } }) as EyevinnWhip;
    cleanup.push(() => client.destroy());
    await client.ingest(await camera());

    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    document.body.append(video);
    cleanup.push(() => video.remove());
    const sdk = await createSdkPeer(server.ws, { isPlayMode: true, remoteVideoElement: video, mediaConstraints: { video: false, audio: false } });
    cleanup.push(() => sdk.adaptor.closeWebSocket());
    for (let tries = 0; !sdk.infos.includes('play_started'); tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 300));
      if (tries > 30) throw new Error(`the SDK did not play ${id}: ${sdk.errors.join(', ')}`);
      sdk.adaptor.play(id);
      await new Promise((r) => setTimeout(r, 300));
    }
    await grows(videoFrames(video), 5, 'frames over the WebSocket');
  });

  it("the official SDK publishes over the WebSocket; Eyevinn's WHEP player and medooze whep.js play it", async () => {
    const id = `sdkpub${Date.now()}`;
    const local = document.createElement('video');
    local.muted = true;
    document.body.append(local);
    cleanup.push(() => local.remove());
    const sdk = await createSdkPeer(server.ws, { localVideoElement: local, mediaConstraints: { video: true, audio: true } });
    cleanup.push(
      () => sdk.adaptor.closeStream(),
      () => sdk.adaptor.closeWebSocket(),
    );
    sdk.adaptor.publish(id);
    const deadline = Date.now() + 10_000;
    while (!sdk.infos.includes('publish_started')) {
      if (Date.now() > deadline) throw new Error(`no publish_started: ${sdk.errors.join(', ')}`);
      await sleepFrame();
    }

    await eyevinnPlays(id);

    const pc = new RTCPeerConnection({ iceServers: [] });
    cleanup.push(() => pc.close());
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const medooze = new WHEPClient();
    cleanup.push(() => medooze.stop());
    await medooze.view(pc, whep(id));
    await grows(() => decoded(pc), 5, 'frames in whep.js');
  });

  it("our <rtc-publisher> publishes over WHIP; Eyevinn's WHEP player and medooze whep.js play it", async () => {
    const id = `ourwhip${Date.now()}`;
    const publisher = document.createElement('rtc-publisher') as RtcPublisher;
    publisher.setAttribute('server-url', `${server.http}/LiveApp`);
    publisher.setAttribute('stream-id', id);
    document.body.append(publisher);
    cleanup.push(() => publisher.remove());
    await publisher.start();

    // Live for the server once our media arrives (WHEP answers 409 until then): a new whep.js client each try.
    let pc!: RTCPeerConnection;
    for (let tries = 0; ; tries++) {
      pc = new RTCPeerConnection({ iceServers: [] });
      cleanup.push(() => pc.close());
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const medooze = new WHEPClient();
      try {
        await medooze.view(pc, whep(id));
        cleanup.push(() => medooze.stop());
        break;
      } catch (e) {
        pc.close();
        if (tries > 40) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await grows(() => decoded(pc), 5, 'frames in whep.js');

    // whep.js played it: the stream is live for the server (WHEP answers 409 until our media arrives).
    await eyevinnPlays(id);
  });
});
