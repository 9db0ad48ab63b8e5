// The error and callback matrix, part that needs real permission refusals: fake devices but no
// fake permission UI, so a denial through the DevTools protocol makes the browser itself reject
// getUserMedia with NotAllowedError. The publisher publishes to the real embedded server.
import { expect } from '@open-wc/testing';
import { ERROR_CATALOG } from '../../../src/core/errors.js';
import { setPermissions } from '../../helpers/permissions.js';
import { uniqueStreamId } from '../../helpers/ams-client.js';
import { clickRetry, expectErrorDetail, expectNoOverlay, expectOverlay, publisher, sessionOf, unmountAll } from '../../helpers/matrix.js';

describe('<rtc-publisher> with real permission refusals', () => {
  afterEach(unmountAll);

  it('NotAllowedError: camera and microphone denied; overlay with retry; granted, retry publishes', async () => {
    await setPermissions(['camera', 'microphone'], 'denied');
    const streamId = uniqueStreamId('denied');
    const { el, rec } = publisher(streamId);
    const error = await el.start().then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );
    expect(error?.code).to.equal('NotAllowedError');
    const e = await rec.error('NotAllowedError');
    expectErrorDetail(e, 'NotAllowedError', ERROR_CATALOG.NotAllowedError.category, ERROR_CATALOG.NotAllowedError.recoverable, streamId);
    expect(rec.codes, 'one failure, one event').to.deep.equal(['NotAllowedError']);
    expect(rec.all('rtc-audio-only-fallback'), 'the microphone was refused too').to.have.length(0);
    await rec.state('failed');
    await expectOverlay(el, 'NotAllowedError', true);

    await setPermissions(['camera', 'microphone'], 'granted');
    await clickRetry(el);
    await rec.next('rtc-publish-started', 10_000);
    await rec.state('live');
    expect(el.error).to.equal(null);
    await expectNoOverlay(el);
  });

  it('audio_only_fallback: microphone granted, camera denied; publishes the microphone alone', async () => {
    await setPermissions(['microphone'], 'granted');
    const streamId = uniqueStreamId('micOnly');
    const { el, rec } = publisher(streamId);
    await el.start();
    const fallback = await rec.next('rtc-audio-only-fallback');
    expect(fallback.detail).to.deep.include({ definition: 'audio_only_fallback', streamId, reason: 'NotAllowedError' });
    expect(rec.codes, 'a fallback is not an error').to.deep.equal([]);
    await rec.next('rtc-publish-started');
    const kinds = sessionOf(el)
      .pc!.getSenders()
      .map((s) => s.track?.kind);
    expect(kinds).to.deep.equal(['audio']);
    await expectNoOverlay(el);
  });
});
