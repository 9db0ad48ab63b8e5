// <rtc-publisher> and <rtc-player> end to end: the real embedded server over a real socket,
// the fake camera and microphone, and the official AMS SDK on the other side.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { AmsClient, poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { installLeakTracker } from '../../helpers/leak-tracker.js';
import { createSdkPeer } from '../../helpers/sdk.js';
import type { RtcStats } from '../../../src/core/stats.js';

const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;

const videoOf = (el: HTMLElement): HTMLVideoElement => {
  const v = el.shadowRoot?.querySelector('video');
  if (!v) throw new Error(`${el.localName} renders no <video>`);
  return v;
};
const decodedFrames = (v: HTMLVideoElement): number => v.getVideoPlaybackQuality().totalVideoFrames;

describe('elements against the embedded server', () => {
  it('publisher → player on one page: rtc-publish-started, rtc-play-started, frames decoded', async () => {
    const streamId = uniqueStreamId('el');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId}></rtc-publisher>`);
    const started = oneEvent(pub, 'rtc-publish-started');
    void pub.start();
    const e = (await started) as CustomEvent;
    expect(e.detail.streamId).to.equal(streamId);
    expect(e.detail.definition).to.equal('publish_started');
    expect(pub.getAttribute('state')).to.equal('live');

    const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} muted></rtc-player>`);
    const playing = oneEvent(player, 'rtc-play-started');
    void player.play();
    expect(((await playing) as CustomEvent).detail.streamId).to.equal(streamId);
    await poll(() => decodedFrames(videoOf(player)) > 3, 5000, 'frames decoded by <rtc-player>');
    expect(player.getAttribute('state')).to.equal('live');
  });

  it('first stats: the player counts its bitrate from the connection start and reports no outgoing figures; the publisher no incoming ones', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const streamId = uniqueStreamId('stats');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId}></rtc-publisher>`);
    const pubStats = oneEvent(pub, 'rtc-updated-stats');
    await pub.start();
    const sent = ((await pubStats) as CustomEvent<RtcStats>).detail;
    expect(sent.bitrateOutKbps, 'the first publisher sample has a rate').to.be.greaterThan(0);
    expect(sent.bytesSent).to.be.greaterThan(0);
    for (const key of ['bitrateInKbps', 'bytesReceived', 'framesDecoded']) expect(key in sent, `publisher ${key}`).to.equal(false);

    const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} muted></rtc-player>`);
    const playStats = oneEvent(player, 'rtc-updated-stats');
    const t0 = Date.now();
    await player.play();
    const got = ((await playStats) as CustomEvent<RtcStats>).detail;
    expect(got.bytesReceived).to.be.greaterThan(50_000);
    // Over the time since the connection started (after t0, so at least this average).
    const average = (got.bytesReceived! * 8) / (got.timestamp - t0);
    expect(got.bitrateInKbps, `${got.bytesReceived} bytes in ${got.timestamp - t0} ms`).to.be.within(average * 0.99, average * 1.5);
    for (const key of ['bitrateOutKbps', 'bytesSent', 'availableOutgoingBitrateKbps', 'framesEncoded', 'qualityLimitationReason'])
      expect(key in got, `player ${key}`).to.equal(false);
  });

  it('a player started before the publisher plays within 2 s of rtc-publish-started', async () => {
    const streamId = uniqueStreamId('early');
    const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} autoplay muted></rtc-player>`);
    await oneEvent(player, 'rtc-error'); // no_stream_exist: the stream is not live yet
    expect(player.getAttribute('state')).to.not.equal('live');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId} auto-publish></rtc-publisher>`);
    await oneEvent(pub, 'rtc-publish-started');
    const liveAt = performance.now();
    if (player.getAttribute('state') !== 'live') await oneEvent(player, 'rtc-play-started');
    expect(performance.now() - liveAt).to.be.below(2000);
  });

  it('our publisher → the official SDK as player', async () => {
    const streamId = uniqueStreamId('tosdk');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId} auto-publish></rtc-publisher>`);
    await oneEvent(pub, 'rtc-publish-started');
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    document.body.append(video);
    const { adaptor, infos } = await createSdkPeer(ws, { isPlayMode: true, remoteVideoElement: video, mediaConstraints: { video: false, audio: false } });
    try {
      adaptor.play(streamId);
      await poll(() => infos.includes('play_started'), 10_000, 'SDK play_started');
      await poll(() => decodedFrames(video) > 3, 5000, 'SDK player frames');
    } finally {
      adaptor.closeWebSocket();
      video.remove();
    }
  });

  it('the official SDK publishing → our player', async () => {
    const streamId = uniqueStreamId('fromsdk');
    const local = document.createElement('video');
    local.muted = true;
    document.body.append(local);
    const { adaptor, infos } = await createSdkPeer(ws, { localVideoElement: local, mediaConstraints: { video: true, audio: true } });
    try {
      adaptor.publish(streamId);
      await poll(() => infos.includes('publish_started'), 10_000, 'SDK publish_started');
      const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} autoplay muted></rtc-player>`);
      if (player.getAttribute('state') !== 'live') await oneEvent(player, 'rtc-play-started');
      await poll(() => decodedFrames(videoOf(player)) > 3, 5000, 'our player frames from the SDK');
    } finally {
      adaptor.closeStream();
      adaptor.closeWebSocket();
      local.remove();
    }
  });

  it('data sent by the publisher reaches the player as rtc-data-received, and back', async () => {
    const streamId = uniqueStreamId('eldata');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId} auto-publish></rtc-publisher>`);
    await oneEvent(pub, 'rtc-publish-started');
    const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} autoplay muted></rtc-player>`);
    await oneEvent(player, 'rtc-data-channel-opened');
    const received = oneEvent(player, 'rtc-data-received');
    pub.sendData('hello');
    expect(((await received) as CustomEvent).detail.data).to.equal('hello');
    const back = oneEvent(pub, 'rtc-data-received');
    player.sendData('hi back');
    expect(((await back) as CustomEvent).detail.data).to.equal('hi back');
  });

  it('a page holding a waiting <rtc-player autoplay> still fires its load event', async () => {
    // Chromium never fires `load` while a <video> holds a MediaStream without tracks.
    const frame = document.createElement('iframe');
    const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    frame.srcdoc =
      `<script type="module" src="/src/define.ts"></script>` +
      `<rtc-player server-url="${ws}" stream-id="${uniqueStreamId('noload')}" autoplay muted></rtc-player>`;
    document.body.append(frame);
    try {
      await poll(() => frame.contentDocument?.querySelector('rtc-player')?.getAttribute('state') === 'connecting', 5000, 'player waiting in the frame');
      await Promise.race([loaded, new Promise((_, reject) => setTimeout(() => reject(new Error('no load event within 5 s')), 5000))]);
      expect(frame.contentDocument!.readyState).to.equal('complete');
    } finally {
      frame.remove();
    }
  });

  it('50 add/remove cycles of both elements leave no open peer connection, live track or socket', async () => {
    const tracker = installLeakTracker();
    try {
      const streamId = uniqueStreamId('cycle');
      // One steady publisher for the players to find (its own resources are counted out).
      const steady = await AmsClient.connect();
      await steady.publish(streamId, await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
      tracker.reset();
      const host = document.createElement('div');
      document.body.append(host);
      for (let i = 0; i < 50; i++) {
        const pub = document.createElement('rtc-publisher');
        pub.setAttribute('server-url', ws);
        pub.setAttribute('stream-id', `${streamId}x${i}`);
        pub.setAttribute('auto-publish', '');
        const player = document.createElement('rtc-player');
        player.setAttribute('server-url', ws);
        player.setAttribute('stream-id', streamId);
        player.setAttribute('autoplay', '');
        player.setAttribute('muted', '');
        host.append(pub, player);
        // Remove at different moments: right away, while negotiating, once live.
        if (i % 3 === 1) await new Promise((r) => setTimeout(r, 20));
        if (i % 3 === 2) await Promise.all([oneEvent(pub, 'rtc-publish-started'), oneEvent(player, 'rtc-play-started')]);
        pub.remove();
        player.remove();
      }
      host.remove();
      await poll(() => tracker.open().total === 0, 10_000, `everything released: ${JSON.stringify(tracker.open())}`);
      expect(tracker.created().peerConnections).to.be.greaterThan(10);
      steady.close();
    } finally {
      tracker.uninstall();
    }
  });
});
