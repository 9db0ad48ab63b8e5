// The DOM events of <rtc-publisher> and <rtc-player>: the AMS name → event name table, the
// detail shapes, and that every session callback and error reaches the page exactly once.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { ERROR_CATALOG, RtcError } from '../../../src/core/errors.js';
import { NOTIFICATIONS } from '../../../src/core/protocol/ams.js';
import { PlaySession } from '../../../src/core/session/play-session.js';
import { PublishSession } from '../../../src/core/session/publish-session.js';
import type { AmsCallback, SessionEvents } from '../../../src/core/session/types.js';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { AMS_CALLBACKS, RTC_EVENTS, rtcEventName } from '../../../src/events/names.js';
import type { RtcCallbackEvent, RtcErrorEvent, RtcStateChangeEvent } from '../../../src/events/rtc-events.js';

const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;

/** Calls the protected `emit` of a session, as the session itself would. */
const emitFrom = <K extends keyof SessionEvents>(session: object, type: K, detail: SessionEvents[K]): void =>
  (session as { emit(t: K, d: SessionEvents[K]): void }).emit(type, detail);

/** A player whose PlaySession.start() runs `script` instead of talking to a server. */
async function scriptedPlayer(script: (session: PlaySession) => Promise<void> | void): Promise<RtcPlayer> {
  sinon.stub(PlaySession.prototype, 'start').callsFake(async function (this: PlaySession) {
    await script(this);
  });
  return fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id="cam1"></rtc-player>`);
}

describe('rtc-* events', () => {
  afterEach(() => sinon.restore());

  describe('the name table', () => {
    const cases: Array<[string, string]> = [
      ['publish_started', 'rtc-publish-started'],
      ['publish_finished', 'rtc-publish-finished'],
      ['play_started', 'rtc-play-started'],
      ['play_finished', 'rtc-play-finished'],
      ['newTrackAvailable', 'rtc-new-track-available'],
      ['ice_connection_state_changed', 'rtc-ice-connection-state-changed'],
      ['updated_stats', 'rtc-updated-stats'],
      ['data_received', 'rtc-data-received'],
      ['available_devices', 'rtc-available-devices'],
      ['reconnection_attempt_for_player', 'rtc-reconnection-attempt-for-player'],
      ['reconnection_attempt_for_publisher', 'rtc-reconnection-attempt-for-publisher'],
      ['joinedTheRoom', 'rtc-joined-the-room'],
      ['bitrateMeasurement', 'rtc-bitrate-measurement'],
      ['screen_share_stopped', 'rtc-screen-share-stopped'],
      ['browser_screen_share_supported', 'rtc-browser-screen-share-supported'],
      ['audio_only_fallback', 'rtc-audio-only-fallback'],
      ['autoplay_muted', 'rtc-autoplay-muted'],
      ['streamInformation', 'rtc-stream-information'],
    ];
    for (const [ams, dom] of cases) {
      it(`${ams} → ${dom}`, () => {
        expect(rtcEventName(ams)).to.equal(dom);
        expect((RTC_EVENTS as Record<string, string>)[ams]).to.equal(dom);
      });
    }

    it('lists every callback once, each as rtc- + lowercase kebab-case', () => {
      expect(new Set(AMS_CALLBACKS).size).to.equal(AMS_CALLBACKS.length);
      expect(Object.keys(RTC_EVENTS)).to.deep.equal([...AMS_CALLBACKS]);
      const names = Object.values(RTC_EVENTS);
      expect(new Set(names).size).to.equal(names.length);
      for (const name of names) expect(name).to.match(/^rtc-[a-z]+(-[a-z]+)*$/);
      expect(Object.isFrozen(RTC_EVENTS)).to.equal(true);
    });

    it('covers every server notification and the SDK info events', () => {
      for (const n of NOTIFICATIONS) expect(AMS_CALLBACKS, n).to.include(n);
      for (const n of ['initialized', 'closed', 'pong', 'newStreamAvailable', 'data_channel_opened', 'data_channel_closed', 'trackList', 'roomInformation']) {
        expect(AMS_CALLBACKS, n).to.include(n);
      }
    });

    it('turns odd names into safe event types', () => {
      expect(rtcEventName('some new-Thing!')).to.equal('rtc-some-new-thing');
      expect(rtcEventName('<img src=x>')).to.equal('rtc-img-src-x');
    });
  });

  describe('callbacks', () => {
    it('dispatches a session callback as a bubbling, composed rtc-* event with payload, streamId and definition', async () => {
      let session!: PlaySession;
      const el = await scriptedPlayer((s) => {
        session = s;
      });
      const seen = sinon.spy();
      document.addEventListener('rtc-bitrate-measurement', seen);
      try {
        void el.play();
        await el.updateComplete;
        const event = oneEvent(el, 'rtc-bitrate-measurement') as Promise<RtcCallbackEvent>;
        const cb: AmsCallback = {
          definition: 'bitrateMeasurement',
          payload: { command: 'notification', targetBitrate: 900, videoBitrate: 700 },
          streamId: 'cam1',
        };
        emitFrom(session, 'callback', cb);
        const e = await event;
        expect(e.detail).to.deep.equal({ command: 'notification', targetBitrate: 900, videoBitrate: 700, streamId: 'cam1', definition: 'bitrateMeasurement' });
        expect(e.bubbles && e.composed).to.equal(true);
        expect(e.cancelable).to.equal(false);
        expect(seen.calledOnce).to.equal(true);
      } finally {
        document.removeEventListener('rtc-bitrate-measurement', seen);
      }
    });

    it('fills streamId from the element when the session gives none; unknown names keep the rule', async () => {
      let session!: PlaySession;
      const el = await scriptedPlayer((s) => {
        session = s;
      });
      void el.play();
      const event = oneEvent(el, 'rtc-brand-new-notification' as 'rtc-pong') as Promise<CustomEvent>;
      emitFrom(session, 'callback', { definition: 'brandNewNotification', payload: { x: 1 } });
      expect((await event).detail).to.deep.equal({ x: 1, streamId: 'cam1', definition: 'brandNewNotification' });
    });

    it('never lets a callback pose as rtc-error or rtc-state-change', async () => {
      let session!: PlaySession;
      const el = await scriptedPlayer((s) => {
        session = s;
      });
      void el.play();
      const errors = sinon.spy();
      const states = sinon.spy();
      el.addEventListener('rtc-error', errors);
      el.addEventListener('rtc-state-change', states);
      emitFrom(session, 'callback', { definition: 'error', payload: {} });
      emitFrom(session, 'callback', { definition: 'state_change', payload: {} });
      expect(errors.called).to.equal(false);
      expect(states.called).to.equal(false);
    });

    it('drops the events of a session the element has let go', async () => {
      let session!: PlaySession;
      const el = await scriptedPlayer((s) => {
        session = s;
      });
      void el.play();
      await el.stop();
      const spy = sinon.spy();
      el.addEventListener('rtc-play-started', spy);
      emitFrom(session, 'callback', { definition: 'play_started', payload: {} });
      expect(spy.called).to.equal(false);
    });

    it('types rtc-* events in GlobalEventHandlersEventMap', () => {
      // Compile-time checks: these lines only type-check with the augmentation.
      const onError = (e: RtcErrorEvent): string => e.detail.code;
      const onState = (e: RtcStateChangeEvent): string => e.detail.previous;
      const onStarted = (e: RtcCallbackEvent<'publish_started'>): string => e.detail.definition;
      const onDevices = (e: GlobalEventHandlersEventMap['rtc-available-devices']): number => e.detail.devices.length;
      const div = document.createElement('div');
      div.addEventListener('rtc-error', onError);
      div.addEventListener('rtc-state-change', onState);
      div.addEventListener('rtc-publish-started', onStarted);
      div.addEventListener('rtc-available-devices', onDevices);
      expect(typeof onError).to.equal('function');
    });
  });

  describe('rtc-error', () => {
    it('carries code, message, category, recoverable, streamId and the error; once per error', async () => {
      const error = RtcError.fromServer({ definition: 'highResourceUsage', streamId: 'cam1' });
      const el = await scriptedPlayer(async (s) => {
        // A session reports a fatal error as an event and rejects start() with the same object.
        emitFrom(s, 'error', error);
        throw error;
      });
      const spy = sinon.spy();
      el.addEventListener('rtc-error', spy);
      const rejected = await el.play().then(
        () => null,
        (e: unknown) => e,
      );
      expect(rejected).to.equal(error);
      expect(spy.calledOnce).to.equal(true);
      const e = spy.firstCall.args[0] as RtcErrorEvent;
      expect(e.detail).to.deep.equal({
        code: 'highResourceUsage',
        message: error.message,
        category: ERROR_CATALOG.highResourceUsage.category,
        recoverable: true,
        streamId: 'cam1',
        error,
      });
      expect(e.bubbles && e.composed && e.cancelable).to.equal(true);
      expect(el.error).to.equal(error);
      expect(el.getAttribute('error-code')).to.equal('highResourceUsage');
      expect(el.getAttribute('state')).to.equal('failed');
    });

    it('shows the overlay unless preventDefault() was called', async () => {
      const el = await scriptedPlayer(() => {
        throw RtcError.of('viewerLimitReached');
      });
      el.addEventListener('rtc-error', (e) => e.preventDefault(), { once: true });
      await el.play().catch(() => undefined);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('rtc-error-overlay')).to.equal(null);
      expect(el.getAttribute('error-code')).to.equal('viewerLimitReached');
      await el.play().catch(() => undefined);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('rtc-error-overlay')).not.to.equal(null);
    });
  });

  describe('rtc-state-change', () => {
    it('reports {state, previous} for each change, reflected as the state attribute', async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id="cam1" no-video no-audio></rtc-publisher>`);
      sinon.stub(PublishSession.prototype, 'start').callsFake(async function (this: PublishSession) {
        emitFrom(this, 'stateChange', { state: 'negotiating', previous: 'connecting' });
        emitFrom(this, 'stateChange', { state: 'live', previous: 'negotiating' });
      });
      const seen: Array<[string, string, string | null]> = [];
      el.addEventListener('rtc-state-change', (e) => seen.push([e.detail.state, e.detail.previous, el.getAttribute('state')]));
      await el.start();
      await el.stop();
      expect(seen).to.deep.equal([
        ['connecting', 'idle', 'connecting'],
        ['negotiating', 'connecting', 'negotiating'],
        ['live', 'negotiating', 'live'],
        ['stopped', 'live', 'stopped'],
      ]);
    });
  });
});
