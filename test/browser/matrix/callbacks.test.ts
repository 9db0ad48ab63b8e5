// Every AMS callback name the elements fire (AMS_CALLBACKS), made to happen through
// <rtc-publisher> and <rtc-player> against the real embedded server over a real socket: what the
// server really does where it can (publish, play, ICE, data, stats, pong, a stopped publisher,
// dropped sockets), its fault-injection switch for notifications it only sends in situations
// this server has no room for (rooms, subtracks, ABR, shutdown), and the browser itself for the
// SDK-side ones. Each checks the `rtc-<kebab>` event on the element: `definition` is the AMS name
// and `streamId` the element's stream.
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { AMS_CALLBACKS, rtcEventName, type AmsCallbackName } from '../../../src/events/names.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { uniqueStreamId } from '../../helpers/ams-client.js';
import { begin, clearFaults, dropConnections, fault, player, publisher, sessionOf, unmountAll, type Detail, type Recorder } from '../../helpers/matrix.js';

/** Names this file makes happen (filled as tests are declared), for the guard at the end. */
const COVERED = new Set<string>();
/** Names made to happen in another browser group, and where. */
const ELSEWHERE: Readonly<Record<string, string>> = {
  audio_only_fallback: 'test/browser/permissions/matrix-media.test.ts: microphone granted, camera denied through the DevTools protocol',
  gotSoundList: 'test/browser/elements/rtc-room.test.ts: <rtc-room> reports the audio level of every participant while joined',
};
/**
 * Reference section 4 and 3.2 callbacks the elements do not fire, each with why. Everything else
 * documented must be in AMS_CALLBACKS (checked below).
 */
const NOT_FIRED: Readonly<Record<string, string>> = {};

/** Reference section 4 (info events) and 3.2 (notification definitions), as documented. */
const DOCUMENTED_CALLBACKS = [
  'initialized',
  'closed',
  'pong',
  'ice_connection_state_changed',
  'reconnection_attempt_for_publisher',
  'reconnection_attempt_for_player',
  'newTrackAvailable',
  'newStreamAvailable',
  'data_channel_opened',
  'data_channel_closed',
  'data_received',
  'updated_stats',
  'gotSoundList',
  'available_devices',
  'browser_screen_share_supported',
  'screen_share_stopped',
  'speaking_but_muted',
  'audio_only_fallback',
  'streamInformation',
  'roomInformation',
  'trackList',
  'peerMessageCommand',
  'publish_started',
  'publish_finished',
  'play_started',
  'play_finished',
  'session_restored',
  'joined',
  'leaved',
  'joinedTheRoom',
  'leavedFromRoom',
  'bitrateMeasurement',
  'resolutionChangeInfo',
  'server_will_stop',
  'streaming_started',
  'streaming_starts_soon',
  'subtrackAdded',
  'subtrackRemoved',
  'subtrackList',
  'subtrackCount',
  'subscriberCount',
  'subscriberList',
  'broadcastObject',
  'videoTrackAssignmentList',
  'debugInfo',
] as const;

/** Declares a test that makes `name` happen. */
function covers(name: AmsCallbackName, title: string, fn: () => Promise<void>): void {
  COVERED.add(name);
  it(`${name} → ${rtcEventName(name)}: ${title}`, fn);
}

/** The `rtc-<kebab>` event of `name` on the recorder's element, checked for `definition` and `streamId`. */
async function expectCallback(rec: Recorder, name: string, streamId: string, ms = 8000, match?: (d: Detail) => boolean): Promise<Detail> {
  const e = await rec.next(rtcEventName(name), ms, match);
  expect(e.detail.definition, `${name} definition`).to.equal(name);
  expect(e.detail.streamId, `${name} streamId`).to.equal(streamId);
  expect(e.bubbles && e.composed, `${name} bubbles out of the element`).to.equal(true);
  return e.detail as Detail;
}

describe('AMS callbacks → rtc-* events (real server)', () => {
  afterEach(async () => {
    sinon.restore();
    await clearFaults();
  });

  describe('one live publisher → player pair', () => {
    const streamId = uniqueStreamId('cbpair');
    let pub: { el: RtcPublisher; rec: Recorder };
    let play: { el: RtcPlayer; rec: Recorder };

    before(async () => {
      pub = publisher(streamId, {}, true);
      await pub.el.start();
      play = player(streamId, {}, true);
      await play.el.play();
    });
    after(() => {
      pub.el.remove();
      play.el.remove();
    });

    covers('initialized', 'both sockets opened', async () => {
      await expectCallback(pub.rec, 'initialized', streamId);
      await expectCallback(play.rec, 'initialized', streamId);
    });

    covers('iceServerConfig', 'the server answers getIceServerConfig on every open', async () => {
      for (const { rec } of [pub, play]) expect((await expectCallback(rec, 'iceServerConfig', streamId)).stunServerUri).to.be.a('string');
    });

    covers('publish_started', 'publishing went live', async () => {
      await expectCallback(pub.rec, 'publish_started', streamId);
      expect(pub.el.getAttribute('state')).to.equal('live');
    });

    covers('play_started', 'playing went live', async () => {
      await expectCallback(play.rec, 'play_started', streamId);
      expect(play.el.getAttribute('state')).to.equal('live');
    });

    covers('ice_connection_state_changed', 'ICE connected on both sides', async () => {
      for (const { rec } of [pub, play])
        await expectCallback(rec, 'ice_connection_state_changed', streamId, 8000, (d) => d.state === 'connected' || d.state === 'completed');
    });

    covers('newTrackAvailable', 'the player got the audio and video tracks, with idMapping track ids', async () => {
      await expectCallback(play.rec, 'newTrackAvailable', streamId);
      const ids = play.rec.all('rtc-new-track-available').map((e) => [(e.detail.track as MediaStreamTrack).kind, e.detail.trackId]);
      expect(ids).to.have.deep.members([
        ['audio', `ARDAMSa${streamId}`],
        ['video', `ARDAMSv${streamId}`],
      ]);
    });

    covers('newStreamAvailable', 'the deprecated twin of newTrackAvailable', async () => {
      const d = await expectCallback(play.rec, 'newStreamAvailable', streamId);
      expect(d.stream).to.be.instanceOf(MediaStream);
    });

    covers('data_channel_opened', 'both data channels opened', async () => {
      await expectCallback(pub.rec, 'data_channel_opened', streamId);
      await expectCallback(play.rec, 'data_channel_opened', streamId);
    });

    covers('available_devices', 'the publisher listed the fake camera and microphones', async () => {
      const d = await expectCallback(pub.rec, 'available_devices', streamId);
      const kinds = (d.devices as MediaDeviceInfo[]).map((x) => x.kind);
      expect(kinds).to.include.members(['videoinput', 'audioinput']);
    });

    covers('browser_screen_share_supported', 'fired when the publisher connected (getDisplayMedia exists)', async () => {
      await expectCallback(pub.rec, 'browser_screen_share_supported', streamId);
      expect(play.rec.all(rtcEventName('browser_screen_share_supported')), 'a player shares nothing').to.have.length(0);
    });

    covers('data_received', 'text both ways over the real data channels', async () => {
      for (const { rec } of [pub, play]) await rec.next('rtc-data-channel-opened');
      pub.el.sendData('to the viewers');
      expect((await expectCallback(play.rec, 'data_received', streamId)).data).to.equal('to the viewers');
      play.el.sendData('to the publisher');
      expect((await expectCallback(pub.rec, 'data_received', streamId)).data).to.equal('to the publisher');
    });

    covers('updated_stats', 'every second while publishing, every 5 s while playing', async () => {
      const p = await expectCallback(pub.rec, 'updated_stats', streamId, 3000);
      expect(p.bytesSent as number).to.be.greaterThan(0);
      const v = await expectCallback(play.rec, 'updated_stats', streamId, 7000);
      expect(v.bytesReceived as number).to.be.greaterThan(0);
    });

    covers('pong', 'the server answers the 3 s keepalive ping', async () => {
      await expectCallback(pub.rec, 'pong', streamId, 4500);
      await expectCallback(play.rec, 'pong', streamId, 4500);
    });

    covers('speaking_but_muted', "the muted microphone still hears the fake device's beep; nothing once unmuted", async () => {
      expect(pub.rec.all('rtc-speaking-but-muted'), 'not while the microphone is on').to.have.length(0);
      pub.el.setMicrophoneMuted(true);
      await expectCallback(pub.rec, 'speaking_but_muted', streamId, 3000);
      pub.el.setMicrophoneMuted(false);
      const count = pub.rec.all('rtc-speaking-but-muted').length;
      // No event can be awaited for "nothing happens": listen through two beeps (500 ms apart).
      await new Promise((r) => setTimeout(r, 1200));
      expect(pub.rec.all('rtc-speaking-but-muted'), 'the meter stopped with the unmute').to.have.length(count);
    });

    covers('screen_share_stopped', 'sharing ended from the browser (the screen track ended): back to the camera', async () => {
      const { pc } = sessionOf(pub.el);
      const videoSender = pc!.getSenders().find((s) => s.track?.kind === 'video')!;
      const camera = videoSender.track!.label;
      await pub.el.shareScreen(true);
      const screen = videoSender.track!;
      expect(screen.label).to.not.equal(camera);
      // What the browser's "Stop sharing" does: the track ends and says so.
      screen.stop();
      screen.dispatchEvent(new Event('ended'));
      await expectCallback(pub.rec, 'screen_share_stopped', streamId);
      expect(videoSender.track!.label).to.equal(camera);
      expect(pub.el.getAttribute('state')).to.equal('live');
    });

    covers('resolutionChangeInfo', 'setQuality() sends forceStreamQuality; the server answers with the rendition', async () => {
      await fault({
        command: 'forceStreamQuality',
        streamId,
        action: 'after',
        reply: { command: 'notification', definition: 'resolutionChangeInfo', streamHeight: 240 },
        times: 1,
      });
      play.el.setQuality(240);
      expect((await expectCallback(play.rec, 'resolutionChangeInfo', streamId)).streamHeight).to.equal(240);
    });
  });

  describe("server notifications (fault rules: `after` the element's own publish / play)", () => {
    afterEach(unmountAll);

    /** Publisher-side notifications, sent after the server handled `publish`. */
    const ON_PUBLISH: AmsCallbackName[] = [
      'publish_finished',
      'session_restored',
      'server_will_stop',
      'joined',
      'leaved',
      'joinedTheRoom',
      'leavedFromRoom',
      'subtrackAdded',
      'subtrackRemoved',
      'subtrackList',
      'subtrackCount',
      'videoTrackAssignmentList',
      'debugInfo',
    ];
    /** Viewer-side notifications, sent after the server handled `play` (the stream is not live: the player waits). */
    const ON_PLAY: AmsCallbackName[] = [
      'bitrateMeasurement',
      'streaming_started',
      'streaming_starts_soon',
      'subscriberCount',
      'subscriberList',
      'broadcastObject',
    ];

    for (const [names, command] of [
      [ON_PUBLISH, 'publish'],
      [ON_PLAY, 'play'],
    ] as const) {
      for (const name of names) {
        covers(name, `the server sends it after ${command}; the payload comes through`, async () => {
          const streamId = uniqueStreamId(`cb_${name}`);
          await fault({ command, streamId, action: 'after', reply: { command: 'notification', definition: name, probe: `p-${name}` }, times: 1 });
          const { el, rec } = command === 'publish' ? publisher(streamId) : player(streamId);
          void begin(el).catch(() => undefined);
          const d = await expectCallback(rec, name, streamId);
          expect(d.probe).to.equal(`p-${name}`);
          expect(d.command).to.equal('notification');
        });
      }
    }
  });

  describe('server frames other than notifications', () => {
    afterEach(unmountAll);

    const FRAMES: Array<[AmsCallbackName, (streamId: string) => Record<string, unknown>]> = [
      [
        'streamInformation',
        (streamId) => ({
          command: 'streamInformation',
          streamId,
          streamInfo: [{ streamWidth: 640, streamHeight: 360, videoBitrate: 500000, audioBitrate: 32000, videoCodec: 'h264' }],
        }),
      ],
      [
        'roomInformation',
        () => ({
          command: 'roomInformation',
          streams: ['a'],
          streamList: [{ streamId: 'a', streamName: 'A', metaData: null }],
          ATTR_ROOM_NAME: 'room1',
          room: 'room1',
        }),
      ],
      ['trackList', (streamId) => ({ command: 'trackList', streamId, trackList: ['sub1', 'sub2'] })],
      ['peerMessageCommand', (streamId) => ({ command: 'peerMessageCommand', streamId, definition: 'hello', data: 'x' })],
    ];
    for (const [name, frame] of FRAMES) {
      covers(name, 'the server answers play with the frame (raw fault)', async () => {
        const streamId = uniqueStreamId(`cb_${name}`);
        const sent = frame(streamId);
        await fault({ command: 'play', streamId, action: 'raw', text: JSON.stringify(sent), times: 1 });
        const { el, rec } = player(streamId);
        void el.play().catch(() => undefined);
        const d = await expectCallback(rec, name, streamId);
        // Every field comes through, except `definition`, which names the callback (a peerMessageCommand's own
        // `definition` is lost: the elements have no peer-to-peer mode to use it).
        for (const [key, value] of Object.entries(sent)) if (key !== 'streamId' && key !== 'definition') expect(d[key], key).to.deep.equal(value);
      });
    }

    covers('stop', 'the server stops the publish; the publisher publishes again by itself', async () => {
      const streamId = uniqueStreamId('cb_stop');
      await fault({ command: 'publish', streamId, action: 'raw', text: JSON.stringify({ command: 'stop', streamId }), times: 1 });
      const { el, rec } = publisher(streamId);
      void el.start().catch(() => undefined);
      await expectCallback(rec, 'stop', streamId);
      await expectCallback(rec, 'publish_started', streamId);
      await rec.state('live');
    });
  });

  describe('the SDK side, really done', () => {
    afterEach(unmountAll);

    covers('closed', 'stop() closes the socket (code 1000)', async () => {
      const streamId = uniqueStreamId('cb_closed');
      const { el, rec } = publisher(streamId, { noVideo: true });
      await el.start();
      expect(rec.all('rtc-closed')).to.have.length(0);
      await el.stop();
      expect((await expectCallback(rec, 'closed', streamId)).code).to.equal(1000);
    });

    describe('a publisher stops while a player plays', () => {
      const streamId = uniqueStreamId('cb_end');
      let play: { el: RtcPlayer; rec: Recorder };
      before(async () => {
        const pub = publisher(streamId, {}, true);
        await pub.el.start();
        play = player(streamId, {}, true);
        await play.el.play();
        await play.rec.next('rtc-data-channel-opened');
        await pub.el.stop();
        pub.el.remove();
      });
      after(() => play.el.remove());

      covers('play_finished', 'the server ends the play', async () => {
        await expectCallback(play.rec, 'play_finished', streamId);
      });
      covers('data_channel_closed', "the player's data channel closed with the connection", async () => {
        await expectCallback(play.rec, 'data_channel_closed', streamId);
      });
      covers('waiting', 'the player waits for the stream to come back, with a status', async () => {
        await expectCallback(play.rec, 'waiting', streamId);
        await play.el.updateComplete;
        expect(play.el.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.match(/waiting/i);
      });
    });

    it('waiting also fires for a stream that was never live (no_stream_exist, retried quietly)', async () => {
      const streamId = uniqueStreamId('cb_never');
      const { el, rec } = player(streamId);
      void el.play().catch(() => undefined);
      await expectCallback(rec, 'waiting', streamId);
      expect(rec.codes).to.deep.equal(['no_stream_exist']);
    });

    describe('the server drops every socket', () => {
      const streamId = uniqueStreamId('cb_drop');
      let pub: { el: RtcPublisher; rec: Recorder };
      let play: { el: RtcPlayer; rec: Recorder };
      before(async () => {
        pub = publisher(streamId, {}, true);
        await pub.el.start();
        play = player(streamId, {}, true);
        await play.el.play();
        expect(await dropConnections()).to.be.at.least(2);
      });
      after(() => {
        pub.el.remove();
        play.el.remove();
      });

      covers('reconnection_attempt_for_publisher', 'the publisher publishes again on a new socket', async () => {
        await expectCallback(pub.rec, 'reconnection_attempt_for_publisher', streamId);
        await pub.rec.next(
          'rtc-publish-started',
          8000,
          () => true,
          pub.rec.events.findIndex((e) => e.type === 'rtc-reconnection-attempt-for-publisher'),
        );
        await pub.rec.state('live');
      });
      covers('reconnection_attempt_for_player', 'the player plays again on a new socket', async () => {
        await expectCallback(play.rec, 'reconnection_attempt_for_player', streamId);
        await play.rec.state('live', 10_000);
      });
    });

    covers('autoplay_muted', 'the browser refuses play() with sound: muted, with a tap-to-unmute button', async () => {
      const streamId = uniqueStreamId('cb_autoplay');
      const pub = publisher(streamId, { noAudio: true });
      await pub.el.start();
      // The runner allows sound without a gesture (--autoplay-policy): refuse it as a normal page would.
      const real = HTMLMediaElement.prototype.play;
      sinon.stub(HTMLMediaElement.prototype, 'play').callsFake(function (this: HTMLMediaElement) {
        return this.muted ? real.call(this) : Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
      });
      const { el, rec } = player(streamId, { muted: false, autoplay: true });
      await expectCallback(rec, 'autoplay_muted', streamId);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="unmute-button"]')).to.not.equal(null);
      expect(el.shadowRoot!.querySelector('video')!.muted).to.equal(true);
    });
  });

  describe('the table', () => {
    it('every AMS_CALLBACKS name has a test that makes it happen (here or in another browser group)', () => {
      const missing = AMS_CALLBACKS.filter((n) => !COVERED.has(n) && !(n in ELSEWHERE));
      expect(missing, 'names without a test').to.deep.equal([]);
      const unknown = [...COVERED, ...Object.keys(ELSEWHERE)].filter((n) => !(AMS_CALLBACKS as readonly string[]).includes(n));
      expect(unknown, 'tests for names not in AMS_CALLBACKS').to.deep.equal([]);
    });

    for (const name of DOCUMENTED_CALLBACKS) {
      it(`documented callback ${name} is ${name in NOT_FIRED ? 'listed as not fired, with a reason' : 'in AMS_CALLBACKS'}`, () => {
        if (name in NOT_FIRED) expect(AMS_CALLBACKS as readonly string[]).to.not.include(name);
        else expect(AMS_CALLBACKS as readonly string[]).to.include(name);
      });
    }
  });
});
