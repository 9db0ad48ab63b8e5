// The server's limits as a viewer meets them, on the real embedded server: a player over the
// app's webRTCViewerLimit gets viewerLimitReached with its overlay and plays once a viewer left
// (LimitApp: one viewer); a publisher with a JWT stream token publishes, one with a bad token
// fails with unauthorized_access and says so (JwtApp: JWT control on); while the server is
// overloaded (admission control, the fault switch), a new player is refused with
// highResourceUsage, shows it and tries again by itself, while the viewer already watching goes on;
// a new publisher and a new room the same.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { RtcPlayer } from '../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcRoom } from '../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId } from '../helpers/ams-client.js';
import { rejectionOf } from '../helpers/expect.js';
import { clickRetry, expectErrorDetail, expectNoOverlay, expectOverlay, mount, Recorder, unmountAll, ws, type StreamElement } from '../helpers/matrix.js';

const appUrl = (app: string): string => ws.replace('/LiveApp/', `/${app}/`);
const jwtOf = (streamId: string, type: 'publish' | 'play'): Promise<string> =>
  executeServerCommand('rtc-server', { action: 'jwt', app: 'JwtApp', streamId, type }) as Promise<string>;
const viewersOf = (app: string, streamId: string): Promise<number> =>
  executeServerCommand('rtc-server', { action: 'viewers', app, streamId }) as Promise<number>;
const overload = (on: boolean) => executeServerCommand('rtc-server', { action: 'fault', rule: { overload: on } });
/** How many new sessions the overload switch refused so far (the server's onLimit). */
const overloadRefusals = async (): Promise<number> =>
  ((await executeServerCommand('rtc-server', { action: 'limits' })) as Record<string, number>).overloadFault ?? 0;
const framesDecoded = async (el: RtcPlayer): Promise<number> => (await el.getStats()).framesDecoded ?? 0;

describe('server limits through the elements', () => {
  afterEach(async () => {
    unmountAll();
    await executeServerCommand('rtc-server', { action: 'clear-faults' });
  });

  it('admission control: overloaded, a new player shows highResourceUsage once and tries again by itself, the viewer watching keeps decoding; no longer overloaded, it plays', async () => {
    const streamId = uniqueStreamId('busy');
    const pub = mount<RtcPublisher>('rtc-publisher', { serverUrl: ws, streamId, noAudio: true });
    await pub.el.start();
    const watching = mount<RtcPlayer>('rtc-player', { serverUrl: ws, streamId, muted: true });
    await watching.el.play();
    await poll(async () => (await framesDecoded(watching.el)) > 0, 5000, 'the first viewer decoding');

    await overload(true);
    const refusedBefore = await overloadRefusals();
    const late = mount<RtcPlayer>('rtc-player', { serverUrl: ws, streamId, muted: true });
    const playing = late.el.play();
    expectErrorDetail(await late.rec.error('highResourceUsage'), 'highResourceUsage', 'server', true, streamId);
    // "The server is busy. Try again soon.": no retry button, the player tries again by itself.
    await expectOverlay(late.el, 'highResourceUsage', false);
    expect(late.el.getAttribute('state')).to.equal('connecting');
    // Its next try is refused too (2-5 s later), quietly; meanwhile the viewer admitted before decodes on.
    const decoded = await framesDecoded(watching.el);
    await poll(async () => (await overloadRefusals()) >= refusedBefore + 2, 10_000, 'a second try refused');
    expect(await framesDecoded(watching.el)).to.be.greaterThan(decoded);
    expect(watching.el.getAttribute('state')).to.equal('live');
    expect(await viewersOf('LiveApp', streamId)).to.equal(1);
    await expectOverlay(late.el, 'highResourceUsage', false);
    expect(late.rec.codes).to.deep.equal(['highResourceUsage']);

    await overload(false);
    await playing;
    await late.rec.state('live');
    expect(late.el.hasAttribute('error-code')).to.equal(false);
    await expectNoOverlay(late.el);
    await poll(async () => (await framesDecoded(late.el)) > 0, 5000, 'the new viewer decoding');
    expect(late.rec.codes).to.deep.equal(['highResourceUsage'], 'reported once, not per try');
  });

  it('admission control: overloaded, a new publisher and a new room show highResourceUsage once, try again by themselves, and go live once admitted', async () => {
    await overload(true);
    const refusedBefore = await overloadRefusals();
    const streamId = uniqueStreamId('busypub');
    const pub = mount<RtcPublisher>('rtc-publisher', { serverUrl: ws, streamId, noAudio: true });
    const publishing = pub.el.start();
    const room = document.createElement('rtc-room') as RtcRoom;
    Object.assign(room, { serverUrl: ws, roomId: uniqueStreamId('busyroom'), streamId: uniqueStreamId('busyme') });
    const roomRec = new Recorder(room as unknown as StreamElement);
    document.body.append(room);
    const joining = room.join();
    try {
      expectErrorDetail(await pub.rec.error('highResourceUsage'), 'highResourceUsage', 'server', true, streamId);
      await roomRec.error('highResourceUsage');
      // "The server is busy. Trying again in a few seconds.": no retry button, they try again by themselves.
      await expectOverlay(pub.el, 'highResourceUsage', false);
      expect(pub.el.getAttribute('state')).to.equal('connecting');
      expect(room.getAttribute('state')).to.equal('connecting');
      // Their next tries are refused too (2-5 s later), quietly.
      await poll(async () => (await overloadRefusals()) >= refusedBefore + 5, 10_000, 'second tries refused');
      await expectOverlay(pub.el, 'highResourceUsage', false);
      expect(pub.rec.codes).to.deep.equal(['highResourceUsage']);

      await overload(false);
      await publishing;
      await pub.rec.state('live');
      expect(pub.el.hasAttribute('error-code')).to.equal(false);
      await expectNoOverlay(pub.el);
      await joining;
      await roomRec.state('live');
      expect(room.hasAttribute('error-code')).to.equal(false);
      expect(pub.rec.codes).to.deep.equal(['highResourceUsage'], 'reported once, not per try');
      expect(roomRec.codes.filter((c) => c === 'highResourceUsage')).to.have.length.within(1, 2, 'once for its publish and once for its play at most');
    } finally {
      await room.leave();
      room.remove();
    }
  });

  it('webRTCViewerLimit: the viewer over the limit sees viewerLimitReached with a retry, and plays once a viewer left', async () => {
    const streamId = uniqueStreamId('limit');
    const serverUrl = appUrl('LimitApp');
    const pub = mount<RtcPublisher>('rtc-publisher', { serverUrl, streamId, noAudio: true });
    await pub.el.start();
    const first = mount<RtcPlayer>('rtc-player', { serverUrl, streamId, muted: true });
    await first.el.play();

    const second = mount<RtcPlayer>('rtc-player', { serverUrl, streamId, muted: true });
    const error = await rejectionOf(second.el.play());
    expect(error.code).to.equal('viewerLimitReached');
    expectErrorDetail(await second.rec.error('viewerLimitReached'), 'viewerLimitReached', 'server', true, streamId);
    await second.rec.state('failed');
    await expectOverlay(second.el, 'viewerLimitReached', true);

    await first.el.stop();
    // The first viewer's stop reaches the server on its own socket: wait until the server let it go.
    await poll(async () => (await viewersOf('LimitApp', streamId)) === 0, 5000, 'the first viewer gone');
    await clickRetry(second.el);
    await second.rec.next('rtc-play-started', 10_000);
    await second.rec.state('live');
    expect(second.el.hasAttribute('error-code')).to.equal(false);
  });

  it('publishJwtControlEnabled: a valid JWT publishes (and plays with a play JWT); a bad one fails with unauthorized_access, readably', async () => {
    const streamId = uniqueStreamId('jwt');
    const serverUrl = appUrl('JwtApp');
    const pub = mount<RtcPublisher>('rtc-publisher', { serverUrl, streamId, noAudio: true, token: await jwtOf(streamId, 'publish') });
    await pub.el.start();
    await pub.rec.next('rtc-publish-started');
    const viewer = mount<RtcPlayer>('rtc-player', { serverUrl, streamId, muted: true, token: await jwtOf(streamId, 'play') });
    await viewer.el.play();

    // A play token is no publish token, and another stream's token is not this one's.
    const other = uniqueStreamId('jwtbad');
    for (const token of [await jwtOf(other, 'play'), await jwtOf(streamId, 'publish'), 'not.a.jwt']) {
      const bad = mount<RtcPublisher>('rtc-publisher', { serverUrl, streamId: other, noAudio: true, token });
      const error = await rejectionOf(bad.el.start());
      expect(error.code).to.equal('unauthorized_access');
      expectErrorDetail(await bad.rec.error('unauthorized_access'), 'unauthorized_access', 'server', false, other);
      await bad.rec.state('failed');
      await expectOverlay(bad.el, 'unauthorized_access', false);
      bad.el.remove();
    }
  });
});
