// <rtc-player> at unit level: attributes, rendering, accessibility, keyboard, the token, markup
// in strings, autoplay fallback, waiting, quality and teardown. Sessions are real (the embedded
// server) unless a test stubs PlaySession.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { RtcError } from '../../../src/core/errors.js';
import { PlaySession } from '../../../src/core/session/play-session.js';
import type { SessionEvents } from '../../../src/core/session/types.js';
import '../../../src/define.js';
import { MESSAGES } from '../../../src/elements/rtc-error-overlay/messages.js';
import { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcErrorEvent } from '../../../src/events/rtc-events.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { afterRemoval, ws, XSS, domStrings, fullControls, nameOf, part, overlayOf, overlayPart } from '../../helpers/dom.js';

const videoOf = (el: RtcPlayer): HTMLVideoElement => part(el, 'video') as HTMLVideoElement;

const emitFrom = <K extends keyof SessionEvents>(session: object, type: K, detail: SessionEvents[K]): void =>
  (session as { emit(t: K, d: SessionEvents[K]): void }).emit(type, detail);
const transition = (session: object, state: string): void => (session as { transition(s: string): void }).transition(state);

/** PlaySession.start() goes live at once (no server); returns the stub and the sessions made. */
function stubLivePlay(): { start: sinon.SinonStub; sessions: PlaySession[] } {
  const sessions: PlaySession[] = [];
  const start = sinon.stub(PlaySession.prototype, 'start').callsFake(async function (this: PlaySession) {
    sessions.push(this);
    transition(this, 'connecting');
    transition(this, 'live');
    emitFrom(this, 'callback', { definition: 'play_started', payload: {}, streamId: 'x' });
  });
  return { start, sessions };
}

async function publisherOn(streamId: string): Promise<RtcPublisher> {
  const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId}></rtc-publisher>`);
  await pub.start();
  return pub;
}

describe('<rtc-player>', () => {
  afterEach(() => {
    sinon.restore();
    delete (window as { __xss?: boolean }).__xss;
  });

  it('is defined', () => {
    expect(customElements.get('rtc-player')).to.equal(RtcPlayer);
    expect(document.createElement('rtc-player')).to.be.instanceOf(RtcPlayer);
  });

  it('renders defaults (the full controls once their chunk is here)', async () => {
    const el = await fixture<RtcPlayer>(html`<rtc-player></rtc-player>`);
    await fullControls(el);
    await expect(el).shadowDom.to.equal(
      `<div part="base" class="base" tabindex="-1">
        <video part="video" playsinline></video>
        <div part="controls" class="controls" role="group" aria-label="Player controls">
          <button part="button play-button" class="icon primary tip-start" type="button" aria-label="Play" aria-keyshortcuts="k" data-tip="Play (k)"><svg></svg></button>
          <button part="button mute-button" class="icon" type="button" aria-label="Mute" aria-keyshortcuts="m" aria-pressed="false" data-tip="Mute (m)"><svg></svg></button>
          <input part="volume" class="volume" type="range" min="0" max="1" step="0.05" aria-label="Volume">
          <span class="grow"></span>
          <button part="button stats-button" class="icon toggle" type="button" aria-label="Statistics" aria-pressed="false" data-tip="Statistics"><svg></svg></button>
          <button part="button fullscreen-button" class="icon tip-end" type="button" aria-label="Fullscreen" aria-keyshortcuts="f" data-tip="Fullscreen (f)"><svg></svg></button>
        </div>
      </div>`,
      { ignoreChildren: ['svg'] },
    );
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.error).to.equal(null);
    const video = videoOf(el);
    expect(video.playsInline).to.equal(true);
    expect(video.muted).to.equal(false);
    expect(video.srcObject).to.equal(null);
    expect(nameOf(part(el, 'play-button'))).to.equal('Play');
    expect(part(el, 'mute-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(part(el, 'unmute-button')).to.equal(null);
    expect(part(el, 'status')).to.equal(null);
    expect(part(el, 'stats-panel')).to.equal(null);
    expect(overlayOf(el)).to.equal(null);
  });

  it('is accessible', async () => {
    const el = await fixture<RtcPlayer>(html`<rtc-player></rtc-player>`);
    await expect(el).to.be.accessible();
  });

  it('reaches its controls by keyboard; Enter plays', async () => {
    const { start } = stubLivePlay();
    const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="kb"></rtc-player>`);
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button play-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(start.calledOnce).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button mute-button');
    before.remove();
  });

  describe('attributes', () => {
    it('maps attributes to properties; muted mutes the video', async () => {
      const el = await fixture<RtcPlayer>(
        html`<rtc-player server-url="wss://h/LiveApp/websocket" stream-id="s1" autoplay muted no-controls no-error-overlay></rtc-player>`,
      );
      sinon.stub(el, 'play').resolves();
      expect([el.serverUrl, el.streamId]).to.deep.equal(['wss://h/LiveApp/websocket', 's1']);
      expect([el.autoplay, el.muted, el.noControls, el.noErrorOverlay]).to.deep.equal([true, true, true, true]);
      expect(videoOf(el).muted).to.equal(true);
      expect(part(el, 'controls')).to.equal(null);
      el.muted = false;
      await el.updateComplete;
      expect(videoOf(el).muted).to.equal(false);
    });

    it('the mute button reflects `muted` (property and attribute); the attribute mutes and unmutes', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="mutes"></rtc-player>`);
      const button = part(el, 'mute-button') as HTMLButtonElement;
      button.click();
      await el.updateComplete;
      expect([el.muted, el.hasAttribute('muted'), videoOf(el).muted, button.getAttribute('aria-pressed')]).to.deep.equal([true, true, true, 'true']);
      button.click();
      await el.updateComplete;
      expect([el.muted, el.hasAttribute('muted'), videoOf(el).muted, button.getAttribute('aria-pressed')]).to.deep.equal([false, false, false, 'false']);
      el.setAttribute('muted', '');
      await el.updateComplete;
      expect([el.muted, videoOf(el).muted, button.getAttribute('aria-pressed')]).to.deep.equal([true, true, 'true']);
      el.removeAttribute('muted');
      await el.updateComplete;
      expect([el.muted, videoOf(el).muted]).to.deep.equal([false, false]);
    });

    it('takes the token from the attribute and never keeps or shows it', async () => {
      const secret = 'play-token-77ab';
      const { start } = stubLivePlay();
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="tok" token=${secret}></rtc-player>`);
      const details: string[] = [];
      el.addEventListener('rtc-state-change', (e) => details.push(JSON.stringify(e.detail)));
      el.addEventListener('rtc-play-started', (e) => details.push(JSON.stringify(e.detail)));
      expect(el.hasAttribute('token')).to.equal(false);
      await el.play();
      expect(start.firstCall.args[0].token).to.equal(secret);
      await el.updateComplete;
      expect(domStrings(el)).not.to.contain(secret);
      expect(details.join()).not.to.contain(secret);
    });

    it('renders markup in attributes and errors as text', async () => {
      sinon.stub(PlaySession.prototype, 'start').rejects(RtcError.of('odd_server_error', { message: XSS }));
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${XSS}></rtc-player>`);
      await el.play().catch(() => undefined);
      await el.updateComplete;
      expect(el.getAttribute('error-code')).to.equal('invalid_stream_id');
      el.streamId = 'fine';
      await el.play().catch(() => undefined);
      await el.updateComplete;
      await overlayOf(el)!.updateComplete;
      expect(overlayPart(el, 'overlay-detail')!.textContent).to.equal(XSS);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(overlayOf(el)!.shadowRoot!.querySelector('img')).to.equal(null);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
    });
  });

  describe('failure: bad attributes', () => {
    it('missing server-url: invalid_server_url, once, overlay; play() rejects', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player stream-id="s1"></rtc-player>`);
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      const error = await el.play().then(
        () => null,
        (e: unknown) => e as RtcError,
      );
      expect(error?.code).to.equal('invalid_server_url');
      expect(spy.calledOnce).to.equal(true);
      await el.updateComplete;
      await overlayOf(el)!.updateComplete;
      expect(overlayPart(el, 'overlay-message')!.textContent!.trim()).to.equal(MESSAGES.invalid_server_url.message);
      expect(el.getAttribute('state')).to.equal('failed');
    });

    it('invalid stream-id with autoplay: rtc-error invalid_stream_id, no exception', async () => {
      const el = document.createElement('rtc-player');
      el.serverUrl = ws;
      el.streamId = 'no/slashes';
      el.autoplay = true;
      const error = oneEvent(el, 'rtc-error') as Promise<RtcErrorEvent>;
      document.body.append(el);
      try {
        expect((await error).detail.code).to.equal('invalid_stream_id');
      } finally {
        el.remove();
      }
    });
  });

  describe('autoplay', () => {
    it('falls back to muted with a tap-to-unmute button and rtc-autoplay-muted', async () => {
      const realPlay = HTMLMediaElement.prototype.play;
      sinon.stub(HTMLMediaElement.prototype, 'play').callsFake(function (this: HTMLMediaElement) {
        if (!this.muted) return Promise.reject(new DOMException('needs a gesture', 'NotAllowedError'));
        return realPlay.call(this);
      });
      const pub = await publisherOn(uniqueStreamId('autoplay'));
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${pub.streamId}></rtc-player>`);
      const muted = oneEvent(el, 'rtc-autoplay-muted');
      await el.play();
      const e = (await muted) as CustomEvent;
      expect(e.detail).to.deep.include({ definition: 'autoplay_muted', streamId: pub.streamId });
      await el.updateComplete;
      const video = videoOf(el);
      expect(video.muted).to.equal(true);
      await poll(() => !video.paused, 5000, 'muted playback');
      const button = part(el, 'unmute-button')!;
      expect(button.textContent!.trim()).to.equal('Tap to unmute');
      expect(part(el, 'mute-button')!.getAttribute('aria-pressed')).to.equal('true');
      await expect(el).to.be.accessible();
      button.click();
      await el.updateComplete;
      expect(video.muted).to.equal(false);
      expect(part(el, 'unmute-button')).to.equal(null);
    });

    it('plays with sound when allowed, into the video element', async () => {
      const pub = await publisherOn(uniqueStreamId('sound'));
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${pub.streamId} autoplay></rtc-player>`);
      const autoMuted = sinon.spy();
      el.addEventListener('rtc-autoplay-muted', autoMuted);
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      const video = videoOf(el);
      await poll(() => video.getVideoPlaybackQuality().totalVideoFrames > 2, 5000, 'frames');
      expect(video.muted).to.equal(false);
      expect((video.srcObject as MediaStream).getTracks().length).to.equal(2);
      expect(autoMuted.called).to.equal(false);
      expect(part(el, 'live-badge')!.textContent!.trim()).to.equal('Live');
    });
  });

  describe('waiting', () => {
    /** The element of `el`'s shadow tree a viewer hits at the centre of `target`. */
    const topmostAt = (el: RtcPlayer, target: HTMLElement): Element | null => {
      const r = target.getBoundingClientRect();
      return el.shadowRoot!.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    };

    /**
     * Waiting is a state, not an error: no overlay (nor `error` / `error-code`), the waiting notice
     * readable on top, and the Stop button uncovered, reachable by keyboard and operable.
     */
    async function expectWaitingView(el: RtcPlayer): Promise<void> {
      await el.updateComplete;
      expect(el.state).to.equal('connecting');
      // (Booleans: chai would inspect a whole element in the failure message.)
      expect(!overlayOf(el), 'no error overlay while waiting').to.equal(true);
      expect(el.error).to.equal(null);
      expect(el.hasAttribute('error-code')).to.equal(false);
      const status = part(el, 'status')!;
      expect(status.textContent!.trim()).to.equal('Waiting for the stream to start…');
      expect(status.getAttribute('role')).to.equal('status');
      expect(status.checkVisibility()).to.equal(true);
      expect(status.contains(topmostAt(el, status)), 'the notice is not covered').to.equal(true);
      const stop = part(el, 'play-button') as HTMLButtonElement;
      expect(nameOf(stop)).to.equal('Stop');
      expect(stop.contains(topmostAt(el, stop)), 'Stop is not covered').to.equal(true);
      const before = document.createElement('button');
      el.before(before);
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement === stop, 'Tab reaches Stop').to.equal(true);
      before.remove();
      await expect(el).to.be.accessible();
    }

    it('waits for a stream that is not live: no_stream_exist once, the waiting view (no overlay), then plays by itself', async () => {
      const streamId = uniqueStreamId('wait');
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} muted></rtc-player>`);
      const errors = sinon.spy();
      el.addEventListener('rtc-error', errors);
      const waiting = oneEvent(el, 'rtc-waiting');
      const playing = el.play();
      await waiting;
      expect(errors.calledOnce).to.equal(true);
      expect((errors.firstCall.args[0] as RtcErrorEvent).detail.code).to.equal('no_stream_exist');
      await expectWaitingView(el);
      await new Promise((r) => setTimeout(r, 1200));
      expect(errors.calledOnce).to.equal(true);
      await expectWaitingView(el);
      const pub = await publisherOn(streamId);
      await playing;
      expect(el.state).to.equal('live');
      await el.updateComplete;
      expect(overlayOf(el)).to.equal(null);
      expect(part(el, 'status')).to.equal(null);

      // The publisher stops: the same waiting view, and Stop stops waiting.
      const waitingAgain = oneEvent(el, 'rtc-waiting');
      await pub.stop();
      await waitingAgain;
      await expectWaitingView(el);
      expect(errors.calledOnce, 'play_finished is no error').to.equal(true);
      (part(el, 'play-button') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(el.state).to.equal('stopped');
      expect(part(el, 'status')).to.equal(null);
    });

    it('autoplay before the stream is live: the waiting view, not "Stream unavailable"', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${uniqueStreamId('autowait')} autoplay muted></rtc-player>`);
      await oneEvent(el, 'rtc-waiting');
      await expectWaitingView(el);
    });

    it('a failure while waiting still shows the overlay', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${uniqueStreamId('waitfail')} muted></rtc-player>`);
      const waiting = oneEvent(el, 'rtc-waiting');
      const playing = el.play().catch((e: RtcError) => e);
      await waiting;
      // The session gives up (the server refused the next request, say): failed, with the overlay.
      const session = (el as unknown as { session: { session: { fail(e: RtcError, fatal: boolean): void } } }).session.session;
      session.fail(RtcError.of('unauthorized_access'), true);
      expect(((await playing) as RtcError).code).to.equal('unauthorized_access');
      await el.updateComplete;
      expect(el.state).to.equal('failed');
      expect(el.getAttribute('error-code')).to.equal('unauthorized_access');
      expect(!!overlayOf(el)).to.equal(true);
    });
  });

  describe('quality', () => {
    it('setQuality goes to the session now and again on every play_started', async () => {
      const { sessions } = stubLivePlay();
      const setQuality = sinon.spy(PlaySession.prototype, 'setQuality');
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="q"></rtc-player>`);
      el.setQuality(360); // not playing yet: remembered
      expect(setQuality.called).to.equal(false);
      await el.play();
      expect(setQuality.calledOnceWith(360)).to.equal(true);
      el.setQuality(0);
      expect(setQuality.lastCall.args[0]).to.equal(0);
      el.setQuality(-5);
      expect(setQuality.lastCall.args[0]).to.equal(0);
      expect(sessions).to.have.length(1);
    });
  });

  describe('state', () => {
    it('removal disposes the session; re-adding with autoplay plays again', async () => {
      const { start } = stubLivePlay();
      const dispose = sinon.spy(PlaySession.prototype, 'dispose');
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="cycle" autoplay muted></rtc-player>`);
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      const session = (el as unknown as { session: { session: PlaySession } }).session.session;
      const parent = el.parentElement!;
      el.remove();
      await afterRemoval();
      // (Elements of earlier tests, removed by the fixture cleanup, are disposed of meanwhile too.)
      expect(dispose.getCalls().filter((c) => c.thisValue === session)).to.have.length(1);
      expect(el.state).to.equal('stopped');
      parent.append(el);
      while (el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      expect(start.callCount).to.equal(2);
    });

    it('a real removal closes the socket and the peer connection', async () => {
      const pub = await publisherOn(uniqueStreamId('teardown'));
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${pub.streamId} muted></rtc-player>`);
      await el.play();
      const session = (el as unknown as { session: { session: { pc?: RTCPeerConnection; signaling?: unknown } } }).session.session;
      const pc = session.pc!;
      expect(pc.connectionState).to.not.equal('closed');
      const tracks = videoOf(el).srcObject as MediaStream;
      el.remove();
      await afterRemoval();
      expect(pc.signalingState).to.equal('closed');
      expect(session.signaling).to.equal(undefined);
      await el.updateComplete;
      expect(videoOf(el).srcObject).to.equal(null);
      await poll(() => tracks.getTracks().every((t) => t.readyState === 'ended'), 2000, 'remote tracks ended');
      pub.remove();
    });

    it('changing stream-id while playing restarts with the new id', async () => {
      const { start } = stubLivePlay();
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="one"></rtc-player>`);
      await el.play();
      el.streamId = 'two';
      await el.updateComplete;
      while (start.callCount < 2 || el.state !== 'live') await oneEvent(el, 'rtc-state-change');
      expect(start.secondCall.args[0].streamId).to.equal('two');
    });

    it('retry from the overlay plays again', async () => {
      const start = sinon.stub(PlaySession.prototype, 'start').rejects(RtcError.of('highResourceUsage'));
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="retry"></rtc-player>`);
      await el.play().catch(() => undefined);
      await el.updateComplete;
      await overlayOf(el)!.updateComplete;
      const retry = overlayPart(el, 'retry-button') as HTMLButtonElement;
      const outside = sinon.spy();
      document.addEventListener('rtc-retry', outside);
      try {
        retry.click();
        await new Promise((r) => setTimeout(r, 0));
        expect(start.callCount).to.equal(2);
        expect(outside.called).to.equal(false);
      } finally {
        document.removeEventListener('rtc-retry', outside);
      }
    });

    it('stop() closes and never rejects; sendData/getStats without a session fail with RtcError', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player></rtc-player>`);
      await el.stop();
      expect(() => el.sendData('x'))
        .to.throw(RtcError)
        .with.property('code', 'data_channel_not_open');
      expect(((await el.getStats().catch((e: unknown) => e)) as RtcError).code).to.equal('NoActiveConnection');
    });
  });
});
