// <rtc-publisher> before going live (the device check: preview, camera and microphone menus,
// level meter, Go live) and live (badge, stats, control bar), against the real embedded server
// with Chromium's fake camera and microphones (one camera, three microphones): what the check
// chooses is what the session sends, names never cut, the geometry at 240, 390 and 1280 px, axe
// and the keyboard in each state, auto-publish never held up by the check. Screenshots go to
// test-output/screenshots/.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../src/define.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { STRINGS } from '../../../src/elements/device-check/strings.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';

const q = <T extends Element = HTMLElement>(el: RtcPublisher, sel: string): T => el.shadowRoot!.querySelector<T>(sel)!;
const part = <T extends Element = HTMLElement>(el: RtcPublisher, name: string): T => q<T>(el, `[part~="${name}"]`);
const frames = (el: RtcPublisher): number => part<HTMLVideoElement>(el, 'video').getVideoPlaybackQuality().totalVideoFrames;
const focused = (el: RtcPublisher): string => el.shadowRoot!.activeElement?.getAttribute('part') ?? '';
const media = (el: RtcPublisher): { stream: MediaStream | null } => (el as unknown as { media: { stream: MediaStream | null } }).media;
const sent = (el: RtcPublisher, kind: string): MediaStreamTrack =>
  (el as unknown as { session: { session: { pc: RTCPeerConnection } } }).session.session.pc.getSenders().find((s) => s.track?.kind === kind)!.track!;

const shot = async (el: RtcPublisher, name: string): Promise<void> => {
  const r = el.getBoundingClientRect();
  await executeServerCommand('rtc-server', { action: 'screenshot', name, clip: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height } });
};

/** Every visible box of the shadow root lies inside the host's box. */
const insideHost = (el: RtcPublisher, where: string): void => {
  const h = el.getBoundingClientRect();
  for (const x of el.shadowRoot!.querySelectorAll<HTMLElement>('[part]')) {
    const r = x.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const what = `${x.getAttribute('part')} ${where}: ${JSON.stringify(r)} in ${JSON.stringify(h)}`;
    expect(r.left, what).to.be.at.least(h.left - 0.5);
    expect(r.top, what).to.be.at.least(h.top - 0.5);
    expect(r.right, what).to.be.at.most(h.right + 0.5);
    expect(r.bottom, what).to.be.at.most(h.bottom + 0.5);
  }
};

const overlap = (a: DOMRect, b: DOMRect): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The width of the widest option's text in `select`'s font. */
const textWidth = (select: HTMLSelectElement): number => {
  const g = document.createElement('canvas').getContext('2d')!;
  const style = getComputedStyle(select);
  g.font = `${style.fontSize} ${style.fontFamily}`;
  return Math.max(...[...select.options].map((o) => g.measureText(o.text).width));
};

describe('<rtc-publisher> device check', () => {
  let els: RtcPublisher[] = [];
  const mount = async (width: number, attrs: { autoPublish?: boolean } = {}): Promise<RtcPublisher> => {
    await setViewport({ width: width + 40, height: 1000 });
    const el = await fixture<RtcPublisher>(
      html`<rtc-publisher server-url=${ws} stream-id=${unique('check')} ?auto-publish=${!!attrs.autoPublish} style=${`width:${width}px`}></rtc-publisher>`,
    );
    els.push(el);
    return el;
  };
  const checked = async (el: RtcPublisher): Promise<void> => {
    await poll(() => frames(el) > 0, 10_000, 'the camera preview');
    await poll(() => part<HTMLSelectElement>(el, 'mic-select')?.options.length === 3, 5000, 'three microphones listed');
    await el.updateComplete;
  };

  afterEach(async () => {
    await Promise.all(els.map((p) => p.stop()));
    for (const p of els) p.remove();
    els = [];
    await setViewport({ width: 800, height: 600 });
  });

  it('before going live: the preview, camera and microphone menus with full names, a level meter that moves with the microphone, one Go live; inside the host at every width; accessible', async function () {
    (this as { timeout(ms: number): void }).timeout(40_000);
    const el = await mount(1280);
    await checked(el);
    const [cam, mic] = [part<HTMLSelectElement>(el, 'camera-select'), part<HTMLSelectElement>(el, 'mic-select')];
    expect([...cam.options].map((o) => o.text)).to.deep.equal(['fake_device_0']);
    expect([...mic.options].map((o) => o.text)).to.deep.equal(['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2']);
    // Labelled menus, one Go live, no control bar over the preview yet.
    expect(q(el, 'label[for="camera-select"]').textContent!.trim()).to.equal(STRINGS.camera);
    expect(q(el, 'label[for="mic-select"]').textContent!.trim()).to.equal(STRINGS.microphone);
    expect(part(el, 'start-button').textContent!.trim()).to.equal('Go live');
    expect(part(el, 'device-check').querySelectorAll('[part~="start-button"]')).to.have.length(1);
    expect(part(el, 'controls')).to.equal(null);

    // The meter follows the fake microphone's beeps; muted, it falls silent.
    await poll(() => Number(part(el, 'mic-level').getAttribute('aria-valuenow')) > 0, 5000, 'the meter moving');
    part<HTMLButtonElement>(el, 'mic-button').click();
    await poll(() => part(el, 'mic-level').getAttribute('aria-valuenow') === '0', 3000, 'a silent meter while muted');
    part<HTMLButtonElement>(el, 'mic-button').click();
    await poll(() => Number(part(el, 'mic-level').getAttribute('aria-valuenow')) > 0, 5000, 'the meter moving again');

    for (const width of [1280, 390, 240]) {
      await setViewport({ width: width + 40, height: 1000 });
      el.style.width = `${width}px`;
      await el.updateComplete;
      // Names never cut: each menu is wider than its longest name (padding and arrow aside), and the full name is its tooltip.
      for (const select of [cam, mic]) {
        const style = getComputedStyle(select);
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
        expect(room, `${select.id} at ${width} px`).to.be.at.least(textWidth(select));
        expect(select.title).to.equal(select.selectedOptions[0]!.text);
      }
      insideHost(el, `at ${width} px`);
      // The preview keeps its 16:9 above the check.
      const v = part(el, 'video').getBoundingClientRect();
      expect(v.width / v.height, `preview at ${width} px`).to.be.closeTo(16 / 9, 0.02);
      expect(part(el, 'device-check').getBoundingClientRect().top).to.be.at.least(v.bottom - 0.5);
      await shot(el, `publisher-check-${width}`);
    }
    await expect(el).to.be.accessible();
  });

  it('a microphone and the camera chosen in the check, and the camera turned off there, carry into the live session', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const el = await mount(800);
    await checked(el);
    const mic = part<HTMLSelectElement>(el, 'mic-select');
    const chosen = mic.options[2]!.value;
    mic.value = chosen;
    mic.dispatchEvent(new Event('change'));
    await poll(() => media(el).stream?.getAudioTracks()[0]?.getSettings().deviceId === chosen, 5000, 'the preview on the chosen microphone');
    await el.updateComplete;
    expect(part<HTMLSelectElement>(el, 'mic-select').value).to.equal(chosen);
    expect(part<HTMLSelectElement>(el, 'mic-select').title).to.equal('Fake Audio Input 2');
    const camera = part<HTMLSelectElement>(el, 'camera-select').value;

    // Live: the session sends the chosen microphone and camera, on the preview's own tracks.
    const preview = media(el).stream!;
    part<HTMLButtonElement>(el, 'start-button').click();
    await poll(() => el.state === 'live', 10_000, 'live');
    await el.updateComplete;
    expect(part(el, 'device-check')).to.equal(null);
    expect(sent(el, 'audio').getSettings().deviceId).to.equal(chosen);
    expect(sent(el, 'audio')).to.equal(preview.getAudioTracks()[0]);
    expect(sent(el, 'video').getSettings().deviceId).to.equal(camera);
    // The live bar's menu shows the same microphone, by its full name.
    expect(part<HTMLSelectElement>(el, 'mic-select').value).to.equal(chosen);
    expect(part<HTMLSelectElement>(el, 'mic-select').title).to.equal('Fake Audio Input 2');
    await el.stop();

    // Camera off in the check: live on black frames (no camera device), the toggle still pressed.
    const other = await mount(800);
    await checked(other);
    const cameraTrack = media(other).stream!.getVideoTracks()[0]!;
    part<HTMLButtonElement>(other, 'camera-button').click();
    await poll(() => part(other, 'camera-button').getAttribute('aria-pressed') === 'true', 3000, 'camera off');
    await poll(
      () => cameraTrack.readyState === 'ended' && media(other).stream?.getVideoTracks()[0] !== cameraTrack,
      3000,
      'black frames in the preview, the camera closed',
    );
    part<HTMLButtonElement>(other, 'start-button').click();
    await poll(() => other.state === 'live', 10_000, 'live');
    await other.updateComplete;
    expect(sent(other, 'video')).to.equal(media(other).stream!.getVideoTracks()[0]);
    expect(sent(other, 'video').getSettings().deviceId).not.to.equal(camera);
    expect(part(other, 'camera-button').getAttribute('aria-pressed')).to.equal('true');
  });

  it('every control of the check and of the live bar is reached and worked by keyboard; accessible live', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const el = await mount(1280);
    await checked(el);
    part(el, 'camera-select').focus();
    const pre = [focused(el)];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      pre.push(focused(el));
    }
    expect(pre).to.deep.equal([
      'select camera-select',
      'select mic-select',
      'button mic-button',
      'button camera-button',
      'button screen-button',
      'button start-button',
    ]);
    // A microphone by the keyboard: the arrow key chooses the next one.
    part(el, 'mic-select').focus();
    await sendKeys({ press: 'ArrowDown' });
    const next = part<HTMLSelectElement>(el, 'mic-select').options[1]!.value;
    await poll(() => media(el).stream?.getAudioTracks()[0]?.getSettings().deviceId === next, 5000, 'the next microphone');
    // Enter on Go live.
    part(el, 'start-button').focus();
    await sendKeys({ press: 'Enter' });
    await poll(() => el.state === 'live', 10_000, 'live');
    await el.updateComplete;
    expect(sent(el, 'audio').getSettings().deviceId).to.equal(next);
    await expect(el).to.be.accessible();

    part(el, 'start-button').focus();
    const live = [focused(el)];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      live.push(focused(el));
    }
    expect(live).to.deep.equal([
      'button start-button',
      'button mic-button',
      'button camera-button',
      'button screen-button',
      'button stats-button',
      'select mic-select',
    ]);
    // Enter on Stop: back to the check.
    part(el, 'start-button').focus();
    await sendKeys({ press: 'Enter' });
    await poll(() => el.state === 'stopped', 5000, 'stopped');
    await el.updateComplete;
    expect(part(el, 'device-check')).to.exist;
    expect(part(el, 'start-button').textContent!.trim()).to.equal('Go live');
  });

  it('auto-publish goes live without the check; live at 240, 390 and 1280 px the badge, the stats and the controls stay inside the host, apart', async function () {
    (this as { timeout(ms: number): void }).timeout(40_000);
    const el = await mount(1280, { autoPublish: true });
    let shown = false;
    const seen = new MutationObserver(() => (shown ||= !!part(el, 'device-check')));
    seen.observe(el.shadowRoot!, { childList: true, subtree: true });
    await poll(() => el.state === 'live', 10_000, 'live by itself');
    await poll(() => part(el, 'stats')?.textContent?.includes('fps'), 10_000, 'the stats');
    seen.disconnect();
    expect(shown, 'the check never showed').to.equal(false);
    for (const width of [1280, 390, 240]) {
      await setViewport({ width: width + 40, height: 1000 });
      el.style.width = `${width}px`;
      await el.updateComplete;
      await poll(() => part(el, 'stats')?.textContent?.includes('fps'), 5000, 'the stats');
      insideHost(el, `live at ${width} px`);
      const [badge, stats, controls] = ['live-badge', 'stats', 'controls'].map((n) => part(el, n).getBoundingClientRect()) as [DOMRect, DOMRect, DOMRect];
      expect(overlap(badge, stats), `badge ${JSON.stringify(badge)} stats ${JSON.stringify(stats)} at ${width} px`).to.equal(false);
      expect(overlap(stats, controls), `stats and controls at ${width} px`).to.equal(false);
      // The controls leave most of the picture free.
      expect(controls.height, `controls at ${width} px`).to.be.at.most(el.getBoundingClientRect().height / 2);
      // Below 300 px the Statistics toggle gives its room to the other buttons, as the menus do.
      expect(part(el, 'stats-button').getBoundingClientRect().width > 0, `the Statistics toggle at ${width} px`).to.equal(width > 300);
      const select = part<HTMLSelectElement>(el, 'mic-select');
      if (select && select.getBoundingClientRect().width) {
        expect(select.title).to.equal(select.selectedOptions[0]!.text);
        if (width === 1280) expect(select.clientWidth - 20).to.be.at.least(textWidth(select));
      }
      await shot(el, `publisher-live-${width}`);
    }
  });
});
