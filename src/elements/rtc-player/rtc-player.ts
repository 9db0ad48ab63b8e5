import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { PlaySession } from '../../core/session/play-session.js';
import type { RtcError } from '../../core/errors.js';
import type { AmsCallback } from '../../core/session/types.js';
import { lazy } from '../../core/lazy.js';
import { dispatchCallback, noop, SessionController } from '../../controllers/session-controller.js';
import { RtcStreamElement } from '../rtc-element.js';
import { speakerIcon } from './icons.js';
import type { PlayerControls } from './player-controls.js';
import styles from './rtc-player.styles.js';

/**
 * The full controls and the stats panel: a chunk beside this module, fetched when a player is
 * first connected (never before its first render, and not in the way of the first frame). Until
 * it arrives, or when it cannot be fetched (`rtc-error` `module_load_failed`, without the overlay:
 * playback goes on), the basic play/stop and mute buttons stand in; the next connect fetches again.
 */
const loadControls = lazy(() => import('./player-controls.js'));

/**
 * Plays a live stream from Ant Media Server. Autoplay tries with sound and falls back to muted
 * with a visible tap-to-unmute button; while the stream is offline it waits and starts by itself
 * when the stream goes live. Every AMS callback is dispatched as a DOM event named `rtc-` + the
 * kebab-case AMS name; `detail` holds the AMS payload plus `streamId` and `definition`.
 *
 * Its controls are what people expect of a video player: play/stop, mute with a volume slider,
 * a quality menu when the server lists two or more renditions (`Auto` and one item per height,
 * applied with `setQuality()`), statistics, picture-in-picture (where the browser has it) and
 * fullscreen of the player. Keyboard shortcuts while the player or a control in it has focus:
 * space or `k` play/stop, `m` mute, `f` fullscreen; tooltips and `aria-keyshortcuts` name them.
 * While the video plays the controls fade 3 s after the last pointer movement (never while
 * stopped, waiting, failed, with a menu open or keyboard focus in the bar) and come back on a
 * move, a tap or focus. They are a chunk of their own (`player-controls.js`, fetched when the
 * player is first connected); until it arrives, and if it cannot be fetched (`rtc-error`
 * `module_load_failed`, without the overlay: playback goes on), basic play/stop and mute buttons
 * stand in.
 *
 * @summary Plays a live Ant Media Server stream over WebRTC.
 * @tagname rtc-player
 *
 * @attr {string} server-url - AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`; or over WHEP, an `http(s)://` AMS application URL with `stream-id` (`https://host:5443/LiveApp` → `/LiveApp/whep/<stream-id>`), or any server's full WHEP endpoint without `stream-id`.
 * @attr {string} protocol - `ams`, `whip` or `whep` (plays over WHEP for both of the last two); unset: `ws(s)://` is AMS, `http(s)://` WHEP. A bad value is `invalid_protocol`.
 * @attr {string} stream-id - Stream id to play (`A-Z a-z 0-9 _ . -`); optional over WHEP (then `server-url` is the endpoint).
 * @attr {string} token - Play token; read once and removed from the DOM (never reflected).
 * @attr {boolean} autoplay - Start playing when the element is connected (with sound if the browser allows, else muted).
 * @attr {boolean} muted - Play without sound; reflected (the mute button sets it).
 * @attr {boolean} stats - Show the stats panel over the video: the last 60 s of bitrate, frames per second, packet loss, round trip and jitter, one sample a second; reflected (the Statistics button sets it). Works with `no-controls` too.
 * @attr {boolean} no-controls - Hide the built-in controls (and their keyboard shortcuts).
 * @attr {boolean} no-error-overlay - Never show the error overlay.
 * @attr {string} state - Reflected, read only: `idle`, `connecting`, `negotiating`, `live`, `reconnecting`, `stopped`, `failed`.
 * @attr {string} error-code - Reflected, read only: the code of the current error.
 *
 * @fires {RtcErrorEvent} rtc-error - Every error, once: `{code, message, category, recoverable, streamId, error}`. Cancelable: `preventDefault()` hides the overlay. A server too busy to admit the play (`highResourceUsage`) is shown, and the player asks again every 2-5 s by itself until it plays.
 * @fires {RtcStateChangeEvent} rtc-state-change - `state` changed: `{state, previous}`.
 * @fires {RtcCallbackEvent} rtc-play-started - AMS `play_started`: media is flowing.
 * @fires {RtcCallbackEvent} rtc-play-finished - AMS `play_finished`: the publisher stopped (the player waits for it).
 * @fires {RtcCallbackEvent} rtc-waiting - The stream is not live (yet, or any more): the waiting notice shows, without the error overlay, and the player retries by itself.
 * @fires {RtcCallbackEvent} rtc-autoplay-muted - Autoplay with sound was refused; playing muted with a tap-to-unmute button.
 * @fires {RtcCallbackEvent} rtc-new-track-available - AMS `newTrackAvailable`: `{track, stream, trackId}`.
 * @fires {RtcCallbackEvent} rtc-new-stream-available - AMS `newStreamAvailable` (deprecated twin of the above).
 * @fires {RtcCallbackEvent} rtc-initialized - AMS `initialized`: the signaling socket opened.
 * @fires {RtcCallbackEvent} rtc-closed - AMS `closed`: the signaling socket closed.
 * @fires {RtcCallbackEvent} rtc-pong - AMS `pong`.
 * @fires {RtcCallbackEvent} rtc-ice-connection-state-changed - AMS `ice_connection_state_changed`: `{state}`.
 * @fires {RtcCallbackEvent} rtc-reconnection-attempt-for-player - AMS `reconnection_attempt_for_player`.
 * @fires {RtcCallbackEvent} rtc-data-channel-opened - AMS `data_channel_opened`.
 * @fires {RtcCallbackEvent} rtc-data-channel-closed - AMS `data_channel_closed`.
 * @fires {RtcCallbackEvent} rtc-data-received - AMS `data_received`: `{data}` (string or ArrayBuffer).
 * @fires {RtcCallbackEvent} rtc-updated-stats - AMS `updated_stats`: an `RtcStats` snapshot every second while playing.
 * @fires {RtcCallbackEvent} rtc-resolution-change-info - AMS `resolutionChangeInfo` after `setQuality()`.
 * @fires {RtcCallbackEvent} rtc-bitrate-measurement - AMS `bitrateMeasurement` (and any other server notification, as `rtc-<kebab name>`).
 * @fires {RtcCallbackEvent} rtc-stream-information - AMS `streamInformation`.
 * @fires {RtcCallbackEvent} rtc-ice-server-config - AMS `iceServerConfig`.
 *
 * @slot error-<code> - Replaces the overlay message for one error code, e.g. `slot="error-no_stream_exist"`.
 *
 * @csspart base - The wrapper.
 * @csspart video - The `<video>`.
 * @csspart live-badge - The "Live" badge.
 * @csspart status - The waiting notice.
 * @csspart unmute-button - The tap-to-unmute button after a muted autoplay.
 * @csspart controls - The control bar.
 * @csspart button - Every control button.
 * @csspart play-button - Play / Stop (`k`, space).
 * @csspart mute-button - Sound toggle (`m`).
 * @csspart volume - The volume slider (hidden below 360 px).
 * @csspart quality-button - Opens the quality menu (only with two or more renditions).
 * @csspart quality-menu - The quality menu: `Auto` and one item per rendition.
 * @csspart quality-option - Each item of the quality menu.
 * @csspart stats-button - Shows and hides the stats panel.
 * @csspart stats-panel - The stats panel over the video.
 * @csspart pip-button - Picture-in-picture toggle (where the browser has it; hidden below 360 px).
 * @csspart fullscreen-button - Fullscreen of the player (`f`).
 * @csspart overlay - The error overlay panel.
 * @csspart overlay-title - The error title.
 * @csspart overlay-message - The error message.
 * @csspart overlay-detail - Extra error text for codes without wording of their own.
 * @csspart retry-button - The overlay's retry button.
 *
 * @cssproperty [--rtc-player-aspect-ratio=16 / 9] - Aspect ratio of the video.
 * @cssproperty [--rtc-accent-color=#2563eb] - Play and unmute buttons, the volume slider, the stats plots.
 * @cssproperty [--rtc-focus-color=#fff] - The focus ring.
 * @cssproperty [--rtc-background=#000] - Background.
 * @cssproperty [--rtc-color=#fff] - Text and icon color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius.
 */
export class RtcPlayer extends RtcStreamElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    autoMuted: { state: true },
    waiting: { state: true },
    autoplay: { type: Boolean },
    muted: { type: Boolean, reflect: true },
    stats: { type: Boolean, reflect: true },
  };

  protected readonly session: SessionController<PlaySession> = new SessionController<PlaySession>(this, {
    create: (deps) => new PlaySession(deps),
    auto: () => this.autoplay,
    start: () => this.play(),
    statsIntervalMs: 1000,
    onCallback: (cb) => this.#handleCallback(cb),
  });

  /** Autoplay with sound was refused: playing muted until the viewer unmutes. */
  private autoMuted = false;

  /** The stream is not live; the session asks again until it is. */
  private waiting = false;

  /** The requested rendition height (`0` = automatic), sent again on every `play_started`. */
  #quality = 0;

  /** Starts playing when the element is on the page. */
  autoplay = false;

  /** Plays without sound; reflected, so the mute button and the attribute stay in step. */
  muted = false;

  /** Shows the stats panel over the video (the last 60 s of bitrate, fps, loss, round trip, jitter); reflected, so the Statistics button and the attribute stay in step. */
  stats = false;

  /** The full controls, once their chunk is here. */
  #controls?: PlayerControls;
  #loading?: Promise<void>;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loading)
      this.#loading = loadControls().then(
        (m) => {
          this.#controls ??= new m.PlayerControls({
            element: this,
            session: this.session,
            muted: () => this.muted || this.autoMuted,
            waiting: () => this.waiting,
            togglePlay: () => this.#handlePlayClick(),
            toggleMute: () => this.#handleMuteClick(),
          });
        },
        (e: RtcError) => {
          this.#loading = undefined;
          this.session.report(e, false);
        },
      );
  }

  protected get autoStart(): boolean {
    return this.autoplay;
  }

  protected restart(): Promise<void> {
    const current = this.session.begin();
    this.autoMuted = this.waiting = false;
    const run = async (): Promise<void> => {
      const { url, streamId, whip } = this.readConfig();
      await this.session.connect(url, { streamId, token: this.tokenSource(), iceServers: this.iceServers }, current, whip);
    };
    return this.session.settle(run(), current);
  }

  #handleCallback({ definition }: AmsCallback): void {
    if (definition === 'waiting') this.waiting = true;
    // The <video> takes the stream once it has a track (see render()).
    if (definition === 'newTrackAvailable') this.requestUpdate();
    if (definition === 'play_started') {
      this.waiting = false;
      if (this.#quality) this.session.session?.setQuality(this.#quality);
      void this.#startPlayback();
    }
  }

  /**
   * `video.play()` with sound; if the browser refuses, muted with a tap-to-unmute button. Runs at
   * `play_started` and at every `canplay`: each track added to the stream reloads the element in
   * Chrome, which aborts a `play()` in progress.
   */
  async #startPlayback(): Promise<void> {
    await this.updateComplete;
    const video = this.video;
    if (!video?.srcObject || !video.paused) return;
    try {
      await video.play();
      return;
    } catch (e) {
      if ((e as Error | undefined)?.name !== 'NotAllowedError' || video.muted) return;
    }
    this.autoMuted = true;
    video.muted = true;
    dispatchCallback(this, 'autoplay_muted');
    // An abort here is retried at the next `canplay`.
    await video.play().catch(noop);
  }

  #handleCanPlay(): void {
    void this.#startPlayback();
  }

  #handlePlayClick(): void {
    if (this.session.active) void this.stop();
    else this.play().catch(noop);
  }

  #handleMuteClick(): void {
    const muted = !(this.muted || this.autoMuted);
    this.autoMuted = false;
    this.muted = muted;
    if (!muted) this.video?.play().catch(noop);
  }

  #handleUnmuteClick(): void {
    this.autoMuted = this.muted = false;
    const video = this.video;
    if (video) {
      // Synchronously, inside the click: the browser allows sound after a user gesture.
      video.muted = false;
      video.play().catch(noop);
    }
  }

  /**
   * Plays the stream. Resolves at `play_started` (after waiting for the stream to go live, if it
   * is not yet); rejects with an `RtcError` (also dispatched once as `rtc-error`). While already
   * playing, returns the same attempt.
   */
  play(): Promise<void> {
    return this.startOnce();
  }

  /** Stops playing and closes the connection. Never rejects. */
  async stop(): Promise<void> {
    this.autoMuted = this.waiting = false;
    await this.session.stop();
  }

  /** Asks for the rendition of `height` pixels (AMS `forceStreamQuality`); `0` = automatic. */
  setQuality(height: number): void {
    this.#quality = Number.isFinite(height) && height > 0 ? Math.floor(height) : 0;
    this.session.session?.setQuality(this.#quality);
  }

  protected override updated(): void {
    // A <video> holding a MediaStream with no tracks yet keeps the page's load event from ever
    // firing in Chromium: attach the stream once it has something to show.
    const stream = this.session.session?.stream;
    this.attach(stream?.getTracks().length ? stream : null);
  }

  protected override render(): TemplateResult {
    const s = this.session;
    const muted = this.muted || this.autoMuted;
    return html`<div part="base" class="base">
      <video part="video" .muted=${muted} playsinline @canplay=${this.#handleCanPlay}></video>
      ${s.state === 'live' ? html`<span part="live-badge" class="badge">${this.t('Live')}</span>` : nothing}
      ${this.waiting && s.state !== 'live' ? html`<span part="status" class="status" role="status">${this.t('Waiting for the stream to start…')}</span>` : nothing}
      ${
        this.autoMuted
          ? html`<button part="unmute-button" class="unmute" type="button" @click=${this.#handleUnmuteClick}>${speakerIcon(true)}${this.t('Tap to unmute')}</button>`
          : nothing
      }
      ${
        this.#controls
          ? this.#controls.render()
          : this.noControls
            ? nothing
            : html`<div part="controls" class="controls" role="group" aria-label=${this.t('Player controls')}>
            <button part="button play-button" class="primary" type="button" @click=${this.#handlePlayClick}>${this.t(s.active ? 'Stop' : 'Play')}</button>
            <button part="button mute-button" type="button" aria-label=${this.t('Mute')} aria-pressed=${muted ? 'true' : 'false'} @click=${this.#handleMuteClick}>
              ${speakerIcon(muted)}
            </button>
          </div>`
      }
      ${this.renderOverlay()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-player': RtcPlayer;
  }
}
