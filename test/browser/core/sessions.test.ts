// PublishSession and PlaySession against the real embedded server over a real socket, with the
// fake camera and microphone.
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { executeServerCommand } from '@web/test-runner-commands';
import { RtcError } from '../../../src/core/errors.js';
import { PlaySession } from '../../../src/core/session/play-session.js';
import { PublishSession } from '../../../src/core/session/publish-session.js';
import type { AmsCallback, SessionState } from '../../../src/core/session/types.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';

const url = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;

const sessions: Array<PublishSession | PlaySession> = [];
const streams: MediaStream[] = [];
function track<T extends PublishSession | PlaySession>(s: T): T {
  sessions.push(s);
  return s;
}
async function camera(): Promise<MediaStream> {
  const s = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  streams.push(s);
  return s;
}
function record(s: PublishSession | PlaySession) {
  const callbacks: AmsCallback[] = [];
  const errors: RtcError[] = [];
  const states: SessionState[] = [];
  s.on('callback', (c) => callbacks.push(c));
  s.on('error', (e) => errors.push(e));
  s.on('stateChange', ({ state }) => states.push(state));
  const seen = (definition: string) => callbacks.some((c) => c.definition === definition);
  const when = (definition: string, ms = 10_000) => poll(() => callbacks.find((c) => c.definition === definition), ms, definition);
  return { callbacks, errors, states, seen, when };
}
async function framesDecoded(play: PlaySession): Promise<number> {
  const stats = await play.getStats();
  return stats.framesDecoded ?? 0;
}

afterEach(async () => {
  await executeServerCommand('rtc-server', { action: 'clear-faults' });
  for (const s of sessions.splice(0)) s.dispose();
  for (const s of streams.splice(0)) s.getTracks().forEach((t) => t.stop());
});

describe('PublishSession and PlaySession', () => {
  describe('happy path', () => {
    it('publishes and plays: live states, callbacks, frames decoded, idMapping track ids', async () => {
      const streamId = uniqueStreamId('sess');
      const pub = track(new PublishSession({ url }));
      const pubLog = record(pub);
      await pub.start({ streamId, stream: await camera(), maxBitrateKbps: 900 });
      expect(pub.state).to.equal('live');
      expect(pubLog.states).to.include.members(['connecting', 'negotiating', 'live']);
      expect(pubLog.seen('initialized')).to.equal(true);
      expect(pubLog.seen('publish_started')).to.equal(true);

      const play = track(new PlaySession({ url }));
      const playLog = record(play);
      await play.start({ streamId });
      expect(play.state).to.equal('live');
      await poll(async () => (await framesDecoded(play)) > 2, 5000, 'frames decoded');
      const trackIds = playLog.callbacks.filter((c) => c.definition === 'newTrackAvailable').map((c) => c.payload.trackId);
      expect(trackIds).to.have.members([`ARDAMSv${streamId}`, `ARDAMSa${streamId}`]);
      expect(play.stream.getVideoTracks()).to.have.length(1);
      expect(pubLog.errors).to.deep.equal([]);
      expect(playLog.errors).to.deep.equal([]);
    });

    it('sends data both ways: text and a 100 kB binary message in the SDK format', async () => {
      const streamId = uniqueStreamId('sessdata');
      const pub = track(new PublishSession({ url }));
      const pubLog = record(pub);
      await pub.start({ streamId, stream: await camera() });
      const play = track(new PlaySession({ url }));
      const playLog = record(play);
      await play.start({ streamId });
      await playLog.when('data_channel_opened');
      pub.sendData('hello <b>viewers</b>');
      const text = await playLog.when('data_received');
      expect(text.payload.data).to.equal('hello <b>viewers</b>');

      const big = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
      play.sendData(big);
      const got = await pubLog.when('data_received');
      expect(new Uint8Array(got.payload.data as ArrayBuffer)).to.deep.equal(big);
    });

    it('a player started before the publisher plays within 2 s of publish_started', async () => {
      const streamId = uniqueStreamId('early');
      const play = track(new PlaySession({ url }));
      const playLog = record(play);
      const playing = play.start({ streamId });
      await playLog.when('waiting');
      expect(playLog.errors.map((e) => e.code)).to.deep.equal(['no_stream_exist']);
      expect(play.state).to.equal('connecting');

      const pub = track(new PublishSession({ url }));
      await pub.start({ streamId, stream: await camera() });
      const liveAt = performance.now();
      await playing;
      expect(performance.now() - liveAt).to.be.below(2000);
      expect(playLog.errors.map((e) => e.code)).to.deep.equal(['no_stream_exist'], 'no_stream_exist is reported once, not per retry');
    });

    it('a player waits when the publisher stops and plays again on the same stream object', async () => {
      const streamId = uniqueStreamId('again');
      const stream = await camera();
      const pub = track(new PublishSession({ url }));
      await pub.start({ streamId, stream });
      const play = track(new PlaySession({ url }));
      const playLog = record(play);
      await play.start({ streamId });
      const remote = play.stream;
      await pub.stop();
      await playLog.when('play_finished');
      await poll(() => play.state === 'connecting', 5000, 'player waiting');
      const pub2 = track(new PublishSession({ url }));
      await pub2.start({ streamId, stream });
      await poll(() => play.state === 'live', 5000, 'player live again');
      expect(play.stream).to.equal(remote);
      await poll(async () => (await framesDecoded(play)) > 0, 5000, 'frames after replay');
    });

    it('stop() ends the socket and the peer connection', async () => {
      const streamId = uniqueStreamId('stop');
      const pub = track(new PublishSession({ url }));
      const log = record(pub);
      await pub.start({ streamId, stream: await camera() });
      await pub.stop();
      expect(pub.state).to.equal('stopped');
      await log.when('closed');
      // The id is free again on the server.
      const again = track(new PublishSession({ url }));
      await again.start({ streamId, stream: await camera() });
    });
  });

  describe('failure: server errors', () => {
    for (const definition of ['unauthorized_access', 'streamIdInUse', 'not_allowed_unregistered_streams', 'no_encoder_settings']) {
      it(`rejects start with ${definition} from the server and stays usable`, async () => {
        const streamId = uniqueStreamId('err');
        await executeServerCommand('rtc-server', {
          action: 'fault',
          rule: { command: 'publish', streamId, reply: { command: 'error', definition }, times: 1 },
        });
        const pub = track(new PublishSession({ url }));
        const log = record(pub);
        const stream = await camera();
        const err = await pub.start({ streamId, stream }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(RtcError);
        expect((err as RtcError).code).to.equal(definition);
        expect((err as RtcError).streamId).to.equal(streamId);
        expect(pub.state).to.equal('failed');
        expect(log.errors.map((e) => e.code)).to.deep.equal([definition]);
        // Retry works.
        await pub.start({ streamId, stream });
        expect(pub.state).to.equal('live');
      });
    }

    it('highResourceUsage (a busy server) does not fail the start: reported once, asked again 2-5 s later by itself, then live', async () => {
      const streamId = uniqueStreamId('busy');
      await executeServerCommand('rtc-server', {
        action: 'fault',
        rule: { command: 'publish', streamId, reply: { command: 'error', definition: 'highResourceUsage' }, times: 1 },
      });
      const pub = track(new PublishSession({ url }));
      const log = record(pub);
      await pub.start({ streamId, stream: await camera() });
      expect(pub.state).to.equal('live');
      expect(log.errors.map((e) => [e.code, e.streamId])).to.deep.equal([['highResourceUsage', streamId]]);
      expect(log.states, 'never failed').not.to.include('failed');
      expect(log.callbacks.filter((c) => c.definition === 'publish_started')).to.have.length(1);
    });

    it('a token provider that fails ends the start with unauthorized_access, and a retry asks it again', async () => {
      const streamId = uniqueStreamId('badtok');
      let calls = 0;
      const pub = track(new PublishSession({ url }));
      const log = record(pub);
      const stream = await camera();
      const token = async () => {
        if (++calls === 1) throw new Error('the backend is down');
        return '';
      };
      const err = await pub.start({ streamId, stream, token }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as RtcError).code).to.equal('unauthorized_access');
      expect(pub.state).to.equal('failed');
      expect(log.errors.map((e) => e.code)).to.deep.equal(['unauthorized_access']);
      await pub.start({ streamId, stream, token });
      expect(calls).to.equal(2);
      expect(pub.state).to.equal('live');
    });

    it('a token provider is asked on every start', async () => {
      const streamId = uniqueStreamId('tok');
      let calls = 0;
      const pub = track(new PublishSession({ url }));
      await pub.start({ streamId, stream: await camera(), token: async () => `t${++calls}` });
      expect(calls).to.equal(1);
    });
  });

  describe('failure: lost socket', () => {
    it('republishes and replays after the server drops every socket', async () => {
      const streamId = uniqueStreamId('drop');
      const pub = track(new PublishSession({ url }));
      const pubLog = record(pub);
      await pub.start({ streamId, stream: await camera() });
      const play = track(new PlaySession({ url }));
      const playLog = record(play);
      await play.start({ streamId });
      const dropped = (await executeServerCommand('rtc-server', { action: 'drop-connections' })) as number;
      expect(dropped).to.be.at.least(2);
      await pubLog.when('reconnection_attempt_for_publisher');
      await playLog.when('reconnection_attempt_for_player');
      await poll(() => pub.state === 'live' && play.state === 'live', 10_000, 'both live again');
      expect(pubLog.errors.map((e) => e.code)).to.include('WebSocketNotConnected');
      await poll(async () => (await framesDecoded(play)) > 0, 5000, 'frames after reconnect');
    });
  });

  describe('failure: ICE', () => {
    /** Makes a real connection report `failed` (Chrome takes ~30 s to get there by itself). */
    function failIce(pc: RTCPeerConnection): void {
      Object.defineProperty(pc, 'iceConnectionState', { configurable: true, get: () => 'failed' });
      pc.dispatchEvent(new Event('iceconnectionstatechange'));
      // Only the event was fake: the real state shows through again.
      delete (pc as unknown as Record<string, unknown>).iceConnectionState;
    }

    it('a publisher reports ice_failed, restarts ICE on the same connection and stays live', async () => {
      const streamId = uniqueStreamId('ice');
      const pcs: RTCPeerConnection[] = [];
      const pub = track(new PublishSession({ url, createPeerConnection: (c) => pcs[pcs.push(new RTCPeerConnection(c)) - 1]! }));
      const log = record(pub);
      await pub.start({ streamId, stream: await camera() });
      const pc = pcs[0]!;
      const restartIce = sinon.spy(pc, 'restartIce');
      const ufrag = () => /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1];
      const before = ufrag();
      failIce(pc);
      await poll(() => log.errors.find((e) => e.code === 'ice_failed'), 3000, 'ice_failed');
      expect(pub.state).to.equal('reconnecting');
      await poll(() => restartIce.called, 3000, 'restartIce');
      const restart = await log.when('reconnection_attempt_for_publisher');
      expect(restart.payload.iceRestart).to.equal(true);
      await poll(() => pc.remoteDescription && ufrag() !== before && pc.signalingState === 'stable', 5000, 'restart offer answered');
      await poll(() => pub.state === 'live', 8000, 'live again');
      expect(pcs, 'recovered by the ICE restart, not by a new publish').to.have.length(1);
      expect(log.callbacks.filter((c) => c.definition === 'publish_started')).to.have.length(1);
    });

    it('a player reports ice_failed and plays again', async () => {
      const streamId = uniqueStreamId('iceplay');
      const pub = track(new PublishSession({ url }));
      await pub.start({ streamId, stream: await camera() });
      const pcs: RTCPeerConnection[] = [];
      const play = track(new PlaySession({ url, createPeerConnection: (c) => pcs[pcs.push(new RTCPeerConnection(c)) - 1]! }));
      const log = record(play);
      await play.start({ streamId });
      failIce(pcs[0]!);
      await poll(() => log.errors.find((e) => e.code === 'ice_failed'), 3000, 'ice_failed');
      await log.when('reconnection_attempt_for_player');
      await poll(() => play.state === 'live' && pcs.length === 2, 8000, 'playing on a new connection');
      expect(pcs[0]!.signalingState).to.equal('closed');
      await poll(async () => (await framesDecoded(play)) > 0, 5000, 'frames after recovery');
    });
  });
});
