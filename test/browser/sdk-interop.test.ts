// Interoperability: the official AMS JavaScript SDK (@antmedia/webrtc_adaptor), unchanged but
// for `iceServers: []`, publishes to the embedded server and plays from it.
import { expect } from '@open-wc/testing';
import { WebRTCAdaptor } from '@antmedia/webrtc_adaptor';

interface Adaptor {
  publish(streamId: string): void;
  play(streamId: string): void;
  stop(streamId: string): void;
  closeStream(): void;
  closeWebSocket(): void;
}

const server = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__;

/** Creates an adaptor and resolves once its socket is `initialized`; records every callback. */
function createAdaptor(options: Record<string, unknown>) {
  const infos: Array<{ info: string; obj: unknown }> = [];
  const errors: Array<{ error: string; message: unknown }> = [];
  const listeners: Array<() => void> = [];
  const record = () => listeners.forEach((l) => l());
  let adaptor!: Adaptor;
  const ready = new Promise<void>((resolve, reject) => {
    adaptor = new WebRTCAdaptor({
      websocket_url: server.ws,
      peerconnection_config: { iceServers: [] },
      debug: false,
      ...options,
      callback: (info: string, obj: unknown) => {
        infos.push({ info, obj });
        if (info === 'initialized') resolve();
        record();
      },
      callbackError: (error: string, message: unknown) => {
        errors.push({ error, message });
        if (error === 'WebSocketNotConnected') reject(new Error('socket failed'));
        record();
      },
    }) as Adaptor;
  });
  /** Resolves when a callback named `info` has fired. */
  const when = (info: string, ms = 10_000) =>
    new Promise<unknown>((resolve, reject) => {
      const check = () => {
        const hit = infos.find((i) => i.info === info);
        if (hit) {
          clearTimeout(timer);
          resolve(hit.obj);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`no ${info} within ${ms} ms; errors: ${JSON.stringify(errors.map((e) => e.error))}`)), ms);
      if (!check()) listeners.push(() => void check());
    });
  return { adaptor, ready, infos, errors, when };
}

async function framesDecoded(video: HTMLVideoElement, atLeast: number, ms = 10_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const q = video.getVideoPlaybackQuality?.();
    const n = q ? q.totalVideoFrames : 0;
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`only ${n} frames decoded within ${ms} ms`);
    await new Promise((r) => requestAnimationFrame(r));
  }
}

describe('official AMS SDK against the embedded server', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    while (cleanup.length) {
      try {
        cleanup.pop()!();
      } catch {
        /* already closed */
      }
    }
  });

  it('publishes with WebRTCAdaptor and plays with WebRTCAdaptor, frames decoded', async () => {
    const streamId = `sdk${Date.now()}`;
    const localVideo = document.createElement('video');
    localVideo.muted = true;
    const remoteVideo = document.createElement('video');
    remoteVideo.muted = true;
    remoteVideo.autoplay = true;
    document.body.append(localVideo, remoteVideo);
    cleanup.push(
      () => localVideo.remove(),
      () => remoteVideo.remove(),
    );

    const pub = createAdaptor({ localVideoElement: localVideo, mediaConstraints: { video: true, audio: true } });
    cleanup.push(
      () => pub.adaptor.closeStream(),
      () => pub.adaptor.closeWebSocket(),
    );
    await pub.ready;
    pub.adaptor.publish(streamId);
    const started = (await pub.when('publish_started')) as { streamId: string };
    expect(started.streamId).to.equal(streamId);

    const play = createAdaptor({ isPlayMode: true, remoteVideoElement: remoteVideo, mediaConstraints: { video: false, audio: false } });
    cleanup.push(() => play.adaptor.closeWebSocket());
    await play.ready;
    play.adaptor.play(streamId);
    const playing = (await play.when('play_started')) as { streamId: string };
    expect(playing.streamId).to.equal(streamId);
    expect(await framesDecoded(remoteVideo, 5)).to.be.at.least(5);

    pub.adaptor.stop(streamId);
    await pub.when('publish_finished');
    await play.when('play_finished');
    expect(pub.errors.map((e) => e.error)).to.deep.equal([]);
    expect(play.errors.map((e) => e.error)).to.deep.equal([]);
  });
});
