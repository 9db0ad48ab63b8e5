import { adoptStyles, html, nothing, type CSSResult, type LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { toRtcError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import type { CaptureOptions } from '../../core/media/capture.js';
import { PublishSession } from '../../core/session/publish-session.js';
import type { RtcStats } from '../../core/stats.js';
import { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { noop, SessionController } from '../../controllers/session-controller.js';
import type { DeviceCheck } from '../device-check/device-check.js';
import { RtcStreamElement } from '../rtc-element.js';
import { cameraIcon, micIcon, screenIcon } from './icons.js';
import styles from './rtc-publisher.styles.js';

/** `1.2 Mbps · 30 fps · 1280×720` from a stats snapshot. */
const formatStats = ({ bitrateOutKbps: kbps = 0, framesPerSecond: fps, frameWidth: w, frameHeight: h }: RtcStats): string =>
  [kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbps` : `${Math.round(kbps)} kbps`, fps === undefined ? '' : `${Math.round(fps)} fps`, w && h ? `${w}×${h}` : '']
    .filter(Boolean)
    .join(' · ');

/**
 * The device check's code (also the live bar's device menus): its own chunk, fetched beside this
 * module the first time a publisher connects. A failed fetch is `module_load_failed` (dispatched,
 * no overlay: Go live works without the check), and forgotten: the next connect fetches again.
 */
const loadCheck = lazy(() => import('../device-check/device-check.js'));
/** The stats panel (the player's, too): its own chunk, fetched the first time `stats` is on. */
const loadPanel = lazy(() => import('../stats-panel/stats-panel.js'));
type Panel = typeof import('../stats-panel/stats-panel.js');

/**
 * Captures the camera and microphone and publishes them to Ant Media Server, with a preview and
 * built-in controls. Every AMS callback is dispatched as a DOM event named `rtc-` + the
 * kebab-case AMS name; `detail` holds the AMS payload plus `streamId` and `definition`. Before
 * going live (and after stopping) the built-in controls are a device check under the preview:
 * camera and microphone menus, a microphone level meter, the toggles and Go live; what it
 * chooses goes live. `auto-publish` skips it, `no-controls` hides it (and opens no camera early).
 *
 * @summary Publishes camera and microphone (or a screen) to Ant Media Server.
 * @tagname rtc-publisher
 *
 * @attr {string} server-url - AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`; or over WHIP, an `http(s)://` AMS application URL with `stream-id` (`https://host:5443/LiveApp` → `/LiveApp/whip/<stream-id>`), or any server's full WHIP endpoint without `stream-id`.
 * @attr {string} protocol - `ams`, `whip` or `whep` (publishes over WHIP for both of the last two); unset: `ws(s)://` is AMS, `http(s)://` WHIP. A bad value is `invalid_protocol`.
 * @attr {string} stream-id - Stream id to publish (`A-Z a-z 0-9 _ . -`); optional over WHIP (then `server-url` is the endpoint).
 * @attr {string} token - Publish token; read once and removed from the DOM (never reflected).
 * @attr {string} stream-name - Human-readable stream name sent with `publish`.
 * @attr {boolean} auto-publish - Start publishing when the element is connected (no device check).
 * @attr {boolean} no-video - Publish without camera.
 * @attr {boolean} no-audio - Publish without microphone.
 * @attr {boolean} no-controls - Hide the built-in controls and the device check (no preview before `start()`).
 * @attr {boolean} no-error-overlay - Never show the error overlay.
 * @attr {boolean} stats - Show the stats panel over the video while live instead of the one-line readout: the last 60 s of bitrate, frames per second, packet loss, round trip and jitter; reflected (the Statistics button sets it).
 * @attr {number} max-bitrate - Video bitrate cap in kbps (0 = none); applies live.
 * @attr {string} state - Reflected, read only: `idle`, `connecting`, `negotiating`, `live`, `reconnecting`, `stopped`, `failed`.
 * @attr {string} error-code - Reflected, read only: the code of the current error.
 *
 * @fires {RtcErrorEvent} rtc-error - Every error, once: `{code, message, category, recoverable, streamId, error}`. Cancelable: `preventDefault()` hides the overlay. A server too busy to admit the publish (`highResourceUsage`) is shown, and the publisher asks again every 2-5 s by itself until it is live.
 * @fires {RtcStateChangeEvent} rtc-state-change - `state` changed: `{state, previous}`.
 * @fires {RtcCallbackEvent} rtc-publish-started - AMS `publish_started`: the stream is live.
 * @fires {RtcCallbackEvent} rtc-publish-finished - AMS `publish_finished`.
 * @fires {RtcCallbackEvent} rtc-session-restored - AMS `session_restored`.
 * @fires {RtcCallbackEvent} rtc-initialized - AMS `initialized`: the signaling socket opened.
 * @fires {RtcCallbackEvent} rtc-closed - AMS `closed`: the signaling socket closed.
 * @fires {RtcCallbackEvent} rtc-pong - AMS `pong`.
 * @fires {RtcCallbackEvent} rtc-ice-connection-state-changed - AMS `ice_connection_state_changed`: `{state}`.
 * @fires {RtcCallbackEvent} rtc-reconnection-attempt-for-publisher - AMS `reconnection_attempt_for_publisher`.
 * @fires {RtcCallbackEvent} rtc-data-channel-opened - AMS `data_channel_opened`.
 * @fires {RtcCallbackEvent} rtc-data-channel-closed - AMS `data_channel_closed`.
 * @fires {RtcCallbackEvent} rtc-data-received - AMS `data_received`: `{data}` (string or ArrayBuffer).
 * @fires {RtcCallbackEvent} rtc-updated-stats - AMS `updated_stats`: an `RtcStats` snapshot, every second while publishing.
 * @fires {RtcCallbackEvent} rtc-available-devices - AMS `available_devices`: `{devices}` after capture and on every device change.
 * @fires {RtcCallbackEvent} rtc-browser-screen-share-supported - AMS `browser_screen_share_supported`, on connect.
 * @fires {RtcCallbackEvent} rtc-screen-share-stopped - AMS `screen_share_stopped`: sharing ended; back to the camera.
 * @fires {RtcCallbackEvent} rtc-audio-only-fallback - AMS `audio_only_fallback`: `{reason}`, the camera failed, the microphone alone is published.
 * @fires {RtcCallbackEvent} rtc-bitrate-measurement - AMS `bitrateMeasurement` (and any other server notification, as `rtc-<kebab name>`).
 * @fires {RtcCallbackEvent} rtc-ice-server-config - AMS `iceServerConfig`.
 *
 * @slot error-<code> - Replaces the overlay message for one error code, e.g. `slot="error-NotAllowedError"`.
 *
 * @csspart base - The wrapper.
 * @csspart video - The local preview `<video>`.
 * @csspart live-badge - The "Live" badge.
 * @csspart stats - The stats readout (bitrate, frame rate, resolution).
 * @csspart controls - The control bar over the video, while live.
 * @csspart device-check - The panel under the preview before going live: camera and microphone menus, level meter, toggles, Go live.
 * @csspart mic-level - The microphone level meter of the device check.
 * @csspart button - Every control button.
 * @csspart start-button - Go live / Stop.
 * @csspart mic-button - Microphone mute toggle.
 * @csspart camera-button - Camera off toggle.
 * @csspart screen-button - Screen share toggle.
 * @csspart stats-button - Shows and hides the stats panel.
 * @csspart stats-panel - The stats panel over the video.
 * @csspart select - Both device menus (the device check's, the control bar's).
 * @csspart camera-select - The camera menu.
 * @csspart mic-select - The microphone menu.
 * @csspart overlay - The error overlay panel.
 * @csspart overlay-title - The error title.
 * @csspart overlay-message - The error message.
 * @csspart overlay-detail - Extra error text for codes without wording of their own.
 * @csspart retry-button - The overlay's retry button.
 *
 * @cssproperty [--rtc-publisher-aspect-ratio=16 / 9] - Aspect ratio of the preview.
 * @cssproperty [--rtc-accent-color=#2563eb] - Go live button and focus ring.
 * @cssproperty [--rtc-background=#000] - Background.
 * @cssproperty [--rtc-color=#fff] - Text and icon color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius.
 */
export class RtcPublisher extends RtcStreamElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    streamName: { attribute: 'stream-name' },
    autoPublish: { type: Boolean, attribute: 'auto-publish' },
    noVideo: { type: Boolean, attribute: 'no-video' },
    noAudio: { type: Boolean, attribute: 'no-audio' },
    maxBitrate: { type: Number, attribute: 'max-bitrate' },
    stats: { type: Boolean, reflect: true },
    mediaConstraints: { attribute: false },
  };

  protected readonly session: SessionController<PublishSession> = new SessionController<PublishSession>(this, {
    create: (deps) => new PublishSession(deps),
    auto: () => this.autoPublish,
    start: () => this.start(),
    statsIntervalMs: 1000,
    // Nothing is published any more: the camera and microphone go off (a retry opens them again).
    onFail: () => this.media.release(),
  });

  private readonly media = new MediaCaptureController(this, {
    constraints: () => this.#captureOptions(),
    replaceTrack: async (kind, track) => this.session.session?.replaceTrack(kind, track),
    onScreenEnded: () => void this.shareScreen(false).catch(noop),
  });

  /** Stream name sent with `publish`. */
  streamName = '';

  /** Starts publishing as soon as the element is on the page (without the device check). */
  autoPublish = false;

  /** Publishes without the camera. */
  noVideo = false;

  /** Publishes without the microphone. */
  noAudio = false;

  /** Video bitrate cap in kbps; 0 = none. Changes apply while live. */
  maxBitrate = 0;

  /** getUserMedia constraints (`{video, audio}`); `no-video` / `no-audio` still win. */
  mediaConstraints?: MediaStreamConstraints;

  /** Shows the stats panel over the video while live (the last 60 s, one sample a second); reflected, so the Statistics button and the attribute stay in step. */
  stats = false;

  /** The device check, once its chunk is loaded. */
  #check: DeviceCheck | null = null;
  #panel: Panel | null = null;
  /** Styles of the chunks that have arrived (device check, stats panel). */
  #chunkStyles: CSSResult[] = [];
  /** The last minute of stats samples, kept while live so the panel opens with a history. */
  #history: RtcStats[] = [];

  protected get autoStart(): boolean {
    return this.autoPublish;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#check) return;
    loadCheck().then(
      (m) => {
        if (this.#check) return;
        this.#check = new m.DeviceCheck({
          element: this,
          media: this.media,
          kinds: () => this.#captureOptions(),
          report: (e) => this.session.report(e, false),
        });
        this.#chunkStyles = [m.styles, m.publisherStyles, ...this.#chunkStyles];
        this.#adopt();
      },
      (e: unknown) => this.session.report(toRtcError(e), false),
    );
  }

  /** The element's styles with those of the chunks that have arrived. */
  #adopt(): void {
    adoptStyles(this.renderRoot as ShadowRoot, [...(this.constructor as typeof LitElement).elementStyles, ...this.#chunkStyles]);
    this.requestUpdate();
  }

  /** Before going live (and after stopping), with the built-in controls and the check loaded. */
  get #precheck(): boolean {
    const s = this.session;
    return !!this.#check && !this.noControls && !s.active && !(this.autoPublish && s.state === 'idle');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const sample = this.session.stats;
    if (sample && sample !== this.#history.at(-1)) this.#history = [...this.#history, sample].slice(-60);
    if (changed.has('stats') && this.stats && !this.#panel)
      loadPanel().then(
        (m) => {
          if (this.#panel) return;
          this.#panel = m;
          this.#chunkStyles = [...this.#chunkStyles, m.statsPanelStyles];
          this.#adopt();
        },
        (e: unknown) => this.session.report(toRtcError(e), false),
      );
    if (this.hasUpdated && changed.has('maxBitrate')) void this.session.session?.setMaxBitrate(this.#bitrate()).catch(noop);
  }

  #bitrate(): number {
    return Number.isFinite(this.maxBitrate) && this.maxBitrate > 0 ? this.maxBitrate : 0;
  }

  #captureOptions(): CaptureOptions {
    const c = this.mediaConstraints ?? {};
    return { video: this.noVideo ? false : (c.video ?? true), audio: this.noAudio ? false : (c.audio ?? true) };
  }

  protected restart(): Promise<void> {
    const current = this.session.begin();
    const run = async (): Promise<void> => {
      const { url, streamId, whip } = this.readConfig();
      const stream = await this.media.acquire();
      const kbps = this.#bitrate();
      await this.session.connect(
        url,
        {
          streamId,
          stream,
          token: this.tokenSource(),
          iceServers: this.iceServers,
          streamName: this.streamName || undefined,
          maxBitrateKbps: kbps || undefined,
        },
        current,
        whip,
      );
    };
    return this.session.settle(run(), current);
  }

  #handleStartClick(): void {
    if (this.session.active) void this.stop();
    else this.start().catch(noop);
  }

  #handleMicClick(): void {
    this.setMicrophoneMuted(!this.media.micMuted);
  }

  #handleCameraClick(): void {
    this.setCameraOff(!this.media.cameraOff).catch(noop);
  }

  #handleScreenClick(): void {
    this.shareScreen(!this.media.sharing).catch(noop);
  }

  readonly #toggleStats = (): void => {
    this.stats = !this.stats;
  };

  /**
   * Captures (if needed) and publishes. Resolves at `publish_started`; rejects with an `RtcError`
   * (also dispatched once as `rtc-error`). While already publishing, returns the same attempt.
   */
  start(): Promise<void> {
    return this.startOnce();
  }

  /** Stops publishing and releases the camera and microphone. Never rejects. */
  async stop(): Promise<void> {
    const stopping = this.session.stop();
    this.media.release();
    await stopping;
  }

  /** Mutes or unmutes the microphone (`track.enabled`; the connection stays as it is). */
  setMicrophoneMuted(muted: boolean): void {
    this.media.setMicMuted(!!muted);
  }

  /**
   * Sends black frames instead of the camera (its light goes off), or the camera again; no
   * renegotiation. Like the other actions, a failure rejects with an `RtcError` and is dispatched
   * once as `rtc-error`, without the overlay and without changing `error`: the stream goes on.
   */
  setCameraOff(off: boolean): Promise<void> {
    return this.guard(this.media.setCameraOff(!!off));
  }

  /** Switches to another camera (`deviceId` from `rtc-available-devices`) without renegotiation. */
  switchCamera(deviceId: string): Promise<void> {
    return this.guard(this.media.switchCamera(String(deviceId)));
  }

  /** Switches to another microphone without renegotiation. */
  switchMicrophone(deviceId: string): Promise<void> {
    return this.guard(this.media.switchMicrophone(String(deviceId)));
  }

  /** Shares a screen instead of the camera (`true`), or goes back to the camera (`false`). */
  shareScreen(on: boolean): Promise<void> {
    return this.guard(this.media.shareScreen(!!on));
  }

  /** The control bar over the video while live; before, the device check with the same buttons, Go live last. */
  #renderControls(pre: boolean): TemplateResult {
    const m = this.media;
    const check = this.#check;
    const { video, audio } = this.#captureOptions();
    const pressed = (on: boolean): string => (on ? 'true' : 'false');
    const start = html`<button part="button start-button" class="primary" type="button" @click=${this.#handleStartClick}>
      ${this.t(this.session.active ? 'Stop' : 'Go live')}
    </button>`;
    const toggles = html`${
      audio
        ? html`<button part="button mic-button" type="button" aria-label=${this.t('Mute microphone')} data-tip=${this.t('Mute microphone')} aria-pressed=${pressed(m.micMuted)} @click=${this.#handleMicClick}>
            ${micIcon(m.micMuted)}
          </button>`
        : nothing
    }${
      video
        ? html`<button part="button camera-button" type="button" aria-label=${this.t('Turn camera off')} data-tip=${this.t('Turn camera off')} aria-pressed=${pressed(m.cameraOff)} @click=${this.#handleCameraClick}>
            ${cameraIcon(m.cameraOff)}
          </button>`
        : nothing
    }${
      m.hasVideo && m.screenShareSupported
        ? html`<button part="button screen-button" type="button" aria-label=${this.t('Share screen')} data-tip=${this.t('Share screen')} aria-pressed=${pressed(m.sharing)} @click=${this.#handleScreenClick}>
            ${screenIcon()}
          </button>`
        : nothing
    }`;
    if (pre) return check!.render(nothing, html`${toggles}${start}`);
    // Live: a menu where there is a choice (the check's code draws it).
    const menu = (kind: 'videoinput' | 'audioinput'): TemplateResult | typeof nothing =>
      check && m.devices.filter((d) => d.kind === kind).length > 1 ? check.menu(kind) : nothing;
    return html`<div part="controls" class="controls" role="group" aria-label=${this.t('Publishing controls')}>
      ${start}${toggles}
${check && this.session.active ? check.statsToggle(this.t('Statistics'), this.stats, this.#toggleStats) : nothing}
      ${menu('videoinput')}${menu('audioinput')}
    </div>`;
  }

  protected override updated(): void {
    this.attach(this.media.preview);
    this.#check?.sync(this.#precheck, this.session.state === 'idle');
  }

  protected override render(): TemplateResult {
    const s = this.session;
    const live = s.state === 'live';
    const stats = live && !this.noControls && !this.stats ? s.stats : null;
    const panel = live && this.stats ? this.#panel : null;
    const pre = this.#precheck;
    return html`<div part="base" class=${pre ? 'base checking' : 'base'}>
      <video part="video" class=${this.media.sharing ? '' : 'mirror'} .muted=${true} autoplay playsinline></video>
      ${s.state === 'live' ? html`<span part="live-badge" class="badge">${this.t('Live')}</span>` : nothing}
      ${stats ? html`<span part="stats" class="status">${formatStats(stats)}</span>` : nothing}
      ${panel ? panel.statsPanel(this.#history, (english) => this.t(english)) : nothing}
      ${this.noControls ? nothing : this.#renderControls(pre)} ${this.renderOverlay()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-publisher': RtcPublisher;
  }
}
