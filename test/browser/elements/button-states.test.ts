// The shared button styles (src/styles/tokens.styles.ts): hover
// lightens a button without replacing its own colour (the accent Go live stays the accent, a pressed
// button stays pressed-red), the focus ring is light with a dark edge (visible on the accent and
// over video), and an icon button names its action in a tooltip on hover and on keyboard focus.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { part, ws } from '../../helpers/dom.js';

const tip = (el: Element): string => getComputedStyle(el, '::after').content;

describe('button states', () => {
  it('hover lightens by a layer only: the accent of Go live and the red of a pressed button stay theirs', async () => {
    const publisher = await fixture<RtcPublisher>(
      html`<rtc-publisher server-url=${ws} stream-id=${unique('hover')} style="width:640px;height:360px"></rtc-publisher>`,
    );
    const rules = publisher.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]).filter((r): r is CSSStyleRule => r instanceof CSSStyleRule);
    const hover = rules.filter((r) => r.selectorText.includes(':hover') && /button/.test(r.selectorText) && !r.selectorText.includes('::after'));
    expect(hover.length, 'a hover rule for buttons').to.be.greaterThan(0);
    for (const r of hover) {
      expect(r.style.backgroundColor, r.selectorText).to.equal('');
      expect(r.style.background, r.selectorText).to.equal('');
    }
    expect(hover.some((r) => r.style.backgroundImage.includes('gradient'))).to.equal(true);
    // The colours a hover layers over.
    const start = part(publisher, 'start-button')!;
    const mic = part(publisher, 'mic-button')!;
    expect(getComputedStyle(start).backgroundColor).to.equal('rgb(37, 99, 235)');
    mic.setAttribute('aria-pressed', 'true');
    expect(getComputedStyle(mic).backgroundColor).to.equal('rgb(220, 38, 38)');
  });

  it('keyboard focus: a light ring with a dark edge, and the tooltip naming the action', async () => {
    const publisher = await fixture<RtcPublisher>(
      html`<rtc-publisher server-url=${ws} stream-id=${unique('focus')} style="width:640px;height:360px"></rtc-publisher>`,
    );
    const mic = part(publisher, 'mic-button')!;
    expect(tip(mic)).to.equal('none');
    mic.focus({ focusVisible: true } as FocusOptions);
    expect(publisher.shadowRoot!.activeElement).to.equal(mic);
    expect(mic.matches(':focus-visible')).to.equal(true);
    const style = getComputedStyle(mic);
    expect(style.outlineColor).to.equal('rgb(255, 255, 255)');
    expect(style.outlineStyle).to.equal('solid');
    expect(style.boxShadow).to.contain('rgb(0, 0, 0)');
    expect(tip(mic)).to.equal('"Mute microphone"');
  });
});
