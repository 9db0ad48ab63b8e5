import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { DEVICE_IN_USE_TEXT } from '../../../src/core/errors.js';
import {
  captureScreen,
  captureUserMedia,
  defaultMediaDevices,
  listDevices,
  stopStream,
  watchDevices,
  type MediaDevicesLike,
} from '../../../src/core/media/capture.js';
import { createBlackVideoTrack } from '../../../src/core/media/black-frames.js';
import { rejectionOf } from '../../helpers/expect.js';

/** Waits for `check` with a bounded deadline. */
async function poll(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A MediaDevicesLike whose capture calls reject with `error`. */
function rejecting(error: unknown): MediaDevicesLike {
  return {
    // callsFake, not rejects(): sinon turns a rejected string into an Error named after it.
    getUserMedia: sinon.stub().callsFake(() => Promise.reject(error)),
    getDisplayMedia: sinon.stub().callsFake(() => Promise.reject(error)),
    enumerateDevices: sinon.stub().resolves([]),
  };
}

const device = (kind: MediaDeviceKind, deviceId: string): MediaDeviceInfo =>
  ({ kind, deviceId, groupId: 'g', label: deviceId, toJSON: () => ({}) }) as MediaDeviceInfo;

/** A MediaDevicesLike that is an EventTarget, listing `list()` on each call. */
class StubDevices extends EventTarget implements MediaDevicesLike {
  constructor(public list: () => MediaDeviceInfo[]) {
    super();
  }
  getUserMedia(): Promise<MediaStream> {
    return Promise.reject(new DOMException('no', 'NotFoundError'));
  }
  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return Promise.resolve(this.list());
  }
}

describe('capture', () => {
  const streams: MediaStream[] = [];
  afterEach(() => {
    sinon.restore();
    for (const s of streams.splice(0)) stopStream(s);
  });

  describe('happy path (fake camera and microphone)', () => {
    it('defaultMediaDevices() is navigator.mediaDevices', () => {
      expect(defaultMediaDevices()).to.equal(navigator.mediaDevices);
    });

    it('captures the fake camera and microphone', async () => {
      const stream = await captureUserMedia(defaultMediaDevices(), { video: true, audio: true }, window.isSecureContext);
      streams.push(stream);
      expect(stream.getVideoTracks()).to.have.length(1);
      expect(stream.getAudioTracks()).to.have.length(1);
      expect(stream.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    });

    it('passes track constraints through', async () => {
      const stream = await captureUserMedia(defaultMediaDevices(), { video: { width: { exact: 320 }, height: { exact: 240 } }, audio: false }, true);
      streams.push(stream);
      expect(stream.getAudioTracks()).to.have.length(0);
      const settings = stream.getVideoTracks()[0]!.getSettings();
      expect([settings.width, settings.height]).to.deep.equal([320, 240]);
    });

    it('stopStream ends every track and accepts null', async () => {
      const stream = await captureUserMedia(defaultMediaDevices(), { video: true, audio: true }, true);
      streams.push(stream);
      stopStream(stream);
      expect(stream.getTracks().map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
      stopStream(null);
      stopStream(undefined);
    });

    it('captures the screen (fake UI picks one)', async () => {
      const stream = await captureScreen(defaultMediaDevices());
      streams.push(stream);
      expect(stream.getVideoTracks()).to.have.length(1);
      expect(stream.getVideoTracks()[0]!.readyState).to.equal('live');
    });

    it('lists the fake devices, inputs only', async () => {
      const list = await listDevices(defaultMediaDevices());
      expect(list.length).to.be.greaterThan(0);
      expect(list.some((d) => d.kind === 'videoinput')).to.equal(true);
      expect(list.every((d) => d.kind === 'audioinput' || d.kind === 'videoinput')).to.equal(true);
    });
  });

  describe('failure: real browser rejection', () => {
    it('an impossible width gives OverconstrainedError naming the constraint', async () => {
      const error = await rejectionOf(captureUserMedia(defaultMediaDevices(), { video: { width: { exact: 9999 } }, audio: false }, true));
      expect(error.code).to.equal('OverconstrainedError');
      expect(error.category).to.equal('media');
      expect(error.message).to.contain('width');
      expect((error.cause as DOMException).name).to.equal('OverconstrainedError');
    });

    it('asking for nothing gives TypeError', async () => {
      const error = await rejectionOf(captureUserMedia(defaultMediaDevices(), { video: false, audio: false }, true));
      expect(error.code).to.equal('TypeError');
    });
  });

  describe('failure: DOMException names', () => {
    const NAMES: [thrown: string, code: string][] = [
      ['NotAllowedError', 'NotAllowedError'],
      ['NotFoundError', 'NotFoundError'],
      ['NotReadableError', 'NotReadableError'],
      ['OverconstrainedError', 'OverconstrainedError'],
      ['AbortError', 'AbortError'],
      ['SecurityError', 'SecurityError'],
      ['TypeError', 'TypeError'],
      ['TrackStartError', 'NotReadableError'],
      ['PermissionDeniedError', 'NotAllowedError'],
      ['ConstraintNotSatisfiedError', 'OverconstrainedError'],
      ['SomethingNewError', 'AbortError'],
    ];
    for (const [thrown, code] of NAMES) {
      it(`${thrown} -> ${code}`, async () => {
        const cause = new DOMException('browser says x', thrown);
        const devices = rejecting(cause);
        const error = await rejectionOf(captureUserMedia(devices, { video: true, audio: true }, true));
        expect(error.code).to.equal(code);
        expect(error.category).to.equal('media');
        expect(error.cause).to.equal(cause);
        // A busy device says exactly what the AMS documentation says; the browser's text stays in cause.
        if (code === 'NotReadableError') expect(error.message).to.equal(DEVICE_IN_USE_TEXT);
        else expect(error.message).to.contain('browser says x');
        expect((devices.getUserMedia as sinon.SinonStub).calledOnceWithExactly({ video: true, audio: true })).to.equal(true);
      });
    }

    it('a JavaScript TypeError (empty constraints) -> TypeError', async () => {
      const error = await rejectionOf(
        captureUserMedia(rejecting(new TypeError('At least one of audio and video must be requested')), { video: false, audio: false }, true),
      );
      expect(error.code).to.equal('TypeError');
    });

    it('an OverconstrainedError stub names its constraint even with an empty message', async () => {
      const cause = Object.assign(new DOMException('', 'OverconstrainedError'), { constraint: 'deviceId' });
      const error = await rejectionOf(captureUserMedia(rejecting(cause), { video: true, audio: false }, true));
      expect(error.code).to.equal('OverconstrainedError');
      expect(error.message).to.contain('deviceId');
    });

    it('a rejection that is not an error -> AbortError', async () => {
      const error = await rejectionOf(captureUserMedia(rejecting('weird'), { video: true, audio: false }, true));
      expect(error.code).to.equal('AbortError');
      expect(error.cause).to.equal('weird');
    });
  });

  describe('failure: no media devices', () => {
    it('on an insecure page: NotSupportedError saying https is needed', async () => {
      const error = await rejectionOf(captureUserMedia(undefined, { video: true, audio: true }, false));
      expect(error.code).to.equal('NotSupportedError');
      expect(error.message).to.match(/https/);
    });

    it('on a secure page without the API: NotSupportedError without the https hint', async () => {
      const error = await rejectionOf(captureUserMedia(undefined, { video: true, audio: true }, true));
      expect(error.code).to.equal('NotSupportedError');
      expect(error.message).to.not.match(/https/);
    });

    it('listDevices gives an empty list and watchDevices a no-op', async () => {
      expect(await listDevices(undefined)).to.deep.equal([]);
      const onChange = sinon.spy();
      const unsubscribe = watchDevices(undefined, onChange);
      unsubscribe();
      expect(onChange.called).to.equal(false);
    });
  });

  describe('screen share failures', () => {
    for (const name of ['NotAllowedError', 'AbortError', 'PermissionDeniedError']) {
      it(`${name} -> ScreenSharePermissionDenied`, async () => {
        const cause = new DOMException('Permission denied by user', name);
        const error = await rejectionOf(captureScreen(rejecting(cause)));
        expect(error.code).to.equal('ScreenSharePermissionDenied');
        expect(error.recoverable).to.equal(true);
        expect(error.cause).to.equal(cause);
      });
    }

    it('NotReadableError keeps its own code', async () => {
      const error = await rejectionOf(captureScreen(rejecting(new DOMException('busy', 'NotReadableError'))));
      expect(error.code).to.equal('NotReadableError');
    });

    it('no getDisplayMedia -> NotSupportedError', async () => {
      const { getDisplayMedia: _omitted, ...noScreen } = rejecting(new Error('unused'));
      expect((await rejectionOf(captureScreen(noScreen))).code).to.equal('NotSupportedError');
      expect((await rejectionOf(captureScreen(undefined))).code).to.equal('NotSupportedError');
    });
  });

  describe('devices', () => {
    it('listDevices keeps audioinput and videoinput only', async () => {
      const devices = new StubDevices(() => [device('audioinput', 'mic'), device('audiooutput', 'speaker'), device('videoinput', 'cam')]);
      const list = await listDevices(devices);
      expect(list.map((d) => d.deviceId)).to.deep.equal(['mic', 'cam']);
    });

    it('listDevices turns a failure into an RtcError', async () => {
      const devices: MediaDevicesLike = { getUserMedia: sinon.stub(), enumerateDevices: sinon.stub().rejects(new DOMException('no', 'SecurityError')) };
      expect((await rejectionOf(listDevices(devices))).code).to.equal('SecurityError');
    });

    it('watchDevices reports the new list on devicechange and stops after unsubscribe', async () => {
      let current = [device('videoinput', 'cam')];
      const devices = new StubDevices(() => current);
      const onChange = sinon.spy();
      const unsubscribe = watchDevices(devices, onChange);
      expect(onChange.called, 'nothing before a change').to.equal(false);

      current = [device('videoinput', 'cam'), device('audioinput', 'usb-mic'), device('audiooutput', 'speaker')];
      devices.dispatchEvent(new Event('devicechange'));
      await poll(() => onChange.callCount === 1, 2000, 'first callback');
      expect((onChange.firstCall.args[0] as MediaDeviceInfo[]).map((d) => d.deviceId)).to.deep.equal(['cam', 'usb-mic']);

      unsubscribe();
      devices.dispatchEvent(new Event('devicechange'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(onChange.callCount, 'no callback after unsubscribe').to.equal(1);
    });

    it('a change still being listed when unsubscribing is not reported', async () => {
      const devices = new StubDevices(() => [device('videoinput', 'cam')]);
      const onChange = sinon.spy();
      const unsubscribe = watchDevices(devices, onChange);
      devices.dispatchEvent(new Event('devicechange'));
      unsubscribe();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(onChange.called).to.equal(false);
    });

    it('overlapping changes report only the newest list', async () => {
      const slow: ((list: MediaDeviceInfo[]) => void)[] = [];
      const devices = new StubDevices(() => []);
      devices.enumerateDevices = () => new Promise<MediaDeviceInfo[]>((resolve) => slow.push(resolve));
      const onChange = sinon.spy();
      watchDevices(devices, onChange);
      devices.dispatchEvent(new Event('devicechange'));
      devices.dispatchEvent(new Event('devicechange'));
      slow[1]!([device('videoinput', 'new')]);
      slow[0]!([device('videoinput', 'old')]);
      await poll(() => onChange.called, 2000, 'callback');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(onChange.callCount).to.equal(1);
      expect((onChange.firstCall.args[0] as MediaDeviceInfo[])[0]!.deviceId).to.equal('new');
    });
  });

  describe('createBlackVideoTrack', () => {
    it('is a live video track of the requested size whose frames are black', async () => {
      const black = createBlackVideoTrack(320, 180);
      try {
        expect(black.track.kind).to.equal('video');
        expect(black.track.readyState).to.equal('live');
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = new MediaStream([black.track]);
        await video.play();
        await poll(() => video.videoWidth > 0, 5000, 'a decoded frame');
        expect([video.videoWidth, video.videoHeight]).to.deep.equal([320, 180]);

        const canvas = document.createElement('canvas');
        canvas.width = 320;
        canvas.height = 180;
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        // Paint white first: a frame that was not drawn would leave white (and fail), not black.
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, 320, 180);
        ctx.drawImage(video, 0, 0, 320, 180);
        const { data } = ctx.getImageData(0, 0, 320, 180);
        let brightest = 0;
        let minAlpha = 255;
        for (let i = 0; i < data.length; i += 4) {
          brightest = Math.max(brightest, data[i]!, data[i + 1]!, data[i + 2]!);
          minAlpha = Math.min(minAlpha, data[i + 3]!);
        }
        expect(minAlpha, 'opaque').to.equal(255);
        expect(brightest, 'brightest channel').to.be.at.most(16);
        video.srcObject = null;
      } finally {
        black.stop();
      }
    });

    it('keeps producing frames (at least one a second)', async () => {
      const black = createBlackVideoTrack(160, 120);
      try {
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = new MediaStream([black.track]);
        await video.play();
        await poll(() => video.getVideoPlaybackQuality().totalVideoFrames > 0, 5000, 'a first frame');
        const first = video.getVideoPlaybackQuality().totalVideoFrames;
        const started = performance.now();
        await poll(() => video.getVideoPlaybackQuality().totalVideoFrames >= first + 2, 5000, 'two more frames');
        expect(performance.now() - started, 'two more frames within 2.5 s').to.be.below(2500);
        video.srcObject = null;
      } finally {
        black.stop();
      }
    });

    it('stop() ends the track and clears its timer', () => {
      const setSpy = sinon.spy(globalThis, 'setInterval');
      const clearSpy = sinon.spy(globalThis, 'clearInterval');
      const black = createBlackVideoTrack();
      expect(setSpy.callCount).to.equal(1);
      const timer = setSpy.firstCall.returnValue;
      expect(black.track.getSettings().width).to.equal(640);
      expect(black.track.getSettings().height).to.equal(480);
      black.stop();
      expect(black.track.readyState).to.equal('ended');
      expect(clearSpy.calledWith(timer)).to.equal(true);
    });

    it('its timer clears itself when someone else stops the track', () => {
      const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        const black = createBlackVideoTrack();
        expect(clock.countTimers()).to.equal(1);
        stopStream(new MediaStream([black.track]));
        clock.tick(1000);
        expect(clock.countTimers()).to.equal(0);
      } finally {
        clock.restore();
      }
    });
  });
});
