import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { ERROR_CATALOG, RtcError } from '../../../src/core/errors.js';
import { GENERIC_MESSAGE, MESSAGES, messageFor } from '../../../src/elements/rtc-error-overlay/messages.js';
import { RtcErrorOverlay, type RtcRetryEvent } from '../../../src/elements/rtc-error-overlay/rtc-error-overlay.js';

RtcErrorOverlay.define();

const XSS = '<img src=x onerror="window.__xss = true">';

const part = (el: RtcErrorOverlay, name: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: RtcErrorOverlay, name: string): string => part(el, name)?.textContent?.trim() ?? '';

async function overlayWith(error: RtcErrorOverlay['error'], retryable = false): Promise<RtcErrorOverlay> {
  const el = await fixture<RtcErrorOverlay>(html`<rtc-error-overlay .error=${error} ?retryable=${retryable}></rtc-error-overlay>`);
  await el.updateComplete;
  return el;
}

describe('<rtc-error-overlay>', () => {
  it('is defined', () => {
    expect(customElements.get('rtc-error-overlay')).to.equal(RtcErrorOverlay);
    expect(document.createElement('rtc-error-overlay')).to.be.instanceOf(RtcErrorOverlay);
    // A second define of a registered tag is skipped, not an error.
    expect(() => RtcErrorOverlay.define()).not.to.throw();
  });

  it('renders defaults', async () => {
    const el = await overlayWith(RtcError.of('timeout'), true);
    expect(el).shadowDom.to.equal(
      `<div part="overlay" class="overlay" role="alert">
        <div part="overlay-title" class="overlay__title">${MESSAGES.timeout.title}</div>
        <div part="overlay-message" class="overlay__message"><slot name="error-timeout">${MESSAGES.timeout.message}</slot></div>
        <button part="retry-button" class="overlay__retry" type="button">Try again</button>
      </div>`,
    );
  });

  it('renders nothing and takes no room without an error', async () => {
    const el = await overlayWith(null);
    expect(el.shadowRoot!.children.length).to.equal(0);
    expect(el.hasAttribute('error-code')).to.equal(false);
    expect(getComputedStyle(el).display).to.equal('none');
  });

  it('is accessible', async () => {
    const el = await overlayWith(RtcError.of('WebSocketNotConnected'), true);
    await expect(el).to.be.accessible();
  });

  describe('happy path', () => {
    it('shows the title and message of a code, as an alert, never the code', async () => {
      const el = await overlayWith(RtcError.of('NotAllowedError'));
      expect(part(el, 'overlay')!.getAttribute('role')).to.equal('alert');
      expect(text(el, 'overlay-title')).to.equal(MESSAGES.NotAllowedError.title);
      expect(text(el, 'overlay-message')).to.equal(MESSAGES.NotAllowedError.message);
      expect(el.shadowRoot!.textContent).not.to.contain('NotAllowedError');
      expect(el.getAttribute('error-code')).to.equal('NotAllowedError');
      expect(getComputedStyle(el).display).to.equal('block');
    });

    it('follows changes of error and clears', async () => {
      const el = await overlayWith(RtcError.of('NotAllowedError'));
      el.error = RtcError.of('highResourceUsage');
      await el.updateComplete;
      expect(text(el, 'overlay-message')).to.equal(MESSAGES.highResourceUsage.message);
      expect(el.getAttribute('error-code')).to.equal('highResourceUsage');
      el.error = null;
      await el.updateComplete;
      expect(part(el, 'overlay')).to.equal(null);
      expect(el.hasAttribute('error-code')).to.equal(false);
    });

    it('gives unknown codes the generic wording and their own message as text', async () => {
      const el = await overlayWith({ code: 'some_new_server_error', message: 'The archive is full.', recoverable: true });
      expect(text(el, 'overlay-title')).to.equal(GENERIC_MESSAGE.title);
      expect(text(el, 'overlay-message')).to.equal(GENERIC_MESSAGE.message);
      expect(text(el, 'overlay-detail')).to.equal('The archive is full.');
      expect(el.shadowRoot!.textContent).not.to.contain('some_new_server_error');
    });

    it('does not show the catalog fallback description of an unknown code', async () => {
      const el = await overlayWith(RtcError.fromServer({ definition: 'some_new_server_error' }));
      expect(text(el, 'overlay-message')).to.equal(GENERIC_MESSAGE.message);
      expect(part(el, 'overlay-detail')).to.equal(null);
    });

    it('treats Object.prototype names as unknown codes', async () => {
      for (const code of ['constructor', '__proto__', 'toString']) {
        const el = await overlayWith({ code, message: '', recoverable: false });
        expect(text(el, 'overlay-title'), code).to.equal(GENERIC_MESSAGE.title);
        expect(text(el, 'overlay-message'), code).to.equal(GENERIC_MESSAGE.message);
      }
    });

    it('hides with the hidden attribute', async () => {
      const el = await overlayWith(RtcError.of('NotFoundError'));
      el.hidden = true;
      expect(getComputedStyle(el).display).to.equal('none');
    });
  });

  describe('failure: markup in strings', () => {
    afterEach(() => {
      delete (window as { __xss?: boolean }).__xss;
    });

    it('renders an unknown error message holding <img onerror> as text', async () => {
      const el = await overlayWith({ code: 'server_said_something', message: XSS, recoverable: false });
      expect(text(el, 'overlay-detail')).to.equal(XSS);
      expect(el.shadowRoot!.querySelectorAll('img').length, 'img elements').to.equal(0);
      expect(el.querySelectorAll('img').length, 'img elements').to.equal(0);
      expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
    });

    it('never turns a code holding markup into elements', async () => {
      const code = `"><img src=x onerror="window.__xss = true">`;
      const el = await overlayWith({ code, message: XSS, recoverable: true }, true);
      expect(el.shadowRoot!.querySelectorAll('img').length, 'img elements').to.equal(0);
      expect(el.shadowRoot!.querySelector('slot')!.getAttribute('name')).to.equal(`error-${code}`);
      expect(el.getAttribute('error-code')).to.equal(code);
      expect((window as { __xss?: boolean }).__xss).to.equal(undefined);
    });
  });

  describe('retry', () => {
    it('dispatches a bubbling, composed rtc-retry from the button', async () => {
      // Inside another element's shadow root, as in <rtc-player>: the event must cross it.
      const outer = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = outer.attachShadow({ mode: 'open' });
      const el = document.createElement('rtc-error-overlay');
      el.error = RtcError.of('WebSocketNotConnected');
      el.retryable = true;
      root.append(el);
      await el.updateComplete;
      const button = part(el, 'retry-button') as HTMLButtonElement;
      expect(button.tagName).to.equal('BUTTON');
      expect(button.textContent!.trim()).to.equal('Try again');
      const spy = sinon.spy();
      outer.addEventListener('rtc-retry', spy);
      const event = oneEvent(outer, 'rtc-retry') as Promise<RtcRetryEvent>;
      button.click();
      const e = await event;
      expect(e.detail).to.deep.equal({ code: 'WebSocketNotConnected' });
      expect(e.bubbles && e.composed).to.equal(true);
      expect(spy.calledOnce).to.equal(true);
    });

    it('is reachable and pressed by keyboard', async () => {
      const el = await overlayWith(RtcError.of('timeout'), true);
      const button = part(el, 'retry-button') as HTMLButtonElement;
      expect(button.tabIndex).to.equal(0);
      const spy = sinon.spy();
      el.addEventListener('rtc-retry', spy);
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(button);
      const event = oneEvent(el, 'rtc-retry');
      await sendKeys({ press: 'Enter' });
      await event;
      expect(spy.calledOnce).to.equal(true);
    });

    it('has no button unless retryable', async () => {
      const el = await overlayWith(RtcError.of('WebSocketNotConnected'), false);
      expect(part(el, 'retry-button')).to.equal(null);
      el.retryable = true;
      await el.updateComplete;
      expect(part(el, 'retry-button')).not.to.equal(null);
    });

    it('has no button for an error that retrying cannot fix', async () => {
      const el = await overlayWith(RtcError.of('unauthorized_access'), true);
      expect(part(el, 'retry-button')).to.equal(null);
    });
  });

  describe('slots', () => {
    it('lets the page replace the message of one code', async () => {
      const el = await fixture<RtcErrorOverlay>(
        html`<rtc-error-overlay .error=${RtcError.of('NotAllowedError')}><span slot="error-NotAllowedError">Please press Allow.</span></rtc-error-overlay>`,
      );
      const span = el.querySelector('span')!;
      const slot = part(el, 'overlay-message')!.querySelector('slot')!;
      expect(slot.name).to.equal('error-NotAllowedError');
      // The replacement shows instead of the built-in text (the fallback is not rendered).
      expect(slot.assignedNodes({ flatten: true })).to.deep.equal([span]);
      expect(span.getBoundingClientRect().height).to.be.greaterThan(0);

      el.error = RtcError.of('NotFoundError');
      await el.updateComplete;
      const other = part(el, 'overlay-message')!.querySelector('slot')!;
      expect(other.assignedElements()).to.deep.equal([]);
      expect(
        other
          .assignedNodes({ flatten: true })
          .map((n) => n.textContent)
          .join(''),
      ).to.equal(MESSAGES.NotFoundError.message);
      expect(span.getBoundingClientRect().height).to.equal(0);
    });
  });

  describe('catalog', () => {
    const codes = Object.keys(ERROR_CATALOG);

    it('covers every catalog code, and unknown codes get the generic wording', () => {
      expect(codes.length).to.be.greaterThan(50);
      expect(Object.keys(MESSAGES).sort()).to.deep.equal([...codes].sort());
      expect(messageFor('no_such_code')).to.deep.equal(GENERIC_MESSAGE);
      expect(GENERIC_MESSAGE.title).to.not.equal('');
    });

    for (const code of codes) {
      it(`shows readable wording for ${code}`, async () => {
        const entry = (MESSAGES as Record<string, { title: string; message: string }>)[code]!;
        expect(entry.title, 'title').to.match(/^[A-Z][^<>]{5,60}$/);
        expect(entry.message, 'message').to.match(/^[A-Z][^<>]{10,140}[.!]$/);
        const el = await overlayWith(RtcError.of(code));
        expect(text(el, 'overlay-title')).to.equal(entry.title);
        expect(text(el, 'overlay-message')).to.equal(entry.message);
        expect(el.shadowRoot!.textContent, 'no raw code').not.to.contain(code);
      });
    }
  });
});
