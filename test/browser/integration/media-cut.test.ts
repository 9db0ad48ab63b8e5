// Media-path loss with the socket alive: the embedded server drops every UDP datagram of a stream
// (ICE, DTLS, RTP) for a while (a `media-cut` fault) and the elements notice (nothing heard on the
// path for a second, or ICE `disconnected`), show the reconnecting state, try an ICE restart first (the publisher, on the same connection),
// and decode again once the path is back; a cut longer than the ICE-restart budget ends in a full
// new publish and play, never a stuck element.
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { clearFaults, cutMedia, player, publisher, sessionOf, unmountAll, type Recorder } from '../../helpers/matrix.js';

const video = (el: RtcPlayer): HTMLVideoElement | null | undefined => el.shadowRoot?.querySelector('video');

/** Whether `el` decoded more than 3 frames since now (counting afresh if its <video> was replaced). */
function decodesFromNow(el: RtcPlayer): () => boolean {
  const v0 = video(el);
  const n0 = v0?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  return () => {
    const v = video(el);
    return (v?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > (v === v0 ? n0 : 0) + 3;
  };
}

async function livePair(): Promise<{ streamId: string; pub: RtcPublisher; play: RtcPlayer; pubRec: Recorder; playRec: Recorder }> {
  const streamId = uniqueStreamId('cut');
  const { el: pub, rec: pubRec } = publisher(streamId);
  await pub.start();
  const { el: play, rec: playRec } = player(streamId);
  await play.play();
  await poll(decodesFromNow(play), 5000, 'frames before the cut');
  return { streamId, pub, play, pubRec, playRec };
}

/** The first `reconnecting` state `rec` saw from event `from` on (now or later). */
const reconnectingSince = (rec: Recorder, from: number): Promise<CustomEvent> => rec.next('rtc-state-change', 15_000, (d) => d.state === 'reconnecting', from);

const iceStates = (rec: Recorder): string[] => rec.all('rtc-ice-connection-state-changed').map((e) => String((e.detail as { state?: string }).state));

describe('recovery after a media-path cut (socket alive)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(90_000);
  afterEach(async () => {
    await clearFaults();
    unmountAll();
  });

  it('a 4 s cut: both show reconnecting while the path is still cut (before ICE says so), then live again on the same connections', async () => {
    const { streamId, pub, play, pubRec, playRec } = await livePair();
    const pubPc = sessionOf(pub).pc!;
    const playPc = sessionOf(play).pc!;
    const publishes = pubRec.all('rtc-publish-started').length;
    const pubFrom = pubRec.events.length;
    const playFrom = playRec.events.length;
    // One stats tick on each first: a second of silence counts on a path heard often before (a
    // path never looked at yet needs 3 s, STUN's pace).
    await Promise.all([pubRec.next('rtc-updated-stats', 5000, () => true, pubFrom), playRec.next('rtc-updated-stats', 5000, () => true, playFrom)]);
    await cutMedia(4000, streamId);
    const cutEnds = Date.now() + 4000;
    await reconnectingSince(pubRec, pubFrom);
    await reconnectingSince(playRec, playFrom);
    // Nothing heard on the path for a second is enough: Chromium's ICE says disconnected only after about 5 s.
    expect(Date.now(), 'reconnecting shown while the path is still cut').to.be.below(cutEnds);
    expect(pub.getAttribute('state')).to.equal('reconnecting');
    expect(play.getAttribute('state')).to.equal('reconnecting');

    await pubRec.state('live', 20_000);
    const again = decodesFromNow(play);
    await poll(() => play.getAttribute('state') === 'live' && again(), 20_000, 'player live and decoding again');
    expect(sessionOf(pub).pc, 'the publisher on the same connection').to.equal(pubPc);
    expect(sessionOf(play).pc, 'the player on the same connection').to.equal(playPc);
    expect(pubRec.all('rtc-publish-started').length, 'no new publish').to.equal(publishes);
  });

  it('a 10 s cut: ICE disconnected, reconnecting, the publisher restarts ICE on the same connection, both decode again', async () => {
    const { streamId, pub, play, pubRec, playRec } = await livePair();
    const pubPc = sessionOf(pub).pc!;
    const ufrag = (): string | undefined => /a=ice-ufrag:(\S+)/.exec(pubPc.localDescription?.sdp ?? '')?.[1];
    const before = ufrag();
    const plis = async (): Promise<number> => {
      let n = 0;
      (await pubPc.getStats()).forEach((r: Record<string, unknown>) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video') n += Number(r.pliCount ?? 0);
      });
      return n;
    };
    const plisBefore = await plis();
    const pubFrom = pubRec.events.length;
    const playFrom = playRec.events.length;
    await cutMedia(10_000, streamId);

    await reconnectingSince(pubRec, pubFrom);
    await reconnectingSince(playRec, playFrom);
    // Reconnecting shows first (a second of silence); ICE says disconnected later, and its loss starts the recovery.
    const attempt = await pubRec.next('rtc-reconnection-attempt-for-publisher', 10_000, () => true, pubFrom);
    expect(iceStates(pubRec)).to.include('disconnected');
    await poll(() => iceStates(playRec).includes('disconnected'), 10_000, 'the player’s ICE disconnected');
    expect(attempt.detail.iceRestart, 'the publisher tries an ICE restart first').to.equal(true);

    await pubRec.state('live', 20_000);
    const again = decodesFromNow(play);
    await poll(() => play.getAttribute('state') === 'live' && again(), 20_000, 'player decoding again').catch(async (e: Error) => {
      const st: string[] = [];
      (await sessionOf(play).pc!.getStats()).forEach(
        (r: Record<string, unknown>) =>
          r.type === 'inbound-rtp' && st.push(`${String(r.kind)} ${String(r.bytesReceived)} ${String(r.framesDecoded)} ${String(r.keyFramesDecoded)}`),
      );
      const ps: string[] = [];
      (await sessionOf(pub).pc!.getStats()).forEach(
        (r: Record<string, unknown>) => r.type === 'outbound-rtp' && ps.push(`${String(r.kind)} ${String(r.bytesSent)} pli ${String(r.pliCount)}`),
      );
      throw new Error(
        `${e.message} play ${play.getAttribute('state')} ${sessionOf(play).pc!.iceConnectionState} ${st.join(';')} | pub ${sessionOf(pub).pc!.iceConnectionState} ${ps.join(';')} v ${video(play)?.getVideoPlaybackQuality().totalVideoFrames}`,
      );
    });
    // The new player's keyframe was asked of the publisher after its restart: the server's RTCP reaches it again.
    expect(await plis(), 'keyframe requests reach the publisher after its ICE restart').to.be.above(plisBefore);
    expect(sessionOf(pub).pc, 'the publisher recovered on the same connection').to.equal(pubPc);
    expect(ufrag(), 'with new ICE credentials').to.not.equal(before);
  });

  it('a cut longer than the ICE-restart budget ends in a new publish and play, both decoding again', async () => {
    const { streamId, pub, play, pubRec } = await livePair();
    const pubPc = sessionOf(pub).pc!;
    const publishes = pubRec.all('rtc-publish-started').length;
    const from = pubRec.events.length;
    await cutMedia(20_000, streamId);

    await reconnectingSince(pubRec, from);
    // The ICE restart did not connect in time: a full new publish, on a new connection.
    await poll(() => pubRec.all('rtc-publish-started').length > publishes, 30_000, 'a new publish_started');
    expect(sessionOf(pub).pc).to.not.equal(pubPc);
    await pubRec.state('live', 10_000);
    const again = decodesFromNow(play);
    await poll(() => play.getAttribute('state') === 'live' && again(), 30_000, 'player decoding again');
  });
});
