/**
 * The player's full controls, a chunk of its own (`dist/player-controls.js`) that `<rtc-player>`
 * fetches when it is first connected: play/stop, mute and volume, the quality menu (the server's
 * renditions, `getStreamInfo` → `streamInformation`, applied with `forceStreamQuality`), the stats
 * panel, picture-in-picture and fullscreen; the keyboard shortcuts (space or k, m, f) while the
 * player or something in it has focus; controls that fade after `HIDE_AFTER_MS` without pointer
 * movement or keyboard focus and come back on a move, a tap or focus. Until it arrives (or if it
 * cannot be fetched) the player shows its basic play/stop and mute buttons. It renders into the
 * player's shadow root (parts and styles are the player's) and adopts its styles there. No DOM
 * access at import time.
 * @internal
 */
import { adoptStyles, css, html, nothing, svg, type LitElement, type ReactiveController, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { RtcStats } from '../../core/stats.js';
import type { PlaySession } from '../../core/session/play-session.js';
import type { SessionController } from '../../controllers/session-controller.js';
import { statsPanel, statsPanelStyles, WINDOW } from '../stats-panel/stats-panel.js';
import { speakerIcon } from './icons.js';
import type { SessionState } from '../../core/session/types.js';

/** Without pointer movement or keyboard focus in the bar for this long, a playing player's controls fade. */
export const HIDE_AFTER_MS = 3000;

/** What the controls use of `<rtc-player>`'s public API (no import of the element: no cycle). */
export interface PlayerElement extends LitElement {
  readonly state: SessionState;
  stats: boolean;
  readonly noControls: boolean;
  t(english: string): string;
  getStats(): Promise<RtcStats>;
  setQuality(height: number): void;
}

/** What the player lends its controls (its private state and actions stay its own). */
export interface PlayerControlsHost {
  readonly element: PlayerElement;
  readonly session: SessionController<PlaySession>;
  /** Muted by the viewer or by the autoplay fallback. */
  muted(): boolean;
  /** Waiting for the stream to go live. */
  waiting(): boolean;
  togglePlay(): void;
  toggleMute(): void;
}

/** A line chart (the Statistics toggle; the publisher's, in the device check's chunk, draws the same). */
const CHART = 'M4 19h16v2H2V3h2zm2-3 4-6 4 3 5-8 1.7 1-6.2 10-4-3-2.8 4.2z';
const icon = (d: string): SVGTemplateResult => svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d} /></svg>`;
const PLAY = 'M8 5v14l11-7z';
const STOP = 'M6 6h12v12H6z';
const FULL = 'M5 5h5v2H7v3H5zm9 0h5v5h-2V7h-3zM5 14h2v3h3v2H5zm12 0h2v5h-5v-2h3z';
const EXIT_FULL = 'M8 5h2v5H5V8h3zm6 0h2v3h3v2h-5zM5 14h5v5H8v-3H5zm9 0h5v2h-3v3h-2z';
const PIP = 'M3 5h18v14H3zm2 2v10h14V7zm6 5h7v4h-7z';
/** A gear: eight teeth around a hole (drawn the other way round, so it stays empty). */
const QUALITY =
  'M19.2 9.5 21.8 10.1 21.8 13.9 19.2 14.5 18.8 15.3 20.3 17.6 17.6 20.3 15.3 18.8 14.5 19.2 13.9 21.8 10.1 21.8 9.5 19.2 8.7 18.8 6.4 20.3 3.7 17.6 5.2 15.3 4.8 14.5 2.2 13.9 2.2 10.1 4.8 9.5 5.2 8.7 3.7 6.4 6.4 3.7 8.7 5.2 9.5 4.8 10.1 2.2 13.9 2.2 14.5 4.8 15.3 5.2 17.6 3.7 20.3 6.4 18.8 8.7zM15 12a3 3 0 1 0-6 0 3 3 0 1 0 6 0z';

/** The heights of a `streamInformation` list: distinct, positive, highest first (one entry per codec is common). */
export function renditionHeights(info: unknown): number[] {
  if (!Array.isArray(info)) return [];
  const heights = info.map((e) => Math.floor(Number((e as { streamHeight?: unknown } | null)?.streamHeight))).filter((h) => Number.isFinite(h) && h > 0);
  return [...new Set(heights)].sort((a, b) => b - a);
}

export class PlayerControls implements ReactiveController {
  /** The renditions the server listed; the menu shows when there are two or more. */
  #heights: number[] = [];
  /** The rendition asked for (`0`: automatic). */
  #quality = 0;
  #menuOpen = false;
  /** Shown, or faded after `HIDE_AFTER_MS`. */
  #shown = true;
  #hideTimer?: ReturnType<typeof setTimeout>;
  /** The stats panel's samples, oldest first (one a second while it is open). */
  #history: RtcStats[] = [];
  #statsTimer?: ReturnType<typeof setInterval>;

  constructor(private readonly h: PlayerControlsHost) {
    const el = h.element;
    el.addController(this);
    const root = el.renderRoot as ShadowRoot;
    adoptStyles(root, [...(el.constructor as typeof LitElement).elementStyles, ...styles]);
    const update = (): void => el.requestUpdate();
    el.addEventListener('pointermove', this.#poke);
    el.addEventListener('pointerdown', this.#handlePointerDown);
    el.addEventListener('keydown', this.#handleKey);
    el.addEventListener('focusin', this.#poke);
    el.addEventListener('fullscreenchange', update);
    el.addEventListener('rtc-play-started', this.#askRenditions);
    el.addEventListener('rtc-stream-information', (e) => {
      this.#heights = renditionHeights((e as CustomEvent<{ streamInfo?: unknown }>).detail.streamInfo);
      update();
    });
    // The <video> is the player's: its picture-in-picture events reach us in the capture phase.
    root.addEventListener('enterpictureinpicture', update, true);
    root.addEventListener('leavepictureinpicture', update, true);
    // Loaded after the stream went live: ask now.
    if (el.state === 'live') this.#askRenditions();
    el.requestUpdate();
  }

  hostUpdated(): void {
    const el = this.h.element;
    // Clicking the video focuses the player, so its shortcuts work (without a focus ring).
    const base = el.renderRoot.querySelector<HTMLElement>('.base');
    if (base && !base.hasAttribute('tabindex')) base.tabIndex = -1;
    if (!this.#canHide()) {
      // Shown already (render() asks the same question): only the state to put right.
      clearTimeout(this.#hideTimer);
      this.#hideTimer = undefined;
      this.#shown = true;
    } else if (this.#shown && this.#hideTimer === undefined) this.#hideLater();
    const sampling = el.stats && el.isConnected;
    if (sampling && this.#statsTimer === undefined) {
      this.#sample();
      this.#statsTimer = setInterval(this.#sample, 1000);
    } else if (!sampling && this.#statsTimer !== undefined) {
      clearInterval(this.#statsTimer);
      this.#statsTimer = undefined;
    }
  }

  hostDisconnected(): void {
    clearTimeout(this.#hideTimer);
    clearInterval(this.#statsTimer);
    this.#hideTimer = this.#statsTimer = undefined;
    this.#menuOpen = false;
  }

  get #video(): HTMLVideoElement | null {
    return this.h.element.renderRoot.querySelector('video');
  }

  get #bar(): HTMLElement | null {
    return this.h.element.renderRoot.querySelector('.controls');
  }

  readonly #askRenditions = (): void => this.h.session.session?.getStreamInfo();

  readonly #sample = (): void => {
    this.h.element.getStats().then(
      (s) => {
        this.#history = [...this.#history, s].slice(-WINDOW);
        this.h.element.requestUpdate();
      },
      () => undefined,
    );
  };

  // ------------------------------------------------------------------ fading

  /** Fading is allowed only while the video plays and nobody is using the controls. */
  #canHide(): boolean {
    const el = this.h.element;
    const bar = this.#bar;
    const video = this.#video;
    return (
      el.state === 'live' &&
      !this.h.waiting() &&
      !this.#menuOpen &&
      !!video &&
      !video.paused &&
      !!bar &&
      !bar.matches(':hover') &&
      // Keyboard focus in the bar keeps it; a button focused by a click does not.
      !bar.querySelector(':focus-visible')
    );
  }

  #show(): void {
    clearTimeout(this.#hideTimer);
    this.#hideTimer = undefined;
    if (!this.#shown) {
      this.#shown = true;
      this.h.element.requestUpdate();
    }
  }

  #hideLater(): void {
    clearTimeout(this.#hideTimer);
    this.#hideTimer = setTimeout(() => {
      this.#hideTimer = undefined;
      if (!this.#canHide()) return;
      this.#shown = false;
      this.h.element.requestUpdate();
    }, HIDE_AFTER_MS);
  }

  /** A pointer move, a tap or focus: the controls come back, and fade again later. */
  readonly #poke = (): void => {
    this.#show();
    this.#hideLater();
  };

  readonly #handlePointerDown = (e: PointerEvent): void => {
    this.#poke();
    // A press outside the quality menu closes it.
    if (this.#menuOpen && !e.composedPath().some((n) => (n as Element).classList?.contains('menu') || (n as Element).part?.contains('quality-button')))
      this.#closeMenu(false);
  };

  // ------------------------------------------------------------------ keyboard

  readonly #handleKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0] as Element | undefined;
    const key = e.key.toLowerCase();
    // Space keeps its own meaning on a button, a menu item or the volume slider.
    if (key === ' ' && target?.closest?.('button,input,select,textarea,[role^=menuitem]')) return;
    if (target?.closest?.('input:not([type=range]),select,textarea')) return;
    if (key === ' ' || key === 'k') this.h.togglePlay();
    else if (key === 'm') this.h.toggleMute();
    else if (key === 'f') this.#toggleFullscreen();
    else return;
    e.preventDefault();
    this.#poke();
  };

  // ------------------------------------------------------------------ actions

  #toggleFullscreen(): void {
    const el = this.h.element;
    void (document.fullscreenElement === el ? document.exitFullscreen() : el.requestFullscreen()).catch(() => undefined);
  }

  readonly #handleFullscreenClick = (): void => this.#toggleFullscreen();

  readonly #handlePipClick = (): void => {
    const video = this.#video;
    if (!video) return;
    const inPip = (this.h.element.renderRoot as ShadowRoot).pictureInPictureElement === video;
    void (inPip ? document.exitPictureInPicture() : video.requestPictureInPicture()).catch(() => undefined);
  };

  readonly #handleStatsClick = (): void => {
    const el = this.h.element;
    el.stats = !el.stats;
  };

  readonly #handleVolume = (e: Event): void => {
    const video = this.#video;
    if (!video) return;
    const volume = Number((e.target as HTMLInputElement).value);
    video.volume = volume;
    // Moving the slider up unmutes; down to nothing mutes.
    if (volume > 0 === this.h.muted()) this.h.toggleMute();
    this.h.element.requestUpdate();
  };

  // ------------------------------------------------------------------ the quality menu

  #items(): HTMLElement[] {
    return [...this.h.element.renderRoot.querySelectorAll<HTMLElement>('[part~=quality-option]')];
  }

  #openMenu(): void {
    this.#menuOpen = true;
    this.#show();
    const el = this.h.element;
    el.requestUpdate();
    void el.updateComplete.then(() => (this.#items().find((i) => i.getAttribute('aria-checked') === 'true') ?? this.#items()[0])?.focus());
  }

  #closeMenu(focusButton: boolean): void {
    if (!this.#menuOpen) return;
    this.#menuOpen = false;
    const el = this.h.element;
    el.requestUpdate();
    if (focusButton) void el.updateComplete.then(() => el.renderRoot.querySelector<HTMLElement>('[part~=quality-button]')?.focus());
    this.#poke();
  }

  readonly #handleQualityClick = (): void => (this.#menuOpen ? this.#closeMenu(true) : this.#openMenu());

  readonly #handleQualityKey = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    this.#openMenu();
  };

  readonly #handleMenuKey = (e: KeyboardEvent): void => {
    const items = this.#items();
    const at = items.indexOf(e.composedPath()[0] as HTMLElement);
    const go = (i: number): void => items[(i + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else if (e.key === 'Escape') this.#closeMenu(true);
    else if (e.key === 'Tab') return this.#closeMenu(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  #select(height: number): void {
    this.#quality = height;
    this.h.element.setQuality(height);
    this.#closeMenu(true);
  }

  // ------------------------------------------------------------------ rendering

  render(): TemplateResult {
    const h = this.h;
    const el = h.element;
    const t = (english: string): string => el.t(english);
    const live = el.state === 'live';
    const muted = h.muted();
    const video = this.#video;
    const full = document.fullscreenElement === el;
    const pip = !!video && (el.renderRoot as ShadowRoot).pictureInPictureElement === video;
    const heights = live ? this.#heights : [];
    const quality = this.#quality ? `${this.#quality}p` : t('Auto');
    /** A button with its accessible name, and the same name (with its shortcut) as its tooltip. */
    const button = (
      part: string,
      label: string,
      content: TemplateResult | SVGTemplateResult,
      click: () => void,
      { key = '', cls = '', pressed, tip = label }: { key?: string; cls?: string; pressed?: boolean; tip?: string } = {},
    ): TemplateResult =>
      html`<button
        part="button ${part}"
        class="icon ${cls}"
        type="button"
        aria-label=${label}
        aria-keyshortcuts=${key || nothing}
        aria-pressed=${pressed === undefined ? nothing : String(pressed)}
        data-tip=${key ? `${tip} (${key})` : tip}
        @click=${click}
      >
        ${content}
      </button>`;
    const playing = h.session.active;
    const bar = el.noControls
      ? nothing
      : html`<div part="controls" class="controls ${this.#shown || !this.#canHide() ? '' : 'faded'}" role="group" aria-label=${t('Player controls')}>
          ${button('play-button', t(playing ? 'Stop' : 'Play'), icon(playing ? STOP : PLAY), h.togglePlay, { key: 'k', cls: playing ? 'tip-start' : 'primary tip-start' })}
          ${button('mute-button', t('Mute'), speakerIcon(muted), h.toggleMute, { key: 'm', pressed: muted, tip: t(muted ? 'Unmute' : 'Mute') })}
          <input
            part="volume"
            class="volume"
            type="range"
            min="0"
            max="1"
            step="0.05"
            aria-label=${t('Volume')}
            .value=${String(muted ? 0 : (video?.volume ?? 1))}
            @input=${this.#handleVolume}
          />
          <span class="grow"></span>
          ${
            heights.length > 1
              ? html`<button
                  part="button quality-button"
                  class="icon quality"
                  type="button"
                  aria-label=${`${t('Quality')}: ${quality}`}
                  aria-haspopup="menu"
                  aria-expanded=${String(this.#menuOpen)}
                  data-tip=${t('Quality')}
                  @click=${this.#handleQualityClick}
                  @keydown=${this.#handleQualityKey}
                >
                  ${icon(QUALITY)}<span class="quality-label">${quality}</span>
                </button>`
              : nothing
          }
          ${button('stats-button', t('Statistics'), icon(CHART), this.#handleStatsClick, { pressed: el.stats, cls: 'toggle' })}
          ${
            live && document.pictureInPictureEnabled && !video?.disablePictureInPicture
              ? button('pip-button', t('Picture in picture'), icon(PIP), this.#handlePipClick, { pressed: pip, cls: 'toggle' })
              : nothing
          }
          ${
            document.fullscreenEnabled
              ? button('fullscreen-button', t(full ? 'Exit fullscreen' : 'Fullscreen'), icon(full ? EXIT_FULL : FULL), this.#handleFullscreenClick, {
                  key: 'f',
                  cls: 'tip-end',
                })
              : nothing
          }
        </div>`;
    const menu =
      this.#menuOpen && heights.length > 1 && !el.noControls
        ? html`<div part="quality-menu" class="menu">
            <span class="menu-title" aria-hidden="true">${t('Quality')}</span>
            <div class="menu-items" role="menu" aria-label=${t('Quality')} @keydown=${this.#handleMenuKey}>
            ${[0, ...heights].map((height) => {
              const checked = height === this.#quality;
              return html`<button
                part="quality-option"
                role="menuitemradio"
                type="button"
                aria-checked=${String(checked)}
                tabindex=${checked ? 0 : -1}
                @click=${() => this.#select(height)}
              >
                ${height ? `${height}p` : t('Auto')}
              </button>`;
            })}
            </div>
          </div>`
        : nothing;
    return html`${el.stats ? statsPanel(this.#history, t) : nothing}${menu}${bar}`;
  }
}

/**
 * Added to the player's own styles when the chunk arrives. The host's width decides what the bar
 * holds (a size container): the volume slider and picture-in-picture go below 360 px, the quality
 * label below 480 px; at 240 px play, mute, quality, stats and fullscreen still fit, each at least
 * 40 px square.
 */
export const styles = [
  statsPanelStyles,
  css`
:host(:fullscreen){border-radius:0}
.base{container:rtc-player/inline-size;outline:0}
.controls{flex-wrap:nowrap;gap:.375em;transition:opacity .2s}
.controls.faded{opacity:0;pointer-events:none}
@media (prefers-reduced-motion:reduce){.controls{transition:none}}
.icon{min-width:2.5rem;padding:0;justify-content:center}
.grow{flex:1}
.volume{width:5em;min-width:0;height:2.5rem;margin:0;accent-color:var(--rtc-accent-color,#2563eb);cursor:pointer}
.volume:focus-visible{outline:3px solid var(--rtc-focus-color,#fff);outline-offset:2px}
.quality{padding:0 .625em}
[aria-expanded=true]{background:#fff;color:#111}
[aria-expanded=true]::after{display:none}
.tip-start[data-tip]::after{left:0;translate:none}
.tip-end[data-tip]::after{left:auto;right:0;translate:none}
.menu{position:absolute;right:.5em;bottom:3.5em;z-index:3;box-sizing:border-box;display:flex;flex-direction:column;min-width:7em;max-height:calc(100% - 3.75em);overflow:auto;padding:.125em;background:#111e;border-radius:var(--rtc-radius,8px);box-shadow:0 4px 16px #0008}
.menu-title{padding:.375em .75em .25em;font-size:.75rem;opacity:.7}
.menu-items{display:flex;flex-direction:column}
.menu button{justify-content:flex-start;min-height:2.5rem;background:none;font-variant-numeric:tabular-nums}
.menu button[aria-checked=true]{font-weight:700}
.menu button[aria-checked=true]::before{content:'✓';width:1em}
.menu button[aria-checked=false]::before{content:'';width:1em}
@container rtc-player (min-width:900px){.stats-panel{width:30em;font-size:.8125rem}.stats-plot{height:2em}}
@container rtc-player (max-width:479px){.quality-label,.menu-title{display:none}.quality{padding:0}}
@container rtc-player (max-width:359px){.volume,[part~=pip-button]{display:none}.controls{gap:.25em;padding:.375em}}
`,
];
