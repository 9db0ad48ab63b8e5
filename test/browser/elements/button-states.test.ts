// The shared button styles (src/styles/tokens.styles.ts) under a real pointer and keyboard: hover
// lightens a button without replacing its own colour (the accent Go live stays the accent, a pressed
// button stays pressed-red), the focus ring is light with a dark edge (visible on the accent and
// over video), and an icon button names its action in a tooltip on hover and on keyboard focus.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../src/define.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { part, ws } from '../../helpers/dom.js';

const centre = (el: Element): [number, number] => {
  const r = el.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
};
const tip = (el: Element): string => getComputedStyle(el, '::after').content;

describe('button states', () => {
  afterEach(() => sendMouse({ type: 'move', position: [0, 0] }));

  it('hover keeps the accent of Go live and the red of a pressed button; the tooltip shows on hover', async () => {
    const publisher = await fixture<RtcPublisher>(
      html`<rtc-publisher server-url=${ws} stream-id=${unique('hover')} style="width:640px;height:360px"></rtc-publisher>`,
    );
    const start = part(publisher, 'start-button')!;
    const mic = part(publisher, 'mic-button')!;
    const accent = getComputedStyle(start).backgroundColor;
    await sendMouse({ type: 'move', position: centre(start) });
    expect(start.matches(':hover')).to.equal(true);
    expect(getComputedStyle(start).backgroundColor).to.equal(accent);
    expect(getComputedStyle(start).backgroundImage).to.contain('gradient');
    mic.setAttribute('aria-pressed', 'true');
    const red = getComputedStyle(mic).backgroundColor;
    expect(red).to.equal('rgb(220, 38, 38)');
    await sendMouse({ type: 'move', position: centre(mic) });
    expect(getComputedStyle(mic).backgroundColor).to.equal(red);
    expect(tip(mic)).to.equal('"Mute microphone"');
  });

  it('keyboard focus: a light ring with a dark edge, and the tooltip', async () => {
    const publisher = await fixture<RtcPublisher>(
      html`<rtc-publisher server-url=${ws} stream-id=${unique('focus')} style="width:640px;height:360px"></rtc-publisher>`,
    );
    const start = part(publisher, 'start-button')!;
    const mic = part(publisher, 'mic-button')!;
    expect(tip(mic)).to.equal('none');
    start.focus();
    await sendKeys({ press: 'Tab' });
    expect(publisher.shadowRoot!.activeElement).to.equal(mic);
    const style = getComputedStyle(mic);
    expect(style.outlineColor).to.equal('rgb(255, 255, 255)');
    expect(style.outlineStyle).to.equal('solid');
    expect(style.boxShadow).to.contain('rgb(0, 0, 0)');
    expect(tip(mic)).to.equal('"Mute microphone"');
  });
});
