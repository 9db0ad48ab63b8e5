// <rtc-publisher>, <rtc-player> and the error overlay in the language of their `lang` or their
// nearest ancestor's (the overlay sits in the element's shadow root: the ancestor's lang reaches
// it across the boundary): buttons, labels, status and the overlay's title, message and retry
// button read from the language's table once it has arrived; an unknown code stays in English;
// a page's own strings win.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcErrorOverlay } from '../../../src/elements/rtc-error-overlay/rtc-error-overlay.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { setTranslations } from '../../../src/i18n/i18n.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { nameOf, overlayPart, part, ws } from '../../helpers/dom.js';

const text = (el: HTMLElement | null): string => el?.textContent?.trim() ?? '';

describe('publisher, player and overlay languages', () => {
  it('lang="de" on an ancestor: the publisher and the player label their controls in German', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="de-AT">
        <rtc-publisher server-url=${ws} stream-id=${unique('de')}></rtc-publisher>
        <rtc-player server-url=${ws} stream-id=${unique('de')}></rtc-player>
      </div>`,
    );
    const publisher = wrapper.querySelector('rtc-publisher') as RtcPublisher;
    const player = wrapper.querySelector('rtc-player') as RtcPlayer;
    await poll(() => text(part(publisher, 'start-button')) === 'Live gehen', 5000, 'the German Go live');
    await poll(() => nameOf(part(player, 'play-button')) === 'Abspielen', 5000, 'the German Play');
    expect(part(player, 'controls')!.getAttribute('aria-label')).to.equal('Player-Steuerung');
    expect(part(player, 'mute-button')!.getAttribute('aria-label')).to.equal('Stummschalten');
    // Before going live the publisher's controls are its device check (a chunk: waited for).
    await poll(() => part(publisher, 'device-check') ?? undefined, 5000, 'the device check');
    await publisher.updateComplete;
    expect(part(publisher, 'mic-level')!.getAttribute('aria-label')).to.equal('Mikrofonpegel');
    expect(part(publisher, 'mic-button')!.getAttribute('aria-label')).to.equal('Mikrofon stummschalten');
  });

  it("the overlay of a failed start follows the element's lang; an unknown code falls back to English", async () => {
    const player = await fixture<RtcPlayer>(html`<rtc-player lang="de" server-url="ftp://nowhere.example" stream-id="x"></rtc-player>`);
    await player.play().catch(() => undefined);
    await player.updateComplete;
    await poll(() => text(overlayPart(player, 'overlay-title')) === 'Konfigurationsproblem', 5000, 'the German title');
    expect(text(overlayPart(player, 'overlay-message'))).to.equal('Diese Seite ist falsch eingerichtet. Wenden Sie sich an den Websitebetreiber.');
    player.setAttribute('lang', 'xx');
    await poll(() => text(overlayPart(player, 'overlay-title')) === 'Setup problem', 5000, 'English for an unknown code');
  });

  it('the retry button in Spanish, and a page override wins over our table', async () => {
    const overlay = await fixture<RtcErrorOverlay>(html`<rtc-error-overlay lang="es" retryable></rtc-error-overlay>`);
    overlay.error = { code: 'ice_failed', message: '', recoverable: true };
    const retry = (): string => text(overlay.shadowRoot!.querySelector('[part~="retry-button"]'));
    await poll(() => retry() === 'Reintentar', 5000, 'the Spanish retry');
    setTranslations('es', { 'Try again': 'Volver a intentar' });
    await poll(() => retry() === 'Volver a intentar', 5000, "the page's Spanish");
  });
});
