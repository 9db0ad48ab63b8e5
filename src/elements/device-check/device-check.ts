/**
 * The device check before going live (`<rtc-publisher>`) or joining (`<rtc-room>`): the camera
 * preview opened once per stay on the page, the camera and microphone menus (the full device
 * name is always readable: the menu as wide as its panel, the name also its tooltip), and a live
 * microphone level meter (an `AudioContext` analyser). Its own chunk, `dist/device-check.js`:
 * the publisher fetches it the first time it connects, the room's chunk imports it; a page with
 * only a player never loads it. Whatever is chosen here is the capture the session then sends
 * (the element's `MediaCaptureController`), so a switch carries into the live session.
 * @internal
 */
import { css, html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { toRtcError, type RtcError } from '../../core/errors.js';
import type { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { noop } from '../../controllers/session-controller.js';
import { STRINGS, type CheckStringKey } from './strings.js';

/** What the check needs of its element. */
export interface DeviceCheckHost {
  readonly element: ReactiveControllerHost & HTMLElement & { t(english: string): string };
  readonly media: MediaCaptureController;
  /** Which devices the element captures (`no-video`, `no-audio`). */
  kinds(): { video: unknown; audio: unknown };
  /** A failed device switch: `rtc-error` once, no overlay (the preview goes on). */
  report(error: RtcError): void;
}

type Kind = 'videoinput' | 'audioinput';

/**
 * Shared rules: a device is its label (the microphone's with the meter beside it) over its menu.
 * Each element lays the panel out in its own styles.
 */
export const styles = css`
  .device {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
  }
  .device .head {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
  }
  .device select {
    box-sizing: border-box;
    width: 100%;
    max-width: none;
  }
  .meter {
    flex: 1;
    min-width: 2rem;
    height: 6px;
    border-radius: 3px;
    background: #3c4043;
    overflow: hidden;
  }
  .meter span {
    display: block;
    height: 100%;
    background: #34a853;
    transform-origin: left;
    transform: scaleX(var(--_level, 0));
    transition: transform 0.1s linear;
  }
`;

/**
 * `<rtc-publisher>`'s layout of the check, and of the menus of its live bar. The check sits under
 * the preview: the host grows by it, or the preview shrinks to leave it room in a host of fixed
 * height; its devices and buttons wrap onto rows of their own on a narrow host; a wide one keeps the
 * menus at 20rem, the buttons at the end of the row. In the live bar a
 * menu is as wide as its longest name when there is room, narrower (the name its tooltip) when
 * not, and gone below 300 px, where the buttons need the width (the check has the menus); so is
 * the Statistics toggle (five plots do not fit over so small a picture).
 */
export const publisherStyles = css`
.controls{container-type:inline-size}
.controls select{flex:1 1 0;min-width:6em;max-width:max-content}
@container (max-width:300px){.controls :is(select,.stats-toggle){display:none}}
.checking{display:flex;flex-direction:column;aspect-ratio:auto}
.checking video{flex:1 1 auto;min-height:0;aspect-ratio:var(--rtc-publisher-aspect-ratio,16/9)}
.check{container-type:inline-size;display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px 12px;padding:10px;background:#1f2024}
.check .device{flex:1 1 12rem}
@container (min-width:720px){.check .device{flex:0 1 20rem}}
.check .row{display:flex;gap:8px;margin-left:auto}
.field{color:#c4c7c5;font-size:.8125rem}
.note{flex-basis:100%;margin:0;color:#ffb4a9}
`;

/** A line chart: the publisher's Statistics toggle (the player's controls draw the same). */
const CHART = 'M4 19h16v2H2V3h2zm2-3 4-6 4 3 5-8 1.7 1-6.2 10-4-3-2.8 4.2z';

export class DeviceCheck {
  /** The preview could not open (no camera, refused): the check says so; Join / Go live reports the error. */
  failed = false;
  #previewed = false;
  #meter: { track: MediaStreamTrack; stop(): void } | null = null;
  readonly #h: DeviceCheckHost;

  constructor(h: DeviceCheckHost) {
    this.#h = h;
    h.element.addController({
      hostDisconnected: () => {
        this.#previewed = false;
        this.sync(false);
      },
    });
  }

  /** The check's string `key` in the element's language. */
  text(key: CheckStringKey): string {
    return this.#h.element.t(STRINGS[key]);
  }

  /**
   * After each render of the element: `on` while the check shows. Opens the preview (once per
   * stay on the page, only while `idle`) and runs the meter on the current microphone track.
   */
  sync(on: boolean, idle = false): void {
    const { element: el, media } = this.#h;
    if (on && idle && !this.#previewed && el.isConnected) {
      this.#previewed = true;
      media.acquire().then(
        () => (this.failed = false),
        () => {
          this.failed = true;
          el.requestUpdate();
        },
      );
    }
    const track = on ? media.stream?.getAudioTracks()[0] : undefined;
    if (this.#meter?.track === track) return;
    this.#meter?.stop();
    this.#meter = null;
    if (track) this.#meter = { track, stop: this.#listen(track) };
  }

  /**
   * Writes the level (RMS, in dB from -60 to 0) of `track` into the meter ten times a second,
   * through the CSSOM (`--_level`, `aria-valuenow`). Returns what stops it.
   */
  #listen(track: MediaStreamTrack): () => void {
    const el = this.#h.element;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    const samples = new Float32Array((analyser.fftSize = 2048));
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    // Pages without autoplay rights start it suspended: any click or key in the element starts it.
    const resume = (): void => void context.resume().catch(noop);
    el.addEventListener('pointerdown', resume);
    el.addEventListener('keydown', resume);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const db = 10 * Math.log10(sum / samples.length || 1e-10);
      const level = Math.max(0, Math.min(1, (db + 60) / 60));
      const meter = el.shadowRoot?.querySelector<HTMLElement>('.meter');
      meter?.style.setProperty('--_level', level.toFixed(3));
      meter?.setAttribute('aria-valuenow', String(Math.round(level * 100)));
    }, 100);
    return () => {
      clearInterval(timer);
      el.removeEventListener('pointerdown', resume);
      el.removeEventListener('keydown', resume);
      void context.close().catch(noop);
    };
  }

  readonly #switch = (kind: Kind, e: Event): void => {
    const { media, report } = this.#h;
    const id = (e.target as HTMLSelectElement).value;
    (kind === 'videoinput' ? media.switchCamera(id) : media.switchMicrophone(id)).catch((x: unknown) => report(toRtcError(x)));
  };

  /**
   * The menu of `kind` (`camera-select` / `mic-select`): the devices by name, the current one
   * chosen, its full name the menu's tooltip. With `labelled`, a visible label names it (the
   * check); otherwise its `aria-label` does (a control bar).
   */
  menu(kind: Kind, labelled = false): TemplateResult {
    const m = this.#h.media;
    const label = this.text(kind === 'videoinput' ? 'camera' : 'microphone');
    const id = kind === 'videoinput' ? 'camera-select' : 'mic-select';
    const list = m.devices.filter((d) => d.kind === kind);
    const current = m.currentDevice(kind === 'videoinput' ? 'video' : 'audio');
    const chosen = list.find((d) => d.deviceId === current) ?? list[0];
    const name = (d: MediaDeviceInfo | undefined, i: number): string => d?.label || `${label} ${i + 1}`;
    return html`<select
      id=${id}
      part=${`select ${id}`}
      title=${chosen ? name(chosen, list.indexOf(chosen)) : label}
      aria-label=${labelled ? nothing : label}
      ?disabled=${!list.length}
      @change=${(e: Event) => this.#switch(kind, e)}
    >
      ${list.length ? list.map((d, i) => html`<option value=${d.deviceId} ?selected=${d === chosen}>${name(d, i)}</option>`) : html`<option>${label}</option>`}
    </select>`;
  }

  /**
   * The publisher's Statistics toggle for its live bar, drawn here with the bar's device menus so
   * that its markup stays out of the entry bundle.
   */
  statsToggle(label: string, pressed: boolean, toggle: () => void): TemplateResult {
    return html`<button part="button stats-button" class="toggle stats-toggle" type="button" aria-label=${label} data-tip=${label} aria-pressed=${pressed ? 'true' : 'false'} @click=${toggle}>
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CHART} /></svg>
    </button>`;
  }

  /**
   * The check's panel (`part="device-check"`): `head` first (a title, a name field), a note when
   * the preview failed, the camera, the microphone with its meter, then `actions` in a row.
   */
  render(head: TemplateResult | typeof nothing, actions: TemplateResult): TemplateResult {
    const { video, audio } = this.#h.kinds();
    const device = (kind: Kind, meter: TemplateResult | typeof nothing = nothing): TemplateResult =>
      html`<div class="device">
        <div class="head"><label class="field" for=${kind === 'videoinput' ? 'camera-select' : 'mic-select'}>${this.text(kind === 'videoinput' ? 'camera' : 'microphone')}</label>${meter}</div>
        ${this.menu(kind, true)}
      </div>`;
    return html`<div part="device-check" class="check">
      ${head} ${this.failed ? html`<p class="note" role="status">${this.text('previewFailed')}</p>` : nothing} ${video ? device('videoinput') : nothing}
      ${
        audio
          ? device(
              'audioinput',
              html`<div part="mic-level" class="meter" role="meter" aria-label=${this.text('micLevel')} aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><span></span></div>`,
            )
          : nothing
      }
      <div class="row">${actions}</div>
    </div>`;
  }
}
