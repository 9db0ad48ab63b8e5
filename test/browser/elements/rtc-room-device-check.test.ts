// <rtc-room> before joining (the device check: preview, camera and microphone menus, level meter,
// name, one Join) and its controls by keyboard, against the real embedded server with Chromium's
// fake camera and microphones (one camera, three microphones). axe in each state.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../../../src/define-room.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { STRINGS } from '../../../src/elements/rtc-room/strings.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { domStrings, ws } from '../../helpers/dom.js';
import { frames } from '../../helpers/room.js';

const q = <T extends Element = HTMLElement>(el: RtcRoom, sel: string): T => el.shadowRoot!.querySelector<T>(sel)!;
const part = <T extends Element = HTMLElement>(el: RtcRoom, name: string): T => q<T>(el, `[part~="${name}"]`);
const localFrames = (el: RtcRoom): number => q<HTMLVideoElement>(el, '.tile[data-participant="local"] video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
/** The shadow root's focused element's part (or tag). */
const focused = (el: RtcRoom): string => {
  const a = el.shadowRoot!.activeElement as HTMLElement | null;
  return a ? a.getAttribute('part') || a.localName : '';
};

const shot = async (el: RtcRoom, name: string): Promise<void> => {
  const r = el.getBoundingClientRect();
  await executeServerCommand('rtc-server', { action: 'screenshot', name, clip: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height } });
};

describe('<rtc-room> device check', () => {
  let rooms: RtcRoom[] = [];
  const mount = async (attrs = ''): Promise<RtcRoom> => {
    const el = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${unique('check')} stream-name="Ada Lovelace"></rtc-room>`);
    if (attrs) el.setAttribute(attrs, '');
    rooms.push(el);
    return el;
  };

  afterEach(async () => {
    await Promise.all(rooms.map((r) => r.leave()));
    for (const r of rooms) r.remove();
    rooms = [];
    await setViewport({ width: 800, height: 600 });
  });

  it('before joining: the preview, camera and microphone menus with full names, a level meter that moves with the microphone, the name, one Join; accessible', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const el = await mount();
    await poll(() => localFrames(el) > 0, 10_000, 'the camera preview');
    await poll(() => part<HTMLSelectElement>(el, 'mic-select')?.options.length === 3, 5000, 'three microphones listed');
    const [cam, mic] = [part<HTMLSelectElement>(el, 'camera-select'), part<HTMLSelectElement>(el, 'mic-select')];
    expect([...cam.options].map((o) => o.text)).to.deep.equal(['fake_device_0']);
    expect([...mic.options].map((o) => o.text)).to.deep.equal(['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2']);
    // One Join button, no control bar, the name filled in.
    expect([...el.shadowRoot!.querySelectorAll('button')].filter((b) => b.textContent!.trim() === STRINGS.join)).to.have.length(1);
    expect(q(el, '.bar')).to.equal(null);
    expect(part<HTMLInputElement>(el, 'name-input').value).to.equal('Ada Lovelace');

    // The level meter follows the fake microphone's beeps: it rises and falls.
    const levels: number[] = [];
    for (let i = 0; i < 30; i++) {
      levels.push(Number(part(el, 'mic-level').getAttribute('aria-valuenow')));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Math.max(...levels), `levels ${levels.join(',')}`).to.be.at.least(30);
    expect(Math.max(...levels) - Math.min(...levels), `levels ${levels.join(',')}`).to.be.at.least(20);
    // Muted: the meter drops to nothing.
    part<HTMLButtonElement>(el, 'mic-button').click();
    await poll(() => part(el, 'mic-level').getAttribute('aria-valuenow') === '0', 3000, 'a silent meter while muted');
    part<HTMLButtonElement>(el, 'mic-button').click();

    // Device names are never cut off: each menu is wider than its longest name, at every width; the full name is its tooltip.
    for (const width of [1280, 390, 240]) {
      await setViewport({ width: width + 40, height: 900 });
      el.style.width = `${width}px`;
      await el.updateComplete;
      for (const select of [cam, mic]) {
        const g = document.createElement('canvas').getContext('2d')!;
        const style = getComputedStyle(select);
        g.font = `${style.fontSize} ${style.fontFamily}`;
        const text = Math.max(...[...select.options].map((o) => g.measureText(o.text).width));
        // Padding and the arrow.
        expect(select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20, `${select.id} at ${width} px`).to.be.at.least(text);
        expect(select.title).to.equal(select.selectedOptions[0]!.text);
      }
      expect(el.shadowRoot!.querySelector('.check')!.getBoundingClientRect().right).to.be.at.most(el.getBoundingClientRect().right + 0.5);
      await shot(el, `room-prejoin-${width}`);
    }
    await expect(el).to.be.accessible();
  });

  it('a microphone, the camera off and the name chosen in the check carry into the live session', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const el = await mount();
    await poll(() => part<HTMLSelectElement>(el, 'mic-select')?.options.length === 3, 5000, 'three microphones listed');
    const mic = part<HTMLSelectElement>(el, 'mic-select');
    const chosen = mic.options[2]!.value;
    mic.value = chosen;
    mic.dispatchEvent(new Event('change'));
    const media = (el as unknown as { media: { stream: MediaStream | null } }).media;
    await poll(() => media.stream?.getAudioTracks()[0]?.getSettings().deviceId === chosen, 5000, 'the preview on the chosen microphone');
    await el.updateComplete;
    expect(part<HTMLSelectElement>(el, 'mic-select').value).to.equal(chosen);
    part<HTMLButtonElement>(el, 'camera-button').click();
    await poll(() => part(el, 'camera-button').getAttribute('aria-pressed') === 'true', 3000, 'camera off');
    const name = part<HTMLInputElement>(el, 'name-input');
    name.value = 'Grace Hopper';
    name.dispatchEvent(new Event('change'));

    await part<HTMLButtonElement>(el, 'join-button').click();
    await poll(() => el.state === 'live', 10_000, 'live');
    await el.updateComplete;
    // The publish sends the chosen microphone; the camera stays off; the name is the stream name.
    const pc = (el as unknown as { session: { session: { pc: RTCPeerConnection } } }).session.session.pc;
    const audio = pc.getSenders().find((s) => s.track?.kind === 'audio')!.track!;
    expect(audio.getSettings().deviceId).to.equal(chosen);
    expect(part(el, 'camera-button').getAttribute('aria-pressed')).to.equal('true');
    expect(el.streamName).to.equal('Grace Hopper');
    expect(q(el, '.tile[data-participant="local"] .label').textContent).to.equal('Grace Hopper');
    expect(q(el, '.tile[data-participant="local"] .placeholder')).to.exist;
  });

  it('every control is reached and worked by keyboard, before joining and joined; accessible joined and with the chat open', async function () {
    (this as { timeout(ms: number): void }).timeout(40_000);
    const el = await mount();
    await poll(() => localFrames(el) > 0, 10_000, 'the camera preview');
    await poll(() => part<HTMLSelectElement>(el, 'mic-select')?.options.length === 3, 5000, 'microphones listed');
    // Tab order before joining.
    part(el, 'name-input').focus();
    const pre: string[] = [focused(el)];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      pre.push(focused(el));
    }
    expect(pre).to.deep.equal(['name-input', 'select camera-select', 'select mic-select', 'button mic-button', 'button camera-button', 'button join-button']);
    // Space on the microphone toggle, Enter on Join.
    part(el, 'mic-button').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(part(el, 'mic-button').getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ press: 'Space' });
    part(el, 'join-button').focus();
    await sendKeys({ press: 'Enter' });
    await poll(() => el.state === 'live', 10_000, 'live');

    // A second participant, so that tiles have pin buttons.
    const other = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${el.roomId} stream-name="Grace Hopper"></rtc-room>`);
    rooms.push(other);
    await other.join();
    await poll(() => el.participantIds.length === 1 && frames(el, el.participantIds[0]!) > 0, 20_000, 'the other participant');
    await el.updateComplete;
    await expect(el).to.be.accessible();

    // Tab order joined: the pins of the tiles, then the control bar.
    part(el, 'pin-button').focus();
    const live: string[] = [focused(el)];
    for (let i = 0; i < 7; i++) {
      await sendKeys({ press: 'Tab' });
      live.push(focused(el));
    }
    expect(live).to.deep.equal([
      'pin-button',
      'pin-button',
      'button mic-button',
      'button camera-button',
      'button screen-button',
      'button chat-button',
      'button fullscreen-button',
      'button leave-button',
    ]);

    // Pin by keyboard: the pinned tile comes first (grid).
    const remote = el.participantIds[0]!;
    q(el, `.tile[data-participant="${remote}"] .pin`).focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(q(el, `.tile[data-participant="${remote}"]`).part.contains('pinned-tile')).to.equal(true);
    expect(q(el, `.tile[data-participant="${remote}"]`).style.gridArea).to.match(/^1 \/ 1/);
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(q(el, '[part~="pinned-tile"]')).to.equal(null);

    // The chat by keyboard: Enter opens it with the focus in the field, Enter sends, Escape closes it back onto the chat button.
    part(el, 'chat-button').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await poll(() => focused(el) === 'chat-input', 2000, 'focus in the message field');
    await sendKeys({ type: 'hello by keyboard' });
    await sendKeys({ press: 'Enter' });
    await poll(() => q(el, '.log').textContent!.includes('hello by keyboard'), 3000, 'the message');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('button send-button');
    await sendKeys({ press: 'Escape' });
    await poll(() => focused(el) === 'button chat-button', 2000, 'focus back on the chat button');
    expect(part(el, 'chat').hidden).to.equal(true);

    // Full screen: the whole room.
    part(el, 'fullscreen-button').focus();
    await sendKeys({ press: 'Enter' });
    await poll(() => document.fullscreenElement === el, 3000, 'the room in full screen');
    // The button follows fullscreenchange, which Chromium fires a frame after fullscreenElement changes.
    await poll(() => part(el, 'fullscreen-button').getAttribute('aria-pressed') === 'true', 3000, 'the toggle pressed');
    await sendKeys({ press: 'Enter' });
    await poll(() => document.fullscreenElement === null, 3000, 'out of full screen');

    // Leave by keyboard: back to the check, the camera released.
    part(el, 'leave-button').focus();
    await sendKeys({ press: 'Enter' });
    await poll(() => el.state === 'stopped', 5000, 'left');
    await el.updateComplete;
    expect(part(el, 'join-button').textContent!.trim()).to.equal(STRINGS.join);
    expect(domStrings(el.shadowRoot!)).not.to.contain(STRINGS.leave);
  });

  it('a pressed toggle stays pressed-looking under the pointer; every icon button has a name and a tooltip; the focus ring is light on a dark edge', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const el = await mount();
    await el.join();
    await el.updateComplete;
    const mic = part<HTMLButtonElement>(el, 'mic-button');
    const cam = part<HTMLButtonElement>(el, 'camera-button');
    const hover = async (b: HTMLElement): Promise<void> => {
      const r = b.getBoundingClientRect();
      await sendMouse({ type: 'move', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
    };
    const bg = (b: HTMLElement): string => getComputedStyle(b).backgroundColor;
    const plain = bg(mic);
    await hover(cam);
    const plainHover = bg(cam);
    expect(plainHover, 'hover shows').not.to.equal(plain);
    mic.click();
    await el.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    const pressed = bg(mic);
    await hover(mic);
    const pressedHover = bg(mic);
    expect(pressedHover).not.to.equal(plainHover);
    // Still red under the pointer.
    const [r, g] = pressedHover.match(/\d+/g)!.map(Number);
    expect(r, `${pressed} → ${pressedHover}`).to.be.above(200);
    expect(g).to.be.below(120);
    // The tooltip: the action, on hover.
    expect(getComputedStyle(mic, '::after').content).to.equal(`"${STRINGS.unmute}"`);
    await sendMouse({ type: 'move', position: [0, 0] });
    for (const b of el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.bar button')) {
      expect(b.getAttribute('aria-label'), b.getAttribute('part')!).to.be.a('string').and.not.equal('');
      expect(b.dataset.tip, b.getAttribute('part')!).to.be.a('string').and.not.equal('');
    }
    // The focus ring by keyboard: a light outline around a dark edge, visible on light and dark.
    mic.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('button camera-button');
    const style = getComputedStyle(cam);
    expect(style.outlineStyle).to.equal('solid');
    expect(style.outlineWidth).to.equal('3px');
    expect(style.outlineColor).to.equal('rgb(255, 255, 255)');
    expect(style.boxShadow).to.contain('rgb(0, 0, 0)');
  });
});
