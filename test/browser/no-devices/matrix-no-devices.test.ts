// The error matrix, part that needs a machine without camera or microphone (no fake devices in
// this group): the browser itself rejects getUserMedia with NotFoundError.
import { expect } from '@open-wc/testing';
import { ERROR_CATALOG } from '../../../src/core/errors.js';
import { setMediaPermissions } from '../../helpers/permissions.js';
import { uniqueStreamId } from '../../helpers/ams-client.js';
import { clickRetry, expectErrorDetail, expectNoOverlay, expectOverlay, publisher, unmountAll } from '../../helpers/matrix.js';

describe('<rtc-publisher> on a machine without devices', () => {
  afterEach(unmountAll);

  it('NotFoundError: overlay with retry and rtc-available-devices (empty); retry asks again; without capture it publishes', async () => {
    await setMediaPermissions('granted');
    const streamId = uniqueStreamId('nodev');
    const { el, rec } = publisher(streamId);
    void el.start().catch(() => undefined);
    const e = await rec.error('NotFoundError');
    expectErrorDetail(e, 'NotFoundError', ERROR_CATALOG.NotFoundError.category, ERROR_CATALOG.NotFoundError.recoverable, streamId);
    // As the AMS SDK does on NotFoundError: the device list, so a page can say what is missing.
    const devices = await rec.next('rtc-available-devices');
    expect(devices.detail).to.deep.include({ definition: 'available_devices', streamId, devices: [] });
    await rec.state('failed');
    await expectOverlay(el, 'NotFoundError', true);

    // The retry really asks the browser again (and is refused again: still no device).
    await clickRetry(el);
    await rec.next('rtc-error', 5000, (d) => d.code === 'NotFoundError', rec.events.indexOf(e) + 1);
    expect(rec.codes).to.deep.equal(['NotFoundError', 'NotFoundError']);
    await rec.state('failed');

    // The element is not stuck: without camera and microphone it publishes (data channel only).
    el.noVideo = el.noAudio = true;
    await el.start();
    await rec.next('rtc-publish-started');
    await expectNoOverlay(el);
  });
});
