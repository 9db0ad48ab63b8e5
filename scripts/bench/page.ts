// The bench page: measures play-request-to-first-decoded-frame against the embedded server,
// for a plain RTCPeerConnection client speaking the protocol and for the official AMS SDK.
// Bundled by scripts/bench.mjs with esbuild; never part of the product. The elements are not in it:
// the page loads the built dist/rtc-elements.js first, by its own script tag, as a site owner's
// page does (the lazy chunks fetched as there), so what is measured is what ships.
import { AmsClient, fakeMedia, inboundStat, poll, uniqueStreamId, waitForEvent } from '../../test/helpers/ams-client.js';
import { createSdkPeer } from '../../test/helpers/sdk.js';
import { WebRTCAdaptor } from '@antmedia/webrtc_adaptor';
import type { RtcRoom } from '../../src/elements/rtc-room/rtc-room.js';

const RUNS = 7;
/** Viewers rarely join within a second of each other; back-to-back joins also meet Chrome's
 * 300 ms keyframe-request throttle, which would measure the throttle, not the path. */
const GAP_MS = 1000;
const gap = () => new Promise((r) => setTimeout(r, GAP_MS));

/** Runs `once` RUNS times, a gap apart; each run returns the milliseconds it measured. */
async function repeat(once: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await once());
    await gap();
  }
  return times;
}

const ourClient = (streamId: string): Promise<number[]> =>
  repeat(async () => {
    const client = await AmsClient.connect();
    const { session, started } = client.play(streamId);
    const ms = await session.firstFrameMs(10_000);
    await started;
    client.close();
    return ms;
  });

const firstFrame = (video: HTMLVideoElement) => poll(() => (video.getVideoPlaybackQuality().totalVideoFrames > 0 ? true : undefined), 10_000, 'first frame', 5);

/** A muted, autoplaying <video> on the page, for the SDK to play into. */
function sdkVideo(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  document.body.append(video);
  return video;
}

/** When the latest <rtc-player> was attached (`performance.now()`), for the timeline. */
let lastAttach = 0;
/** The timeline's run under way: when its player's <video> first fired each of these events. */
let videoMarks: Record<string, number> | undefined;
const VIDEO_EVENTS = ['loadstart', 'loadedmetadata', 'canplay', 'playing'];
const watchVideo = (video: HTMLVideoElement): void => {
  const marks = videoMarks;
  if (marks) for (const type of VIDEO_EVENTS) video.addEventListener(type, () => (marks[`video_${type}`] ??= performance.now()), { once: true });
};

/** <rtc-player autoplay>: from attaching the element (socket not yet open) to its first frame; `url` an AMS WebSocket or (WHEP) the app's http:// URL. */
async function elementPlayerOnce(url: string, streamId: string): Promise<number> {
  const el = document.createElement('rtc-player');
  el.setAttribute('server-url', url);
  el.setAttribute('stream-id', streamId);
  el.setAttribute('autoplay', '');
  el.setAttribute('muted', '');
  const t0 = performance.now();
  lastAttach = t0;
  document.body.append(el);
  await el.updateComplete;
  const video = el.shadowRoot!.querySelector('video')!;
  watchVideo(video);
  await firstFrame(video);
  const ms = performance.now() - t0;
  el.remove();
  return ms;
}
const elementPlayer = (url: string, streamId: string): Promise<number[]> => repeat(() => elementPlayerOnce(url, streamId));

/** The SDK player: from constructing the adaptor (socket not yet open) to its first frame. */
const sdkFromScratch = (ws: string, streamId: string): Promise<number[]> =>
  repeat(async () => {
    const video = sdkVideo();
    const t0 = performance.now();
    const adaptor = new WebRTCAdaptor({
      websocket_url: ws,
      isPlayMode: true,
      remoteVideoElement: video,
      mediaConstraints: { video: false, audio: false },
      peerconnection_config: { iceServers: [] },
      callback: (info: string) => info === 'initialized' && adaptor.play(streamId),
      callbackError: () => undefined,
    });
    await firstFrame(video);
    const ms = performance.now() - t0;
    adaptor.closeWebSocket();
    video.remove();
    return ms;
  });

/** The SDK player with its socket already open: from play() to its first frame. */
async function sdkPlayerOnce(ws: string, streamId: string): Promise<number> {
  const video = sdkVideo();
  watchVideo(video);
  const { adaptor } = await createSdkPeer(ws, { isPlayMode: true, remoteVideoElement: video, mediaConstraints: { video: false, audio: false } });
  const t0 = performance.now();
  adaptor.play(streamId);
  await firstFrame(video);
  const ms = performance.now() - t0;
  adaptor.closeWebSocket();
  video.remove();
  return ms;
}
const sdkPlayer = (ws: string, streamId: string): Promise<number[]> => repeat(() => sdkPlayerOnce(ws, streamId));

const decoded = (room: RtcRoom, id: string): number =>
  room.shadowRoot!.querySelector<HTMLVideoElement>(`.tile[data-participant="${id}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0;

/**
 * `n` <rtc-room> participants join one room, one after the other; resolves once every one
 * decodes every other, with the last joiner's times from join(): own publish live, room play
 * started, first frame of each other participant (ms).
 */
async function roomUp(ws: string, n: number): Promise<{ live: number; played: number; frames: number; ids: string[] }> {
  const roomId = uniqueStreamId('benchroom');
  const ids = Array.from({ length: n }, (_, i) => uniqueStreamId(`r${i}`));
  const rooms: RtcRoom[] = [];
  let times = { live: 0, played: 0, frames: 0 };
  for (const [i, id] of ids.entries()) {
    const el = document.createElement('rtc-room');
    el.setAttribute('server-url', ws);
    el.setAttribute('room-id', roomId);
    el.setAttribute('stream-id', id);
    el.setAttribute('no-controls', '');
    document.body.append(el);
    rooms.push(el);
    const t0 = performance.now();
    const playing = new Promise((r) => el.addEventListener('rtc-play-started', r, { once: true }));
    await el.join();
    const live = performance.now() - t0;
    await playing;
    const played = performance.now() - t0;
    const others = ids.slice(0, i);
    await poll(() => (others.every((o) => decoded(el, o) > 0) ? true : undefined), 20_000, 'room frames', 5);
    times = { live, played, frames: performance.now() - t0 };
  }
  await poll(() => (rooms.every((r, i) => ids.every((o, j) => i === j || decoded(r, o) > 0)) ? true : undefined), 20_000, 'everyone decodes everyone', 20);
  (window as unknown as { __rooms: RtcRoom[] }).__rooms = rooms;
  return { ...times, ids };
}

(window as unknown as { roomUp: (n: number) => Promise<unknown> }).roomUp = (n) =>
  roomUp((window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws, n);
/** Mutes every participant's microphone but the first's (one speaks, the others listen). */
(window as unknown as { roomMuteListeners: () => void }).roomMuteListeners = () => {
  for (const r of (window as unknown as { __rooms: RtcRoom[] }).__rooms.slice(1)) r.setMicrophoneMuted(true);
};
(window as unknown as { roomDown: () => Promise<void> }).roomDown = async () => {
  const rooms = (window as unknown as { __rooms: RtcRoom[] }).__rooms;
  await Promise.all(rooms.map((r) => r.leave()));
  for (const r of rooms) r.remove();
};

/**
 * <rtc-player> from attaching (socket included) and the SDK player from play() (socket open),
 * alternating on one stream, `runs` of each: the first-frame comparison of issue 15.
 */
async function firstFrameRace(ws: string, streamId: string, runs: number): Promise<{ element: number[]; sdk: number[] }> {
  const element: number[] = [];
  const sdk: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other's teardown.
    const pair = [() => elementPlayerOnce(ws, streamId).then((ms) => element.push(ms)), () => sdkPlayerOnce(ws, streamId).then((ms) => sdk.push(ms))];
    if (i % 2) pair.reverse();
    for (const run of pair) {
      await run();
      await gap();
    }
  }
  return { element, sdk };
}

(window as unknown as { runFirstFrame: (runs: number) => Promise<unknown> }).runFirstFrame = async (runs) => {
  const { ws } = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__;
  const publisher = await AmsClient.connect();
  const streamId = uniqueStreamId('bench');
  await publisher.publish(streamId, await fakeMedia());
  const result = await firstFrameRace(ws, streamId, runs);
  publisher.close();
  return result;
};

/** Diagnostic (`--timeline`): the phases of both players, from each one's start, per run. */
(window as unknown as { runTimeline: (runs: number) => Promise<unknown> }).runTimeline = async (runs) => {
  const { pcs, sockets } = await import('./timeline.js');
  const { ws } = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__;
  const publisher = await AmsClient.connect();
  const streamId = uniqueStreamId('bench');
  await publisher.publish(streamId, await fakeMedia());
  const out: { who: string; total: number; marks: Record<string, number> }[] = [];
  for (let i = 0; i < runs; i++) {
    for (const who of ['element', 'sdk']) {
      const [p0, s0] = [pcs.length, sockets.length];
      const seen: Record<string, number> = (videoMarks = {});
      const total = who === 'element' ? await elementPlayerOnce(ws, streamId) : await sdkPlayerOnce(ws, streamId);
      const pc = pcs[p0] ?? {};
      const sock = sockets[sockets.length - 1] ?? {};
      const t0 = who === 'element' ? sock.create : sock.out_play;
      const marks: Record<string, number> = {};
      for (const [k, v] of Object.entries({
        ...(who === 'element'
          ? sock
          : {
              out_play: sock.out_play,
              in_takeConfiguration_offer: sock.in_takeConfiguration_offer,
              out_takeConfiguration_answer: sock.out_takeConfiguration_answer,
              in_notification_play_started: sock.in_notification_play_started,
            }),
        ...pc,
        ...seen,
      })) {
        if (v >= t0) marks[k] = v - t0;
      }
      void s0;
      // The element's socket is made this long after it was attached (its first render comes first).
      if (who === 'element') marks.attached = lastAttach - t0;
      out.push({ who, total, marks });
      await gap();
    }
  }
  videoMarks = undefined;
  publisher.close();
  return out;
};

/**
 * Publish to live, one run, a new publisher of each side (camera and socket included):
 * <rtc-publisher> from attaching it and start(), the SDK from constructing its adaptor (publish()
 * once it is `initialized`), to `publish_started`; and to the first frame a viewer decodes, the
 * same viewer for both (a plain protocol client, its socket open, playing at `publish_started`).
 * Milliseconds.
 */
async function publishLiveOnce(ws: string, who: 'ours' | 'sdk'): Promise<{ live: number; viewer: number }> {
  const streamId = uniqueStreamId(`live${who}`);
  const viewer = await AmsClient.connect();
  const cleanup: (() => unknown)[] = [() => viewer.close()];
  try {
    const t0 = performance.now();
    if (who === 'ours') {
      const pub = document.createElement('rtc-publisher');
      pub.setAttribute('server-url', ws);
      pub.setAttribute('stream-id', streamId);
      const started = waitForEvent(pub, 'rtc-publish-started', 10_000);
      cleanup.push(() => pub.stop().then(() => pub.remove()));
      document.body.append(pub);
      void pub.start();
      await started;
    } else {
      const video = sdkVideo();
      const sdk = await createSdkPeer(ws, { localVideoElement: video, mediaConstraints: { video: true, audio: true } });
      cleanup.push(() => {
        sdk.adaptor.stop(streamId);
        sdk.adaptor.closeStream();
        sdk.adaptor.closeWebSocket();
        video.remove();
      });
      sdk.adaptor.publish(streamId);
      await poll(() => sdk.infos.includes('publish_started') || undefined, 10_000, 'SDK publish_started', 5);
    }
    const live = performance.now() - t0;
    const { session } = viewer.play(streamId);
    await session.firstFrameMs(10_000).catch(async (e: Error) => {
      throw new Error(
        `${e.message} (${await inboundStat(session.pc, 'video', 'packetsReceived')} video packets, viewer ${session.pc.connectionState}, got ${viewer.frames.map((f) => f.definition ?? f.command).join(' ')})`,
      );
    });
    return { live, viewer: performance.now() - t0 };
  } finally {
    for (const c of cleanup) await c();
  }
}

/** `runs` of publish to live for each side (after a warm-up), alternating which goes first; a failed run is a line of `failures`. */
(window as unknown as { runPublishLive: (runs: number) => Promise<unknown> }).runPublishLive = async (runs) => {
  const { ws } = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__;
  const out = { ours: { live: [] as number[], viewer: [] as number[] }, sdk: { live: [] as number[], viewer: [] as number[] }, failures: [] as string[] };
  // One untimed run of each first: the page's first camera and connections are slower than any after.
  for (const who of ['ours', 'sdk'] as const) await publishLiveOnce(ws, who).catch(() => undefined);
  for (let i = 0; i < runs; i++) {
    const order: ('ours' | 'sdk')[] = i % 2 ? ['sdk', 'ours'] : ['ours', 'sdk'];
    for (const who of order) {
      try {
        const r = await publishLiveOnce(ws, who);
        out[who].live.push(r.live);
        out[who].viewer.push(r.viewer);
      } catch (e) {
        out.failures.push(`${who}, run ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
      await gap();
    }
  }
  return out;
};

(window as unknown as { runBench: () => Promise<unknown> }).runBench = async () => {
  const { ws, http } = (window as unknown as { __RTC_SERVER__: { ws: string; http: string } }).__RTC_SERVER__;
  const publisher = await AmsClient.connect();
  const streamId = uniqueStreamId('bench');
  await publisher.publish(streamId, await fakeMedia());
  const result = {
    protocolClient: await ourClient(streamId),
    officialSdk: await sdkPlayer(ws, streamId),
    element: await elementPlayer(ws, streamId),
    sdkFromScratch: await sdkFromScratch(ws, streamId),
    // The same element and stream over WHEP (POST offer → 201 answer).
    elementWhep: await elementPlayer(`${http}/LiveApp`, streamId),
  };
  publisher.close();
  return result;
};

// ------------------------------------------------------------------ recovery after outages
// A <rtc-publisher> and <rtc-player> on one stream, the official SDK publishing and playing
// another; scripts/bench.mjs takes the server down (or cuts its media) and reads, from the frame
// times kept here, when each player decoded again.

const frameCount = (v: HTMLVideoElement | null | undefined): number => v?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
const recovery = {
  videos: {} as Record<PairSide, () => HTMLVideoElement | null | undefined>,
  /** Epoch times at which each player's decoded-frame count changed (polled every 5 ms). */
  changes: { ours: [] as number[], sdk: [] as number[] },
  /** Epoch times at which each publisher was live again (ours: rtc-publish-started; the SDK: its publish_started callback, polled). */
  live: { ours: [] as number[], sdk: [] as number[] },
  /** The SDK publisher's callbacks so far (its publish_started entries are counted). */
  sdkInfos: [] as string[],
};

/** The player and publisher pairs (ours, the SDK's), and the room (its tiles watched apart: `tileChanges`). */
type PairSide = 'ours' | 'sdk';
type Side = PairSide | 'room';
const sides: Side[] = [];
/** The room side: per remote tile (`room index:participant`), the epoch times its decoded-frame count changed. */
const tileChanges = new Map<string, number[]>();

/**
 * Brings up one side (or both) in this page. scripts/bench.mjs gives each side a page of its own
 * (its own renderer process): Chromium delays a process's new WebSockets once many of them failed,
 * so one side's failed reconnects would slow the other's.
 */
(window as unknown as { recoveryUp: (which?: Side | 'both') => Promise<void> }).recoveryUp = async (which = 'both') => {
  const { ws } = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__;
  if (which === 'room') return roomRecoveryUp(ws);
  if (which !== 'sdk') await oursUp(ws);
  if (which !== 'ours') await sdkUp(ws);
  const last = { ours: 0, sdk: 0 };
  let sdkStarts = recovery.sdkInfos.filter((i) => i === 'publish_started').length;
  setInterval(() => {
    for (const k of sides) {
      if (k === 'room') continue;
      const n = frameCount(recovery.videos[k]());
      if (n !== last[k] && n > 0) recovery.changes[k].push(Date.now());
      last[k] = n;
    }
    const starts = recovery.sdkInfos.filter((i) => i === 'publish_started').length;
    if (starts > sdkStarts) recovery.live.sdk.push(Date.now());
    sdkStarts = starts;
  }, 5);
};

/** A 3-person <rtc-room>, every remote tile's decoded frames watched (6 tiles). */
async function roomRecoveryUp(ws: string): Promise<void> {
  const { ids } = await roomUp(ws, 3);
  const rooms = (window as unknown as { __rooms: RtcRoom[] }).__rooms;
  const last = new Map<string, number>();
  setInterval(() => {
    rooms.forEach((room, i) =>
      ids.forEach((id, j) => {
        if (i === j) return;
        const key = `${i}:${j}`;
        const n = decoded(room, id);
        if (n !== last.get(key) && n > 0) tileChanges.set(key, [...(tileChanges.get(key) ?? []), Date.now()]);
        last.set(key, n);
      }),
    );
  }, 5);
  sides.push('room');
}

async function oursUp(ws: string): Promise<void> {
  const ours = uniqueStreamId('recover');
  const pub = document.createElement('rtc-publisher');
  pub.setAttribute('server-url', ws);
  pub.setAttribute('stream-id', ours);
  document.body.append(pub);
  await pub.start();
  pub.addEventListener('rtc-publish-started', () => recovery.live.ours.push(Date.now()));
  const play = document.createElement('rtc-player');
  play.setAttribute('server-url', ws);
  play.setAttribute('stream-id', ours);
  play.setAttribute('muted', '');
  document.body.append(play);
  await play.play();
  recovery.videos.ours = () => play.shadowRoot?.querySelector('video');
  await firstFrame(recovery.videos.ours()!);
  sides.push('ours');
}

async function sdkUp(ws: string): Promise<void> {
  const theirs = uniqueStreamId('sdkrecover');
  const localVideo = sdkVideo();
  const sdkPub = await createSdkPeer(ws, { localVideoElement: localVideo, mediaConstraints: { video: true, audio: true } });
  sdkPub.adaptor.publish(theirs);
  await poll(() => (sdkPub.infos.includes('publish_started') ? true : undefined), 10_000, 'SDK publish_started', 20);
  recovery.sdkInfos = sdkPub.infos;
  const remote = sdkVideo();
  const sdkPlay = await createSdkPeer(ws, { isPlayMode: true, remoteVideoElement: remote, mediaConstraints: { video: false, audio: false } });
  sdkPlay.adaptor.play(theirs);
  recovery.videos.sdk = () => remote;
  await firstFrame(remote);
  sides.push('sdk');
}

/** Milliseconds from `since` (epoch) to the next decoded frame of each player in this page (up to 60 s). */
/**
 * Milliseconds from `since` (epoch) to the next decoded frame of each player in this page (up to
 * 60 s), and under `live` to each publisher's being live again (a publisher not live again by the
 * time its player decodes, plus 5 s, is left out).
 */
(
  window as unknown as {
    recoveredAfter: (since: number) => Promise<Partial<Record<Side, number>> & { live: Partial<Record<Side, number>>; tiles?: number[] }>;
  }
).recoveredAfter = async (since) => {
  // The room: when its last remote tile decoded again (all six).
  const tileAfter = () => {
    const firsts = [...tileChanges.values()].map((ts) => ts.find((t) => t >= since));
    return firsts.length === 6 && firsts.every((t) => t !== undefined) ? Math.max(...(firsts as number[])) : undefined;
  };
  const after = (k: Side) => (k === 'room' ? tileAfter() : recovery.changes[k].find((t) => t >= since));
  const liveAfter = (k: Side) => (k === 'room' ? undefined : recovery.live[k].find((t) => t >= since));
  await poll(() => (sides.every((k) => after(k) !== undefined) ? true : undefined), 60_000, 'the players decoding again', 20);
  const publishers = sides.filter((k) => k !== 'room');
  await poll(() => (publishers.every((k) => liveAfter(k) !== undefined) ? true : undefined), 5_000, 'the publishers live again', 20).catch(() => undefined);
  // Decoding steadily again before the next trial.
  await new Promise((r) => setTimeout(r, 1500));
  const live = Object.fromEntries(sides.flatMap((k) => (liveAfter(k) === undefined ? [] : [[k, liveAfter(k)! - since]])));
  // The room: each remote tile's first decoded frame too.
  const tiles = sides.includes('room') ? [...tileChanges.values()].map((ts) => ts.find((t) => t >= since)! - since) : undefined;
  return { ...Object.fromEntries(sides.map((k) => [k, after(k)! - since])), live, tiles };
};
