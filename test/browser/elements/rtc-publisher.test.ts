// <rtc-publisher> at unit level: attributes, rendering, accessibility, keyboard, the token,
// markup in strings, capture controls and teardown. Sessions are real (the embedded server)
// unless a test stubs PublishSession to watch what the element asks of it.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { RtcError } from '../../../src/core/errors.js';
import { PublishSession } from '../../../src/core/session/publish-session.js';
import '../../../src/define.js';
import { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcCallbackEvent, RtcErrorEvent } from '../../../src/events/rtc-events.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { afterRemoval, ws, XSS, domStrings, part, overlayOf } from '../../helpers/dom.js';

const overlayText = (el: Element, name: string): string => overlayOf(el)?.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent?.trim() ?? '';

/** Every element in `root` and in every shadow root below it. */
function deepQueryAll(root: ParentNode, selector: string): Element[] {
  const out = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepQueryAll(el.shadowRoot, selector));
  return out;
}

/** A publisher whose session goes live at once without a server (stubbed PublishSession). */
function stubLiveSession(): { start: sinon.SinonStub; replaceTrack: sinon.SinonStub } {
  const start = sinon.stub(PublishSession.prototype, 'start').callsFake(async function (this: PublishSession) {
    (this as unknown as { transition(s: string): void }).transition('connecting');
    (this as unknown as { transition(s: string): void }).transition('live');
  });
  const replaceTrack = sinon.stub(PublishSession.prototype, 'replaceTrack').resolves();
  return { start, replaceTrack };
}

const liveTracks = (stream: MediaStream | null | undefined): MediaStreamTrack[] => stream?.getTracks().filter((t) => t.readyState === 'live') ?? [];
const streamOf = (el: RtcPublisher): MediaStream | null => (el as unknown as { media: { stream: MediaStream | null } }).media.stream;

describe('<rtc-publisher>', () => {
  afterEach(() => {
    sinon.restore();
    delete (window as { __xss?: boolean }).__xss;
  });

  it('is defined', () => {
    expect(customElements.get('rtc-publisher')).to.equal(RtcPublisher);
    expect(document.createElement('rtc-publisher')).to.be.instanceOf(RtcPublisher);
    expect(() => RtcPublisher.define('rtc-publisher')).not.to.throw();
  });

  it('renders defaults', async () => {
    const el = await fixture<RtcPublisher>(html`<rtc-publisher></rtc-publisher>`);
    await expect(el).shadowDom.to.equal(
      `<div part="base" class="base">
        <video part="video" class="mirror" autoplay playsinline></video>
        <div part="controls" class="controls" role="group" aria-label="Publishing controls">
          <button part="button start-button" class="primary" type="button">Go live</button>
          <button part="button mic-button" type="button" aria-label="Mute microphone" data-tip="Mute microphone" aria-pressed="false"><svg></svg></button>
          <button part="button camera-button" type="button" aria-label="Turn camera off" data-tip="Turn camera off" aria-pressed="false"><svg></svg></button>
        </div>
      </div>`,
      { ignoreChildren: ['svg'] },
    );
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.error).to.equal(null);
    expect(el.hasAttribute('error-code')).to.equal(false);
    const video = part(el, 'video') as HTMLVideoElement;
    expect(video.tagName).to.equal('VIDEO');
    expect(video.muted).to.equal(true);
    expect(video.playsInline).to.equal(true);
    expect(part(el, 'start-button')!.textContent!.trim()).to.equal('Go live');
    expect(part(el, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(part(el, 'live-badge')).to.equal(null);
    expect(overlayOf(el)).to.equal(null);
    expect(part(el, 'base')).not.to.equal(null);
  });

  it('is accessible', async () => {
    const el = await fixture<RtcPublisher>(html`<rtc-publisher></rtc-publisher>`);
    await expect(el).to.be.accessible();
  });

  it('is accessible while live, with device menus and an error shown', async () => {
    stubLiveSession();
    const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="a11y"></rtc-publisher>`);
    await el.start();
    await el.updateComplete;
    expect(part(el, 'live-badge')!.textContent!.trim()).to.equal('Live');
    await expect(el).to.be.accessible();
    // A change of stream id restarts; an invalid one ends in the overlay.
    el.streamId = 'bad id';
    await oneEvent(el, 'rtc-error');
    await el.updateComplete;
    expect(overlayOf(el)).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('reaches its controls by keyboard', async () => {
    const el = await fixture<RtcPublisher>(html`<rtc-publisher></rtc-publisher>`);
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    el.before(before);
    // The device check (its chunk, then the preview and the device list).
    await poll(() => (part(el, 'mic-select') as HTMLSelectElement | null)?.options.length === 3, 10_000, 'the device check with its menus');
    // Tab from the page enters at the first control (the whole order: rtc-publisher-device-check.test.ts).
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('select camera-select');
    part(el, 'camera-button')!.focus();
    // Space toggles the focused camera button.
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('true');
    before.remove();
  });

  describe('attributes', () => {
    it('maps attributes to properties', async () => {
      const el = await fixture<RtcPublisher>(
        html`<rtc-publisher server-url="wss://h/LiveApp/websocket" stream-id="s1" stream-name="Stage" max-bitrate="900" no-video no-audio no-controls no-error-overlay></rtc-publisher>`,
      );
      expect([el.serverUrl, el.streamId, el.streamName, el.maxBitrate]).to.deep.equal(['wss://h/LiveApp/websocket', 's1', 'Stage', 900]);
      expect([el.noVideo, el.noAudio, el.noControls, el.noErrorOverlay, el.autoPublish]).to.deep.equal([true, true, true, true, false]);
      expect(part(el, 'controls')).to.equal(null);
    });

    it('takes the token from the attribute and never keeps or shows it', async () => {
      const secret = 'tok-3f9a-secret';
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="tok" token=${secret}></rtc-publisher>`);
      const details: string[] = [];
      for (const type of ['rtc-state-change', 'rtc-error', 'rtc-available-devices'] as const) {
        el.addEventListener(type, (e: Event) => details.push(JSON.stringify((e as CustomEvent).detail)));
      }
      expect(el.hasAttribute('token')).to.equal(false);
      expect(el.token).to.equal(secret);
      await el.start();
      expect(start.firstCall.args[0].token).to.equal(secret);
      await el.updateComplete;
      expect(domStrings(el)).not.to.contain(secret);
      expect(details.join()).not.to.contain(secret);
      // Set again later (a CMS re-rendering the markup): taken and removed again.
      el.setAttribute('token', 'second');
      expect(el.hasAttribute('token')).to.equal(false);
      expect(el.token).to.equal('second');
    });

    it('prefers tokenProvider, passed on for every (re)connect', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="tp" token="fixed"></rtc-publisher>`);
      const provider = async (): Promise<string> => 'fresh';
      el.tokenProvider = provider;
      await el.start();
      expect(start.firstCall.args[0].token).to.equal(provider);
    });

    it('renders markup in attributes as text, never as elements', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${XSS} stream-id=${XSS} stream-name=${XSS}></rtc-publisher>`);
      await el.start().catch(() => undefined);
      el.serverUrl = ws;
      await el.start().catch(() => undefined);
      await el.updateComplete;
      expect(deepQueryAll(el.shadowRoot!, 'img')).to.have.length(0);
      expect(deepQueryAll(el.shadowRoot!, '*').some((e) => e.localName === 'img' || e.hasAttribute('onerror'))).to.equal(false);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
    });

    it('renders markup in an error message as text', async () => {
      sinon.stub(PublishSession.prototype, 'start').rejects(RtcError.of('server_said<img src=x onerror="window.__xss=1">', { message: XSS }));
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="xss" no-video no-audio></rtc-publisher>`);
      await el.start().catch(() => undefined);
      await el.updateComplete;
      await overlayOf(el)!.updateComplete;
      expect(overlayText(el, 'overlay-detail')).to.equal(XSS);
      expect(deepQueryAll(el.shadowRoot!, 'img')).to.have.length(0);
      expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
    });
  });

  describe('failure: bad attributes', () => {
    for (const [what, attrs, code] of [
      ['no server-url', { streamId: 's1' }, 'invalid_server_url'],
      ['an ftp server-url', { serverUrl: 'ftp://h/LiveApp/websocket', streamId: 's1' }, 'invalid_server_url'],
      ['a malformed server-url', { serverUrl: 'ws://', streamId: 's1' }, 'invalid_server_url'],
      ['no stream-id', { serverUrl: 'wss://h/x' }, 'invalid_stream_id'],
      ['a stream-id with a space', { serverUrl: 'wss://h/x', streamId: 'a b' }, 'invalid_stream_id'],
    ] as const) {
      it(`${what}: rtc-error ${code} once, overlay, start() rejects, nothing throws`, async () => {
        const el = document.createElement('rtc-publisher');
        Object.assign(el, attrs);
        const spy = sinon.spy();
        el.addEventListener('rtc-error', spy);
        document.body.append(el);
        try {
          const error = await el.start().then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).to.be.instanceOf(RtcError);
          expect((error as RtcError).code).to.equal(code);
          expect(spy.calledOnce).to.equal(true);
          expect((spy.firstCall.args[0] as RtcErrorEvent).detail.code).to.equal(code);
          expect(el.getAttribute('state')).to.equal('failed');
          expect(el.getAttribute('error-code')).to.equal(code);
          await el.updateComplete;
          expect(overlayOf(el)).not.to.equal(null);
          expect(overlayText(el, 'overlay-message')).not.to.equal('');
          // Not recoverable: no retry button.
          expect(overlayOf(el)!.shadowRoot!.querySelector('[part~="retry-button"]')).to.equal(null);
        } finally {
          el.remove();
        }
      });
    }

    it('auto-publish with a bad attribute fails into the overlay without throwing, and recovers when fixed', async () => {
      stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher stream-id="auto1" auto-publish></rtc-publisher>`);
      if (!el.error) await oneEvent(el, 'rtc-error');
      expect(el.getAttribute('error-code')).to.equal('invalid_server_url');
      expect(el.state).to.equal('failed');
      el.serverUrl = ws;
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      expect(el.hasAttribute('error-code')).to.equal(false);
    });

    it('no-error-overlay hides the overlay but still dispatches rtc-error', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher stream-id="x" no-error-overlay></rtc-publisher>`);
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      await el.start().catch(() => undefined);
      await el.updateComplete;
      expect(spy.calledOnce).to.equal(true);
      expect(overlayOf(el)).to.equal(null);
    });

    it('forwards an error-<code> slot to replace the message', async () => {
      const el = await fixture<RtcPublisher>(
        html`<rtc-publisher stream-id="x"><p slot="error-invalid_server_url">Ask Dana for the address.</p></rtc-publisher>`,
      );
      await el.start().catch(() => undefined);
      await el.updateComplete;
      const overlay = overlayOf(el)!;
      await overlay.updateComplete;
      const inner = overlay.shadowRoot!.querySelector('slot[name="error-invalid_server_url"]') as HTMLSlotElement;
      const assigned = inner.assignedElements({ flatten: true });
      expect(assigned.map((e) => e.textContent)).to.deep.equal(['Ask Dana for the address.']);
    });
  });

  describe('capture', () => {
    it('captures camera and microphone on start, previews them muted, and lists devices', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="cap1"></rtc-publisher>`);
      const devices = oneEvent(el, 'rtc-available-devices') as Promise<RtcCallbackEvent<'available_devices'>>;
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      expect(stream.getVideoTracks()).to.have.length(1);
      expect(stream.getAudioTracks()).to.have.length(1);
      const e = await devices;
      expect(e.detail.definition).to.equal('available_devices');
      expect(e.detail.streamId).to.equal('cap1');
      expect(e.detail.devices.length).to.be.greaterThan(0);
      expect(e.detail.devices.every((d) => d.kind === 'audioinput' || d.kind === 'videoinput')).to.equal(true);
      await el.updateComplete;
      const video = part(el, 'video') as HTMLVideoElement;
      expect((video.srcObject as MediaStream).getVideoTracks()[0]).to.equal(stream.getVideoTracks()[0]);
      expect(video.muted).to.equal(true);
      expect(el.getAttribute('state')).to.equal('live');
      expect(part(el, 'start-button')!.textContent!.trim()).to.equal('Stop');
    });

    it('no-video / no-audio capture only what is asked', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="cap2" no-video></rtc-publisher>`);
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      expect(stream.getVideoTracks()).to.have.length(0);
      expect(stream.getAudioTracks()).to.have.length(1);
      expect(part(el, 'camera-button')).to.equal(null);
    });

    it('mutes the microphone with track.enabled, without touching the connection', async () => {
      const { start, replaceTrack } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="mute"></rtc-publisher>`);
      el.setMicrophoneMuted(true); // before capture: remembered
      await el.start();
      const audio = (start.firstCall.args[0].stream as MediaStream).getAudioTracks()[0]!;
      expect(audio.enabled).to.equal(false);
      part(el, 'mic-button')!.click();
      await el.updateComplete;
      expect(audio.enabled).to.equal(true);
      expect(part(el, 'mic-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(replaceTrack.called).to.equal(false);
    });

    it('camera off sends black frames through replaceTrack (camera light off), camera on reopens it', async () => {
      const { start, replaceTrack } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="camoff"></rtc-publisher>`);
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      const camera = stream.getVideoTracks()[0]!;
      await el.setCameraOff(true);
      expect(replaceTrack.callCount).to.equal(1);
      const [kind, black] = replaceTrack.firstCall.args as [string, MediaStreamTrack];
      expect(kind).to.equal('video');
      expect(black).to.not.equal(camera);
      expect(black.readyState).to.equal('live');
      expect(camera.readyState).to.equal('ended');
      expect(stream.getVideoTracks()).to.deep.equal([black]);
      await el.updateComplete;
      expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('true');
      await el.setCameraOff(false);
      const [, again] = replaceTrack.secondCall.args as [string, MediaStreamTrack];
      expect(black.readyState).to.equal('ended');
      expect(again.readyState).to.equal('live');
      expect(stream.getVideoTracks()).to.deep.equal([again]);
    });

    it('switches camera and microphone through replaceTrack', async () => {
      const { start, replaceTrack } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="switch"></rtc-publisher>`);
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      const devices = await navigator.mediaDevices.enumerateDevices();
      const cam = devices.find((d) => d.kind === 'videoinput')!;
      const oldVideo = stream.getVideoTracks()[0]!;
      const oldAudio = stream.getAudioTracks()[0]!;
      // Another microphone than the one in use (the fake devices have one camera only).
      const mic = devices.find((d) => d.kind === 'audioinput' && d.deviceId !== oldAudio.getSettings().deviceId)!;
      await el.switchMicrophone(mic.deviceId);
      expect(replaceTrack.args.map((a) => a[0])).to.deep.equal(['audio']);
      expect(oldAudio.readyState).to.equal('ended');
      expect(stream.getAudioTracks()[0]).to.equal(replaceTrack.firstCall.args[1]);
      expect(stream.getAudioTracks()[0]!.getSettings().deviceId).to.equal(mic.deviceId);
      // The camera in use already: VideoAlreadyActive, and the camera is left alone.
      const error = await el.switchCamera(cam.deviceId).then(
        () => null,
        (e: unknown) => e as RtcError,
      );
      expect(error?.code).to.equal('VideoAlreadyActive');
      expect(replaceTrack.callCount).to.equal(1);
      expect(oldVideo.readyState).to.equal('live');
    });

    it('a failed switch reports rtc-error once and rejects, keeping the current camera', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="badswitch"></rtc-publisher>`);
      await el.start();
      const camera = (start.firstCall.args[0].stream as MediaStream).getVideoTracks()[0]!;
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      const error = await el.switchCamera('no-such-device').then(
        () => null,
        (e: unknown) => e as RtcError,
      );
      expect(error?.code).to.equal('OverconstrainedError');
      expect(spy.calledOnce).to.equal(true);
      expect(camera.readyState).to.equal('live');
      expect(el.state).to.equal('live');
      // An action's error is dispatched, not kept: the stream goes on.
      expect(el.error).to.equal(null);
      expect(el.hasAttribute('error-code')).to.equal(false);
    });

    it('shares the screen via replaceTrack and goes back to the camera when the user stops sharing', async () => {
      const { start, replaceTrack } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="screen"></rtc-publisher>`);
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      await el.shareScreen(true);
      await el.updateComplete;
      const screen = replaceTrack.firstCall.args[1] as MediaStreamTrack;
      expect(stream.getVideoTracks()).to.deep.equal([screen]);
      expect(part(el, 'screen-button')!.getAttribute('aria-pressed')).to.equal('true');
      const stopped = oneEvent(el, 'rtc-screen-share-stopped');
      // What the browser does when the user presses its own "Stop sharing".
      screen.stop();
      screen.dispatchEvent(new Event('ended'));
      const e = (await stopped) as CustomEvent;
      expect(e.detail.definition).to.equal('screen_share_stopped');
      const camera = replaceTrack.secondCall.args[1] as MediaStreamTrack;
      expect(camera.readyState).to.equal('live');
      expect(stream.getVideoTracks()).to.deep.equal([camera]);
      await el.updateComplete;
      expect(part(el, 'screen-button')!.getAttribute('aria-pressed')).to.equal('false');
    });

    it('a refused screen share is one rtc-error ScreenSharePermissionDenied; the camera stays live, no overlay', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="screenno"></rtc-publisher>`);
      await el.start();
      const camera = (start.firstCall.args[0].stream as MediaStream).getVideoTracks()[0]!;
      sinon.stub(navigator.mediaDevices, 'getDisplayMedia').rejects(new DOMException('Permission denied', 'NotAllowedError'));
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      const error = await el.shareScreen(true).then(
        () => null,
        (e: unknown) => e as RtcError,
      );
      expect(error?.code).to.equal('ScreenSharePermissionDenied');
      expect(spy.calledOnce).to.equal(true);
      expect((spy.firstCall.args[0] as RtcErrorEvent).detail.code).to.equal('ScreenSharePermissionDenied');
      await el.updateComplete;
      expect(overlayOf(el)).to.equal(null);
      expect(el.state).to.equal('live');
      expect(camera.readyState).to.equal('live');
      expect(part(el, 'screen-button')!.getAttribute('aria-pressed')).to.equal('false');
    });

    it('emits rtc-browser-screen-share-supported on connect', async () => {
      const spy = sinon.spy();
      document.addEventListener('rtc-browser-screen-share-supported', spy);
      try {
        const el = await fixture<RtcPublisher>(html`<rtc-publisher stream-id="sss"></rtc-publisher>`);
        await el.updateComplete;
        await new Promise((r) => setTimeout(r, 0));
        expect(spy.calledOnce).to.equal(true);
      } finally {
        document.removeEventListener('rtc-browser-screen-share-supported', spy);
      }
    });

    it('a refused camera with a working microphone publishes audio only (rtc-audio-only-fallback)', async () => {
      const { start } = stubLiveSession();
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      sinon.stub(navigator.mediaDevices, 'getUserMedia').callsFake(async (c?: MediaStreamConstraints) => {
        if (c?.video) throw new DOMException('Camera denied', 'NotAllowedError');
        return real(c);
      });
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="fallback"></rtc-publisher>`);
      const fallback = oneEvent(el, 'rtc-audio-only-fallback') as Promise<RtcCallbackEvent<'audio_only_fallback'>>;
      await el.start();
      expect((await fallback).detail.reason).to.equal('NotAllowedError');
      const stream = start.firstCall.args[0].stream as MediaStream;
      expect(stream.getVideoTracks()).to.have.length(0);
      expect(stream.getAudioTracks()).to.have.length(1);
    });

    it('a capture failure is one rtc-error with a retry that starts again', async () => {
      stubLiveSession();
      const gum = sinon.stub(navigator.mediaDevices, 'getUserMedia').rejects(new DOMException('busy', 'NotReadableError'));
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="busy"></rtc-publisher>`);
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      const error = await el.start().then(
        () => null,
        (e: unknown) => e as RtcError,
      );
      expect(error?.code).to.equal('NotReadableError');
      expect(spy.calledOnce).to.equal(true);
      expect(el.state).to.equal('failed');
      gum.restore();
      await el.updateComplete;
      const overlay = overlayOf(el)!;
      await overlay.updateComplete;
      const live = oneEvent(el, 'rtc-state-change');
      overlay.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
      expect(((await live) as CustomEvent).detail.state).to.equal('connecting');
      await el.start();
      expect(el.state).to.equal('live');
      expect(el.error).to.equal(null);
      expect(el.hasAttribute('error-code')).to.equal(false);
    });
  });

  describe('state', () => {
    it('stop() while the camera is still opening, then start() again: the new start opens it afresh and publishes', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${uniqueStreamId('reopen')}></rtc-publisher>`);
      const first = el.start().catch((e: RtcError) => e);
      await el.stop();
      await el.start();
      expect(el.state).to.equal('live');
      expect(liveTracks(streamOf(el))).to.have.length(2);
      // The first start was superseded quietly.
      expect(await first).to.equal(undefined);
    });

    it('auto-publish starts on connect; removal releases camera, microphone and session; re-adding restarts', async () => {
      const { start } = stubLiveSession();
      const dispose = sinon.spy(PublishSession.prototype, 'dispose');
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="cycle" auto-publish></rtc-publisher>`);
      if (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      await el.updateComplete;
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      const stream = start.firstCall.args[0].stream as MediaStream;
      expect(liveTracks(stream)).to.have.length(2);
      const session = (el as unknown as { session: { session: PublishSession } }).session.session;
      const parent = el.parentElement!;
      el.remove();
      await afterRemoval();
      expect(liveTracks(stream)).to.have.length(0);
      // (Elements of earlier tests, removed by the fixture cleanup, are disposed of meanwhile too.)
      expect(dispose.getCalls().filter((c) => c.thisValue === session)).to.have.length(1);
      expect(el.state).to.equal('stopped');
      parent.append(el);
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      expect(start.callCount).to.equal(2);
      expect(liveTracks(streamOf(el))).to.have.length(2);
      el.remove();
    });

    it('without auto-publish, re-adding does not start', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="noauto"></rtc-publisher>`);
      await el.start();
      const parent = el.parentElement!;
      el.remove();
      await afterRemoval();
      parent.append(el);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 20));
      expect(start.callCount).to.equal(1);
      expect(el.state).to.equal('stopped');
    });

    it('stop() releases the camera and microphone and never rejects', async () => {
      const { start } = stubLiveSession();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="stop"></rtc-publisher>`);
      await el.start();
      const stream = start.firstCall.args[0].stream as MediaStream;
      await el.stop();
      expect(liveTracks(stream)).to.have.length(0);
      expect(el.state).to.equal('stopped');
      await el.stop();
    });

    it('changing stream-id or server-url while running restarts cleanly with the same capture', async () => {
      const { start } = stubLiveSession();
      const dispose = sinon.spy(PublishSession.prototype, 'dispose');
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="first"></rtc-publisher>`);
      await el.start();
      el.streamId = 'second';
      await el.updateComplete;
      while (start.callCount < 2 || el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      expect(start.secondCall.args[0].streamId).to.equal('second');
      expect(start.secondCall.args[0].stream).to.equal(start.firstCall.args[0].stream);
      expect(dispose.calledOnce).to.equal(true);
      expect(liveTracks(start.firstCall.args[0].stream)).to.have.length(2);
    });

    it('max-bitrate goes to the session at start and live', async () => {
      const { start } = stubLiveSession();
      const setMax = sinon.stub(PublishSession.prototype, 'setMaxBitrate').resolves();
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="br" max-bitrate="800"></rtc-publisher>`);
      await el.start();
      expect(start.firstCall.args[0].maxBitrateKbps).to.equal(800);
      el.maxBitrate = 1500;
      await el.updateComplete;
      expect(setMax.calledOnceWith(1500)).to.equal(true);
    });

    it('sendData and getStats without a session fail with RtcError, without an overlay', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher stream-id="nodata"></rtc-publisher>`);
      expect(() => el.sendData('x'))
        .to.throw(RtcError)
        .with.property('code', 'data_channel_not_open');
      const e = await el.getStats().catch((err: unknown) => err as RtcError);
      expect((e as RtcError).code).to.equal('NoActiveConnection');
      await el.updateComplete;
      expect(overlayOf(el)).to.equal(null);
    });
  });

  describe('happy path (embedded server)', () => {
    it('publishes for real and shows live stats', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${uniqueStreamId('pubunit')}></rtc-publisher>`);
      const started = oneEvent(el, 'rtc-publish-started');
      await el.start();
      await started;
      expect(el.state).to.equal('live');
      const stats = await oneEvent(el, 'rtc-updated-stats');
      expect((stats as CustomEvent).detail.definition).to.equal('updated_stats');
      await el.updateComplete;
      expect(part(el, 'stats')!.textContent).to.match(/kbps|Mbps/);
      const s = await el.getStats();
      expect(s.bytesSent).to.be.greaterThan(0);
      await el.stop();
    });

    it('the Statistics button opens the stats panel over the live video (plots of the samples so far), reflected as stats; closing it brings the readout back', async function () {
      (this as { timeout(ms: number): void }).timeout(20_000);
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${uniqueStreamId('pubpanel')}></rtc-publisher>`);
      await el.start();
      await oneEvent(el, 'rtc-updated-stats');
      await oneEvent(el, 'rtc-updated-stats');
      const button = part(el, 'stats-button')!;
      expect([button.getAttribute('aria-label'), button.dataset.tip, button.getAttribute('aria-pressed')]).to.deep.equal(['Statistics', 'Statistics', 'false']);
      button.click();
      await poll(() => part(el, 'stats-panel') ?? undefined, 5000, 'the stats panel');
      expect(el.hasAttribute('stats')).to.equal(true);
      expect(part(el, 'stats-button')!.getAttribute('aria-pressed')).to.equal('true');
      // A view toggle looks pressed in white, not in the red of a mute.
      expect(getComputedStyle(part(el, 'stats-button')!).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(part(el, 'stats'), 'the one-line readout gives way to the panel').to.equal(null);
      const panel = part(el, 'stats-panel')!;
      // The history kept before the panel opened is plotted at once: a line, not a point.
      expect(panel.querySelectorAll('.stats-row')).to.have.length(5);
      const bitrate = panel.querySelector('.stats-row .stats-value')!.textContent!;
      expect(Number.parseFloat(bitrate), bitrate).to.be.greaterThan(0);
      expect(panel.querySelector('.stats-row polyline')!.getAttribute('points')!.split(' ').length).to.be.greaterThan(1);
      // The panel is styled (its chunk's styles adopted beside the device check's).
      expect(getComputedStyle(panel).position).to.equal('absolute');
      part(el, 'stats-button')!.click();
      await el.updateComplete;
      expect([el.hasAttribute('stats'), part(el, 'stats-panel')]).to.deep.equal([false, null]);
      await oneEvent(el, 'rtc-updated-stats');
      await el.updateComplete;
      expect(part(el, 'stats')!.textContent).to.match(/kbps|Mbps/);
      await el.stop();
    });

    it('camera off, screen share and device switches replace the sender track without renegotiation', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${uniqueStreamId('pubswap')}></rtc-publisher>`);
      await el.start();
      const pc = (el as unknown as { session: { session: { pc: RTCPeerConnection } } }).session.session.pc;
      const videoSender = (): MediaStreamTrack | null =>
        pc.getSenders().find((x) => x.track?.kind === 'video' || (x.track === null && x !== audioSender))?.track ?? null;
      const audioSender = pc.getSenders().find((x) => x.track?.kind === 'audio')!;
      const negotiations = sinon.spy(pc, 'createOffer');
      const camera = videoSender()!;
      await el.setCameraOff(true);
      const black = videoSender()!;
      expect(black).to.not.equal(camera);
      expect(black instanceof CanvasCaptureMediaStreamTrack).to.equal(true);
      expect(camera.readyState).to.equal('ended');
      await el.setCameraOff(false);
      expect(videoSender()!.readyState).to.equal('live');
      expect(black.readyState).to.equal('ended');
      await el.shareScreen(true);
      const screen = videoSender()!;
      expect(screen.label).to.not.equal(camera.label);
      await el.shareScreen(false);
      expect(screen.readyState).to.equal('ended');
      const mic = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').at(-1)!;
      await el.switchMicrophone(mic.deviceId);
      expect(audioSender.track!.getSettings().deviceId).to.equal(mic.deviceId);
      expect(negotiations.called).to.equal(false);
      expect(el.state).to.equal('live');
      await el.stop();
    });
  });
});
