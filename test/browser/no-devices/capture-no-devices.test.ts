// No camera or microphone on the machine (no fake devices in this group): a granted request
// gets the browser's own NotFoundError.
import { expect } from '@open-wc/testing';
import { captureUserMedia, defaultMediaDevices } from '../../../src/core/media/capture.js';
import { RtcError } from '../../../src/core/errors.js';
import { setMediaPermissions } from '../../helpers/permissions.js';

describe('capture refusals: no devices (real browser)', () => {
  it('a granted permission with no camera gives NotFoundError', async () => {
    await setMediaPermissions('granted');
    const error = await captureUserMedia(defaultMediaDevices(), { video: true, audio: true }, window.isSecureContext).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RtcError);
    expect((error as RtcError).code).to.equal('NotFoundError');
  });
});
