// A camera/microphone permission denied through the DevTools protocol: the browser itself
// refuses with NotAllowedError (fake devices exist in this group; no fake permission UI).
import { expect } from '@open-wc/testing';
import { captureUserMedia, defaultMediaDevices } from '../../../src/core/media/capture.js';
import { RtcError } from '../../../src/core/errors.js';
import { setMediaPermissions } from '../../helpers/permissions.js';

describe('capture refusals: permission denied (real browser)', () => {
  it('a granted permission captures the fake camera (so a later denial is the permission at work)', async () => {
    await setMediaPermissions('granted');
    const stream = await captureUserMedia(defaultMediaDevices(), { video: true, audio: true }, window.isSecureContext);
    expect(stream.getVideoTracks()).to.have.length(1);
    stream.getTracks().forEach((t) => t.stop());
  });

  it('a denied permission gives NotAllowedError', async () => {
    await setMediaPermissions('denied');
    const error = await captureUserMedia(defaultMediaDevices(), { video: true, audio: true }, window.isSecureContext).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RtcError);
    expect((error as RtcError).code).to.equal('NotAllowedError');
  });
});
