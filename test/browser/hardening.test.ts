// The server's limits as a viewer meets them, on the real embedded server: a player over the
// app's webRTCViewerLimit gets viewerLimitReached with its overlay and plays once a viewer left
// (LimitApp: one viewer); a publisher with a JWT stream token publishes, one with a bad token
// fails with unauthorized_access and says so (JwtApp: JWT control on).
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { RtcPlayer } from '../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../src/elements/rtc-publisher/rtc-publisher.js';
import { poll, uniqueStreamId } from '../helpers/ams-client.js';
import { rejectionOf } from '../helpers/expect.js';
import { clickRetry, expectErrorDetail, expectOverlay, mount, unmountAll, ws } from '../helpers/matrix.js';

const appUrl = (app: string): string => ws.replace('/LiveApp/', `/${app}/`);
const jwtOf = (streamId: string, type: 'publish' | 'play'): Promise<string> =>
  executeServerCommand('rtc-server', { action: 'jwt', app: 'JwtApp', streamId, type }) as Promise<string>;
const viewersOf = (app: string, streamId: string): Promise<number> =>
  executeServerCommand('rtc-server', { action: 'viewers', app, streamId }) as Promise<number>;

describe('server limits through the elements', () => {
  afterEach(() => unmountAll());

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
