// <rtc-player>'s full controls (the lazy chunk src/elements/rtc-player/player-controls.ts) against
// the real embedded server, one fake-camera publisher shared by the suite: fullscreen and
// picture-in-picture requests, the quality menu filled from a fault-injected `streamInformation`
// (several renditions) and applied with `forceStreamQuality`, fading after 3 s (sinon's clock),
// keyboard shortcuts, the volume slider, the stats panel drawn from real stats, accessibility in
// each state, and the geometry at 240, 390 and 1280 px. Screenshots go to test-output/screenshots/
// (git-ignored) for a person to look at.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../../src/define.js';
import { HIDE_AFTER_MS, renditionHeights } from '../../../src/elements/rtc-player/player-controls.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcCallbackEvent } from '../../../src/events/rtc-events.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { fullControls, nameOf, part, ws } from '../../helpers/dom.js';
import { clearFaults, fault } from '../../helpers/matrix.js';

const RENDITIONS = [720, 720, 480, 240].map((h, i) => ({
  streamWidth: Math.round((h * 16) / 9),
  streamHeight: h,
  videoBitrate: h * 2500,
  audioBitrate: 64000,
  videoCodec: i === 1 ? 'h264' : 'vp8',
}));

/** The full controls are rendered (the chunk arrived): the Statistics button is theirs only. */
const ready = fullControls;
const bar = (el: RtcPlayer): HTMLElement => part(el, 'controls')!;
const faded = (el: RtcPlayer): boolean => bar(el).classList.contains('faded');
const videoOf = (el: RtcPlayer): HTMLVideoElement => part(el, 'video') as HTMLVideoElement;
const shown = (e: Element): boolean => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';

/** Clicks `target` with the real mouse (a user gesture, which fullscreen and picture-in-picture need). */
async function click(target: Element): Promise<void> {
  const r = target.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
}

async function shot(el: Element, name: string): Promise<void> {
  const r = el.getBoundingClientRect();
  await executeServerCommand('rtc-server', { action: 'screenshot', name, clip: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height } });
}

describe('<rtc-player> controls', () => {
  let streamId: string;
  let publisher: RtcPublisher;

  before(async () => {
    streamId = uniqueStreamId('controls');
    publisher = document.createElement('rtc-publisher') as RtcPublisher;
    publisher.setAttribute('server-url', ws);
    publisher.setAttribute('stream-id', streamId);
    publisher.noControls = true;
    publisher.style.cssText = 'position:fixed;right:0;bottom:0;width:160px';
    document.body.append(publisher);
    await publisher.start();
  });

  after(async () => {
    await publisher.stop();
    publisher.remove();
    await setViewport({ width: 800, height: 600 });
  });

  afterEach(async () => {
    sinon.restore();
    await clearFaults();
    if (document.fullscreenElement) await document.exitFullscreen();
  });

  /** A player of the suite's stream, live, its video playing and the full controls rendered. */
  async function live(width = 640, extra: Partial<RtcPlayer> = {}): Promise<RtcPlayer> {
    const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} style="width:${width}px"></rtc-player>`);
    Object.assign(el, extra);
    await ready(el);
    await el.play();
    await poll(() => !videoOf(el).paused && videoOf(el).currentTime > 0, 10_000, 'the video playing');
    await el.updateComplete;
    return el;
  }

  describe('happy path', () => {
    it('replaces the basic buttons once the chunk is here: named icon buttons, tooltips that name the shortcuts', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player></rtc-player>`);
      await ready(el);
      const play = part(el, 'play-button')!;
      expect(play.getAttribute('aria-label')).to.equal('Play');
      expect(play.dataset.tip).to.equal('Play (k)');
      expect(play.getAttribute('aria-keyshortcuts')).to.equal('k');
      const mute = part(el, 'mute-button')!;
      expect([mute.getAttribute('aria-label'), mute.dataset.tip, mute.getAttribute('aria-keyshortcuts'), mute.getAttribute('aria-pressed')]).to.deep.equal([
        'Mute',
        'Mute (m)',
        'm',
        'false',
      ]);
      const full = part(el, 'fullscreen-button')!;
      expect([full.getAttribute('aria-label'), full.dataset.tip]).to.deep.equal(['Fullscreen', 'Fullscreen (f)']);
      expect(part(el, 'stats-button')!.getAttribute('aria-label')).to.equal('Statistics');
      expect(part(el, 'volume')!.getAttribute('aria-label')).to.equal('Volume');
      // Not live: no rendition menu, no picture-in-picture yet.
      expect(part(el, 'quality-button')).to.equal(null);
      expect(part(el, 'pip-button')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('follows lang: German labels and tooltips', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player lang="de"></rtc-player>`);
      await ready(el);
      await poll(() => part(el, 'play-button')!.getAttribute('aria-label') !== 'Play', 5000, 'the German table');
      expect(part(el, 'play-button')!.dataset.tip).to.equal('Abspielen (k)');
      expect(part(el, 'mute-button')!.getAttribute('aria-label')).to.equal('Stummschalten');
      expect(part(el, 'volume')!.getAttribute('aria-label')).to.equal('Lautstärke');
    });

    it('fullscreen: the button and f ask for the player host, and leave again', async () => {
      const el = await live();
      const request = sinon.spy(el, 'requestFullscreen');
      const entered = oneEvent(el, 'fullscreenchange');
      await click(part(el, 'fullscreen-button')!);
      await entered;
      expect(request.calledOnce).to.equal(true);
      expect(document.fullscreenElement).to.equal(el);
      await el.updateComplete;
      expect(part(el, 'fullscreen-button')!.getAttribute('aria-label')).to.equal('Exit fullscreen');
      const left = oneEvent(el, 'fullscreenchange');
      await sendKeys({ press: 'f' });
      await left;
      expect(document.fullscreenElement).to.equal(null);
      await el.updateComplete;
      expect(part(el, 'fullscreen-button')!.getAttribute('aria-label')).to.equal('Fullscreen');
    });

    it('picture-in-picture: shown where the browser has it, asks for the video', async () => {
      const el = await live();
      expect(document.pictureInPictureEnabled, 'headless Chromium has picture-in-picture').to.equal(true);
      const pip = part(el, 'pip-button')!;
      expect(pip.getAttribute('aria-label')).to.equal('Picture in picture');
      const request = sinon.spy(HTMLVideoElement.prototype, 'requestPictureInPicture');
      const entered = oneEvent(videoOf(el), 'enterpictureinpicture');
      await click(pip);
      await entered;
      expect(request.calledOnce).to.equal(true);
      expect(request.firstCall.thisValue).to.equal(videoOf(el));
      await el.updateComplete;
      expect(part(el, 'pip-button')!.getAttribute('aria-pressed')).to.equal('true');
      const left = oneEvent(videoOf(el), 'leavepictureinpicture');
      await click(part(el, 'pip-button')!);
      await left;
      await el.updateComplete;
      expect(part(el, 'pip-button')!.getAttribute('aria-pressed')).to.equal('false');
    });

    it('quality: Auto and one item per rendition the server lists; a choice goes to the server as forceStreamQuality', async () => {
      await fault({ command: 'getStreamInfo', streamId, reply: { command: 'streamInformation', streamInfo: RENDITIONS } });
      // The server answers the rendition change (this one never transcodes): proof that the command reached it.
      await fault({
        command: 'forceStreamQuality',
        streamId,
        reply: { command: 'notification', definition: 'resolutionChangeInfo', streamHeight: 480 },
        times: 1,
      });
      const sent = sinon.spy(WebSocket.prototype, 'send');
      const el = await live();
      const button = await poll(() => part(el, 'quality-button') ?? undefined, 5000, 'the quality button');
      expect(nameOf(button)).to.equal('Quality: Auto');
      expect([button.getAttribute('aria-haspopup'), button.getAttribute('aria-expanded')]).to.deep.equal(['menu', 'false']);
      await click(button);
      await el.updateComplete;
      const items = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=quality-option]')];
      expect(items.map((i) => i.textContent!.trim())).to.deep.equal(['Auto', '720p', '480p', '240p']);
      expect(items.map((i) => i.getAttribute('aria-checked'))).to.deep.equal(['true', 'false', 'false', 'false']);
      expect(part(el, 'quality-menu')!.querySelector('[role=menu]')!.getAttribute('aria-label')).to.equal('Quality');
      expect(el.shadowRoot!.activeElement === items[0], 'the checked item has focus').to.equal(true);
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      await expect(el).to.be.accessible();
      // By keyboard: down to 480p, Enter.
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('480p');
      const changed = oneEvent(el, 'rtc-resolution-change-info');
      await sendKeys({ press: 'Enter' });
      expect(((await changed) as RtcCallbackEvent).detail.streamHeight).to.equal(480);
      const frames = sent.args.map(([f]) => JSON.parse(String(f)) as Record<string, unknown>).filter((f) => f.command === 'forceStreamQuality');
      expect(frames).to.deep.equal([{ command: 'forceStreamQuality', streamId, streamHeight: 480 }]);
      await el.updateComplete;
      expect(part(el, 'quality-menu')).to.equal(null);
      expect(nameOf(part(el, 'quality-button'))).to.equal('Quality: 480p');
      expect(el.shadowRoot!.activeElement === part(el, 'quality-button'), 'focus back on the button').to.equal(true);
      // Open again: 480p is checked; Escape closes; a press outside closes too.
      await sendKeys({ press: 'ArrowUp' });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('480p');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(part(el, 'quality-menu')).to.equal(null);
      await click(part(el, 'quality-button')!);
      await el.updateComplete;
      expect(part(el, 'quality-menu')).to.not.equal(null);
      await click(videoOf(el));
      await el.updateComplete;
      expect(part(el, 'quality-menu')).to.equal(null);
      // Auto again.
      await click(part(el, 'quality-button')!);
      await el.updateComplete;
      await click(el.shadowRoot!.querySelector('[part~=quality-option]')!);
      expect(
        sent.args
          .map(([f]) => JSON.parse(String(f)) as Record<string, unknown>)
          .filter((f) => f.command === 'forceStreamQuality')
          .at(-1)!.streamHeight,
      ).to.equal(0);
    });

    it('quality: no menu for a stream with one rendition (what this server reports)', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId}></rtc-player>`);
      const info = oneEvent(el, 'rtc-stream-information');
      await ready(el);
      await el.play();
      expect(((await info) as RtcCallbackEvent).detail.streamInfo).to.have.length(1);
      await el.updateComplete;
      expect(part(el, 'quality-button')).to.equal(null);
    });

    it('keyboard shortcuts while the player has focus: m mutes, k and space stop and play, f fullscreen; not from outside', async () => {
      const el = await live();
      await click(videoOf(el));
      expect(el.shadowRoot!.activeElement === part(el, 'base'), 'a click on the video focuses the player').to.equal(true);
      await sendKeys({ press: 'm' });
      await el.updateComplete;
      expect([el.muted, el.hasAttribute('muted'), videoOf(el).muted]).to.deep.equal([true, true, true]);
      expect(part(el, 'mute-button')!.dataset.tip).to.equal('Unmute (m)');
      await sendKeys({ press: 'm' });
      await el.updateComplete;
      expect(el.muted).to.equal(false);
      await sendKeys({ press: 'k' });
      await poll(() => el.state === 'stopped', 5000, 'stopped');
      await sendKeys({ press: 'Space' });
      await poll(() => el.state === 'live', 10_000, 'live again');
      const entered = oneEvent(el, 'fullscreenchange');
      await sendKeys({ press: 'f' });
      await entered;
      expect(document.fullscreenElement).to.equal(el);
      await document.exitFullscreen();
      // Space on a focused button is the button's own: the mute button mutes, playing goes on.
      part(el, 'mute-button')!.focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect([el.muted, el.state]).to.deep.equal([true, 'live']);
      // Focus outside the player: its shortcuts are not heard.
      const outside = document.createElement('button');
      document.body.append(outside);
      outside.focus();
      await sendKeys({ press: 'm' });
      await sendKeys({ press: 'k' });
      await el.updateComplete;
      expect([el.muted, el.state]).to.deep.equal([true, 'live']);
      outside.remove();
    });

    it('every control is reachable and operable by keyboard, in order', async () => {
      await fault({ command: 'getStreamInfo', streamId, reply: { command: 'streamInformation', streamInfo: RENDITIONS } });
      const el = await live();
      await poll(() => part(el, 'quality-button') ?? undefined, 5000, 'the quality button');
      const before = document.createElement('button');
      el.before(before);
      before.focus();
      const order: string[] = [];
      for (let i = 0; i < 7; i++) {
        await sendKeys({ press: 'Tab' });
        order.push(el.shadowRoot!.activeElement?.getAttribute('part') ?? '');
      }
      expect(order).to.deep.equal([
        'button play-button',
        'button mute-button',
        'volume',
        'button quality-button',
        'button stats-button',
        'button pip-button',
        'button fullscreen-button',
      ]);
      // Enter on Statistics opens the panel.
      part(el, 'stats-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.stats).to.equal(true);
      before.remove();
    });

    it('the volume slider sets the volume; down to nothing mutes, up again unmutes', async () => {
      const el = await live();
      const slider = part(el, 'volume') as HTMLInputElement;
      const slide = async (value: string): Promise<void> => {
        slider.value = value;
        slider.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        await el.updateComplete;
      };
      await slide('0.4');
      expect([videoOf(el).volume, el.muted]).to.deep.equal([0.4, false]);
      await slide('0');
      expect(el.muted).to.equal(true);
      await slide('0.65');
      expect([videoOf(el).volume, el.muted]).to.deep.equal([0.65, false]);
      // Muting shows the slider at nothing; unmuting puts it back.
      part(el, 'mute-button')!.click();
      await el.updateComplete;
      expect(slider.value).to.equal('0');
      part(el, 'mute-button')!.click();
      await el.updateComplete;
      expect(slider.value).to.equal('0.65');
    });
  });

  describe('fading', () => {
    it('fades 3 s after the last pointer move; back on a move, a tap or keyboard focus; kept while a menu is open or stopped', async () => {
      await fault({ command: 'getStreamInfo', streamId, reply: { command: 'streamInformation', streamInfo: RENDITIONS } });
      const el = await live();
      await poll(() => part(el, 'quality-button') ?? undefined, 5000, 'the quality button');
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
      const move = async (type = 'pointermove', target: Element = el): Promise<void> => {
        target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true }));
        await el.updateComplete;
      };
      const after = async (ms: number): Promise<boolean> => {
        clock.tick(ms);
        await el.updateComplete;
        return faded(el);
      };
      await move();
      expect(await after(HIDE_AFTER_MS - 1)).to.equal(false);
      expect(await after(1)).to.equal(true);
      expect(getComputedStyle(bar(el)).pointerEvents, 'a tap on faded controls reaches the video').to.equal('none');
      await move();
      expect(faded(el)).to.equal(false);
      expect(await after(HIDE_AFTER_MS)).to.equal(true);
      // A tap on the video.
      await move('pointerdown', videoOf(el));
      expect(faded(el)).to.equal(false);
      expect(await after(HIDE_AFTER_MS)).to.equal(true);
      // Keyboard focus in the bar brings it back and keeps it.
      part(el, 'stats-button')!.focus({ focusVisible: true } as FocusOptions);
      await el.updateComplete;
      expect(part(el, 'stats-button')!.matches(':focus-visible')).to.equal(true);
      expect(faded(el)).to.equal(false);
      expect(await after(HIDE_AFTER_MS * 2)).to.equal(false);
      part(el, 'stats-button')!.blur();
      await move();
      expect(await after(HIDE_AFTER_MS)).to.equal(true);
      // An open menu keeps it.
      await move();
      part(el, 'quality-button')!.click();
      await el.updateComplete;
      expect(await after(HIDE_AFTER_MS * 2)).to.equal(false);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      (el.shadowRoot!.activeElement as HTMLElement | null)?.blur();
      expect(await after(HIDE_AFTER_MS)).to.equal(true);
      clock.restore();
      // Stopped: shown at once, and kept.
      await el.stop();
      await el.updateComplete;
      expect(faded(el)).to.equal(false);
    });

    it('fades with an opacity transition, none when the viewer prefers reduced motion', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player></rtc-player>`);
      await ready(el);
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      expect(getComputedStyle(bar(el)).transitionDuration).to.equal(reduced ? '0s' : '0.2s');
      const sheet = [...el.shadowRoot!.adoptedStyleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText);
      expect(sheet.some((r) => r.startsWith('@media (prefers-reduced-motion: reduce)') && r.includes('transition: none'))).to.equal(true);
    });
  });

  describe('stats', () => {
    it('the Statistics button opens the panel and plots real stats of the last 60 s; it closes again', async () => {
      const el = await live();
      const button = part(el, 'stats-button')!;
      await click(button);
      await el.updateComplete;
      expect([el.stats, el.hasAttribute('stats'), button.getAttribute('aria-pressed')]).to.deep.equal([true, true, 'true']);
      const panel = part(el, 'stats-panel')!;
      const rows = [...panel.querySelectorAll('.stats-row')];
      expect(rows.map((r) => r.querySelector('.stats-label')!.textContent)).to.deep.equal([
        'Bitrate',
        'Frames per second',
        'Packet loss',
        'Round trip',
        'Jitter',
      ]);
      // A sample a second (a single one is drawn as a short stroke of two points).
      await poll(() => (panel.querySelector('polyline')?.getAttribute('points')?.split(' ').length ?? 0) >= 3, 10_000, 'three samples plotted');
      const value = (i: number): string => rows[i]!.querySelector('.stats-value')!.textContent!;
      expect(value(0)).to.match(/^\d+ kbps$/);
      expect(parseInt(value(0), 10)).to.be.greaterThan(0);
      expect(value(1)).to.match(/^\d+ fps$/);
      await expect(el).to.be.accessible();
      await click(button);
      await el.updateComplete;
      expect([el.stats, el.hasAttribute('stats'), part(el, 'stats-panel')]).to.deep.equal([false, false, null]);
    });

    it('the stats attribute opens it from markup, with no-controls too', async () => {
      const el = await fixture<RtcPlayer>(html`<rtc-player stats no-controls></rtc-player>`);
      await poll(() => part(el, 'stats-panel') ?? undefined, 5000, 'the panel');
      expect(part(el, 'controls')).to.equal(null);
      expect(part(el, 'stats-panel')!.querySelectorAll('.stats-value')[0]!.textContent).to.equal('–');
    });
  });

  describe('state', () => {
    it('accessible while waiting and failed; the controls stay shown and usable', async () => {
      const waiting = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${uniqueStreamId('nobody')}></rtc-player>`);
      await ready(waiting);
      const wait = oneEvent(waiting, 'rtc-waiting');
      void waiting.play().catch(() => undefined);
      await wait;
      await waiting.updateComplete;
      expect(faded(waiting)).to.equal(false);
      expect(nameOf(part(waiting, 'play-button'))).to.equal('Stop');
      await expect(waiting).to.be.accessible();
      await waiting.stop();
      const failed = await fixture<RtcPlayer>(html`<rtc-player server-url="ftp://x" stream-id="x"></rtc-player>`);
      await ready(failed);
      await failed.play().catch(() => undefined);
      await failed.updateComplete;
      expect(failed.shadowRoot!.querySelector('rtc-error-overlay')).to.not.equal(null);
      await expect(failed).to.be.accessible();
    });
  });

  describe('geometry', () => {
    /** What is wrong with the controls' geometry now; [] when nothing is. */
    function problems(el: RtcPlayer, minTarget: number): string[] {
      const out: string[] = [];
      const host = el.getBoundingClientRect();
      const inside = (r: DOMRect, box: DOMRect): boolean =>
        r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
      const b = bar(el).getBoundingClientRect();
      if (!inside(b, host)) out.push('the bar is outside the host');
      const controls = [...bar(el).querySelectorAll<HTMLElement>('button,input')].filter(shown);
      const rects = controls.map((c) => c.getBoundingClientRect());
      controls.forEach((c, i) => {
        const name = c.getAttribute('part')!;
        const r = rects[i]!;
        if (!inside(r, b)) out.push(`${name} is outside the bar`);
        if (r.height < minTarget || (c.tagName === 'BUTTON' && r.width < minTarget)) out.push(`${name} is ${r.width}×${r.height}`);
        rects.forEach(
          (o, j) => j > i && Math.min(o.right, r.right) - Math.max(o.left, r.left) > 0.5 && out.push(`${name} overlaps ${controls[j]!.getAttribute('part')}`),
        );
      });
      for (const name of ['quality-menu', 'stats-panel']) {
        const p = part(el, name);
        if (p && !inside(p.getBoundingClientRect(), host)) out.push(`${name} is outside the host`);
      }
      return out;
    }

    const visible = (el: RtcPlayer): string[] =>
      [...bar(el).querySelectorAll<HTMLElement>('button,input')].filter(shown).map((c) => c.getAttribute('part')!.replace('button ', ''));

    for (const width of [1280, 390, 240]) {
      it(`at ${width} px: every control inside the host, ${width <= 390 ? '40 px targets, ' : ''}none overlapping; the menu and the panel inside too`, async () => {
        await setViewport({ width: Math.max(width + 40, 480), height: 900 });
        await fault({ command: 'getStreamInfo', streamId, reply: { command: 'streamInformation', streamInfo: RENDITIONS } });
        const el = await live(width);
        await poll(() => part(el, 'quality-button') ?? undefined, 5000, 'the quality button');
        const min = width <= 390 ? 40 : 0;
        const away = (): Promise<void> => sendMouse({ type: 'move', position: [Math.max(width + 30, 470), 890] });
        const poke = async (): Promise<void> => {
          el.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
          await el.updateComplete;
        };
        expect(problems(el, min)).to.deep.equal([]);
        expect(visible(el)).to.deep.equal(
          width === 240
            ? ['play-button', 'mute-button', 'quality-button', 'stats-button', 'fullscreen-button']
            : ['play-button', 'mute-button', 'volume', 'quality-button', 'stats-button', 'pip-button', 'fullscreen-button'],
        );
        const shoot = width !== 240;
        await away();
        await poke();
        if (shoot) await shot(el, `player-${width}-live`);
        await click(part(el, 'quality-button')!);
        await el.updateComplete;
        expect(problems(el, min)).to.deep.equal([]);
        await away();
        if (shoot) await shot(el, `player-${width}-quality-menu`);
        await sendKeys({ press: 'Escape' });
        await click(part(el, 'stats-button')!);
        await poll(() => (part(el, 'stats-panel')?.querySelector('polyline')?.getAttribute('points')?.split(' ').length ?? 0) >= 3, 10_000, 'three samples');
        expect(problems(el, min)).to.deep.equal([]);
        await away();
        await poke();
        (el.shadowRoot!.activeElement as HTMLElement | null)?.blur();
        await el.updateComplete;
        if (shoot) await shot(el, `player-${width}-stats`);
      });
    }
  });
});

describe('renditionHeights', () => {
  it('distinct positive heights, highest first; anything else is ignored', () => {
    expect(renditionHeights(RENDITIONS)).to.deep.equal([720, 480, 240]);
    expect(renditionHeights([{ streamHeight: '360' }, { streamHeight: -1 }, null, { streamHeight: 144.7 }, {}])).to.deep.equal([360, 144]);
    expect(renditionHeights('720')).to.deep.equal([]);
    expect(HIDE_AFTER_MS).to.equal(3000);
  });
});
