// Markup in strings the page does not control renders as text, never as elements: error
// definitions and notification fields from the server (over the real socket), data-channel
// messages from the other side, and attribute values. "Nothing ran" is checked against a control
// image with the same URL: once its load has failed, an injected one would have fired too.
import { expect } from '@open-wc/testing';
import { GENERIC_MESSAGE } from '../../../src/elements/rtc-error-overlay/messages.js';
import { rtcEventName } from '../../../src/events/names.js';
import { uniqueStreamId } from '../../helpers/ams-client.js';
import {
  clearFaults,
  deepQueryAll,
  expectOverlay,
  fault,
  player,
  publisher,
  renderedOverlay,
  unmountAll,
  ws,
  type StreamElement,
} from '../../helpers/matrix.js';

const XSS = '<img src=x onerror=window.__xss=1>';
const xssFlag = (): unknown => (window as { __xss?: unknown }).__xss;

/** Waits until an `<img src=x>` of our own has failed to load: an injected one would have run its onerror by then. */
async function afterImageErrors(): Promise<void> {
  const img = new Image();
  const failed = new Promise((resolve) => img.addEventListener('error', resolve, { once: true }));
  img.src = 'x';
  await failed;
}

/** No element made from the string anywhere in the element's shadow tree, and its handler never ran. */
async function expectInert(el: StreamElement): Promise<void> {
  await renderedOverlay(el);
  expect(deepQueryAll(el.shadowRoot!, 'img'), 'no <img> in the shadow tree').to.have.length(0);
  expect(deepQueryAll(el.shadowRoot!, '[onerror]'), 'no onerror attribute').to.have.length(0);
  await afterImageErrors();
  expect(xssFlag(), 'window.__xss').to.equal(undefined);
}

describe('markup in server, peer and attribute strings renders as text', () => {
  afterEach(async () => {
    unmountAll();
    await clearFaults();
    delete (window as { __xss?: unknown }).__xss;
  });

  it('an error definition from the server (raw frame): the code as data, generic wording, no element', async () => {
    const streamId = uniqueStreamId('xsserr');
    await fault({ command: 'publish', streamId, action: 'raw', text: JSON.stringify({ command: 'error', definition: XSS, streamId }), times: 1 });
    const { el, rec } = publisher(streamId);
    void el.start().catch(() => undefined);
    const e = await rec.error(XSS);
    expect(e.detail.streamId).to.equal(streamId);
    expect(el.getAttribute('error-code'), 'reflected as a plain attribute value').to.equal(XSS);
    const o = await renderedOverlay(el);
    expect(o, 'the overlay shows the unknown error').to.not.equal(null);
    const text = o!.shadowRoot!.querySelector<HTMLElement>('[part~="overlay"]')!.innerText;
    expect(text).to.contain(GENERIC_MESSAGE.title).and.contain(GENERIC_MESSAGE.message);
    expect(text, 'the raw definition is not shown').to.not.contain('onerror');
    await expectInert(el);
  });

  it('notification fields and definitions from the server: passed on as data, nothing rendered', async () => {
    const streamId = uniqueStreamId('xssnote');
    await fault({
      command: 'play',
      streamId,
      action: 'after',
      reply: { command: 'notification', definition: 'streaming_starts_soon', information: XSS },
      times: 1,
    });
    const { el, rec } = player(streamId);
    void el.play().catch(() => undefined);
    const soon = await rec.next('rtc-streaming-starts-soon');
    expect(soon.detail.information).to.equal(XSS);
    await expectInert(el);

    // A definition that is markup itself becomes a harmless event type.
    const other = uniqueStreamId('xssdef');
    await fault({
      command: 'play',
      streamId: other,
      action: 'raw',
      text: JSON.stringify({ command: 'notification', definition: XSS, streamId: other }),
      times: 1,
    });
    const second = player(other);
    const type = rtcEventName(XSS);
    expect(type).to.match(/^rtc-[a-z0-9-]+$/);
    second.rec.listen(type);
    void second.el.play().catch(() => undefined);
    const odd = await second.rec.next(type);
    expect(odd.detail.definition).to.equal(XSS);
    await expectInert(second.el);
  });

  it('a data-channel message from the other side arrives as the same string, nothing rendered', async () => {
    const streamId = uniqueStreamId('xssdata');
    const pub = publisher(streamId, { noAudio: true });
    await pub.el.start();
    const { el, rec } = player(streamId);
    await el.play();
    await rec.next('rtc-data-channel-opened');
    pub.el.sendData(XSS);
    expect((await rec.next('rtc-data-received')).detail.data).to.equal(XSS);
    await expectInert(el);
    await expectInert(pub.el);
  });

  for (const [attribute, code] of [
    ['server-url', 'invalid_server_url'],
    ['stream-id', 'invalid_stream_id'],
  ] as const) {
    it(`a ${attribute} attribute holding markup: ${code} with its own wording, no element`, async () => {
      const { el, rec } = publisher(uniqueStreamId('xssattr'));
      el.setAttribute(attribute, XSS);
      await el.start().catch(() => undefined);
      await rec.error(code);
      await expectOverlay(el, code, false);
      expect(el.shadowRoot!.innerHTML, 'the string is not echoed into the element').to.not.contain('onerror');
      await expectInert(el);
    });
  }

  it('stream-name and token holding markup: published for real, never rendered or kept', async () => {
    const streamId = uniqueStreamId('xssname');
    const { el } = publisher(streamId, { noAudio: true, streamName: XSS });
    el.setAttribute('token', XSS);
    expect(el.hasAttribute('token')).to.equal(false);
    await el.start();
    expect(el.getAttribute('state')).to.equal('live');
    expect(el.shadowRoot!.innerHTML).to.not.contain('onerror');
    await expectInert(el);
    const watcher = player(streamId, { serverUrl: ws });
    await watcher.el.play();
    await expectInert(watcher.el);
  });
});
