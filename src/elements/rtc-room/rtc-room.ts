import { adoptStyles, html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { RtcError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import type { PublishSession } from '../../core/session/publish-session.js';
import { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { noop, SessionController } from '../../controllers/session-controller.js';
import { RtcStreamElement } from '../rtc-element.js';
import type { RoomView } from './room-view.js';

/**
 * The room's code: its own chunk, fetched beside this module (relative to its URL, so the bundle
 * folder works from any path or CDN) the first time a `<rtc-room>` connects or joins. A failed
 * fetch is `module_load_failed`, and forgotten: the next join (or the overlay's retry) fetches again.
 */
const loadViewModule = lazy(() => import('./room-view.js'));

/**
 * A video conference in one tag (AMS multitrack conference): publishes the local camera and
 * microphone into the room `room-id` and plays every other participant over one connection, in a
 * grid of tiles with names and mic/camera state, plus a small text chat over the data channel.
 *
 * @summary Joins an Ant Media Server conference room: local tile, remote tiles, chat.
 * @tagname rtc-room
 *
 * @attr {string} server-url - AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`.
 * @attr {string} room-id - The room to join: the multitrack main track, the legacy room, or the p2p stream id. Missing: `no_room_specified`.
 * @attr {string} mode - `multitrack` (default: one connection for the whole room), `legacy` (`joinRoom`, one connection per participant) or `p2p` (two peers, no media server); read at join, any other value fails with `invalid_mode`.
 * @attr {string} stream-id - Own stream id; generated when absent.
 * @attr {string} stream-name - Own name shown to the others.
 * @attr {string} token - Publish/play token; read once and removed from the DOM.
 * @attr {boolean} auto-join - Join when the element is connected.
 * @attr {boolean} no-video - Join without camera.
 * @attr {boolean} no-audio - Join without microphone.
 * @attr {string} layout - `grid` (default: every tile the same size) or `speaker` (the pinned tile, else a shared screen, else the active speaker, large; the others in a strip).
 * @attr {boolean} no-controls - Hide the built-in controls, the device check and the chat input.
 * @attr {boolean} no-error-overlay - Never show the error overlay.
 * @attr {string} state - Reflected, read only: the state of the own publish.
 * @attr {string} error-code - Reflected, read only: the code of the current error.
 *
 * @fires {RtcParticipantEvent} rtc-participant-joined - A remote participant appeared: `{streamId, name}`, its stream id and the name its tile shows; dispatched once the name is known (its record, or in p2p its first message), at most 3 s after its tile appeared (then the best name known: its stream id).
 * @fires {RtcParticipantEvent} rtc-participant-left - A participant announced by `rtc-participant-joined` left: the same `{streamId, name}` (the name its tile showed last).
 * @fires {RtcCallbackEvent} rtc-data-received - AMS `data_received`: `{data}` from the room data channel.
 * @fires {RtcCallbackEvent} rtc-subtrack-added - AMS `subtrackAdded`.
 * @fires {RtcCallbackEvent} rtc-subtrack-removed - AMS `subtrackRemoved`.
 * @fires {RtcCallbackEvent} rtc-new-track-available - AMS `newTrackAvailable`.
 * @fires {RtcCallbackEvent} rtc-got-sound-list - AMS `gotSoundList`, every 400 ms while joined: `{soundList}`, the audio level (0–1) of each participant by stream id, own included.
 * @fires {RtcCallbackEvent} rtc-joined-the-room - AMS `joinedTheRoom` (legacy mode): own `streamId`, `streams`.
 * @fires {RtcCallbackEvent} rtc-room-information - AMS `roomInformation` (legacy mode, every 2 s): `streams`, `streamList`.
 * @fires {RtcCallbackEvent} rtc-leaved-from-room - AMS `leavedFromRoom` (legacy mode).
 * @fires {RtcCallbackEvent} rtc-joined - AMS `joined` (p2p mode): waiting for the other peer.
 * @fires {RtcCallbackEvent} rtc-leaved - AMS `leaved` (p2p mode).
 * @fires {RtcCallbackEvent} rtc-stop - AMS `stop` (p2p mode): the other peer left.
 * @fires {RtcCallbackEvent} rtc-peer-message-command - AMS `peerMessageCommand` (p2p mode): `{peerDefinition, data}` from the other peer.
 * @fires {RtcCallbackEvent} rtc-publish-started - AMS `publish_started` (and every other publisher and player callback, as `rtc-<kebab name>`).
 * @fires {RtcErrorEvent} rtc-error - Every error, once. A server too busy to admit the join, a publish or a play (`highResourceUsage`) is shown, and the room asks again every 2-5 s by itself.
 * @fires {RtcStateChangeEvent} rtc-state-change - `state` changed.
 *
 * @csspart base - The wrapper.
 * @csspart grid - The stage holding the tiles.
 * @csspart tile - Every tile.
 * @csspart local-tile - The own tile (before joining: the camera preview).
 * @csspart pinned-tile - The pinned tile.
 * @csspart video - Every tile's `<video>`.
 * @csspart name - A tile's name label.
 * @csspart placeholder - The initials shown while a camera is off.
 * @csspart pin-button - A tile's pin button.
 * @csspart device-check - The panel before joining: name, camera, microphone, level meter, Join.
 * @csspart name-input - The name field of the device check.
 * @csspart select - Both device menus.
 * @csspart camera-select - The camera menu.
 * @csspart mic-select - The microphone menu.
 * @csspart mic-level - The microphone level meter.
 * @csspart join-button - Join (the device check).
 * @csspart controls - The control bar under the stage.
 * @csspart button - Every button of the controls, the device check and the chat.
 * @csspart mic-button - Microphone mute toggle.
 * @csspart camera-button - Camera off toggle.
 * @csspart screen-button - Screen share toggle.
 * @csspart chat-button - Opens and closes the chat.
 * @csspart fullscreen-button - Full screen toggle (the whole room).
 * @csspart leave-button - Leave.
 * @csspart chat - The chat panel: beside the stage on a wide room, a sheet under the controls on a narrow one.
 * @csspart chat-log - The chat messages.
 * @csspart chat-input - The message field.
 * @csspart send-button - Send.
 * @csspart chat-close-button - Closes the chat.
 *
 * @cssproperty [--rtc-accent-color=#2563eb] - Join, Send, pressed toggles and the active speaker's outline.
 * @cssproperty [--rtc-focus-color=#fff] - The focus ring (drawn on a dark edge, so it shows on any background).
 * @cssproperty [--rtc-background=#111] - Background.
 * @cssproperty [--rtc-color=#fff] - Text color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius.
 */
export class RtcRoom extends RtcStreamElement {
  static override properties: PropertyDeclarations = {
    roomId: { attribute: 'room-id' },
    streamName: { attribute: 'stream-name' },
    mode: {},
    autoJoin: { type: Boolean, attribute: 'auto-join' },
    noVideo: { type: Boolean, attribute: 'no-video' },
    noAudio: { type: Boolean, attribute: 'no-audio' },
    maxVideoTracks: { type: Number, attribute: 'max-video-tracks' },
    layout: {},
  };

  protected readonly session: SessionController<PublishSession> = new SessionController<PublishSession>(this, {
    create: (deps) => this.#view!.createSession(deps),
    auto: () => this.autoJoin,
    start: () => this.join(),
    statsIntervalMs: 1000,
    onCallback: (cb) => this.#view?.onCallback(cb),
    // A failed join holds no camera or microphone (the next join opens them again).
    onFail: () => this.media.release(),
  });

  private readonly media = new MediaCaptureController(this, {
    constraints: () => ({ video: !this.noVideo, audio: !this.noAudio }),
    replaceTrack: async (kind, track) => this.session.session?.replaceTrack(kind, track),
    onScreenEnded: () => void this.shareScreen(false).catch(noop),
  });

  /** The room to join: the multitrack main track, the legacy room, or the p2p stream id. Missing: `no_room_specified`. */
  roomId = '';

  /** Own name shown to the others. */
  streamName = '';

  /**
   * `multitrack` (default: one connection for the whole room), `legacy` (`joinRoom`, one
   * connection per participant) or `p2p` (two peers, no media server); read at join, any other
   * value fails with `invalid_mode`.
   */
  mode: 'multitrack' | 'legacy' | 'p2p' = 'multitrack';

  /** Joins as soon as the element is on the page. */
  autoJoin = false;

  /** Joins without the camera. */
  noVideo = false;

  /** Joins without the microphone. */
  noAudio = false;

  /**
   * How many remote videos to show at most (those who came first); the others show their
   * initials and are still heard. 0: all. Also asks the server for that many video slots
   * (`setMaxVideoTrackCountCommand`), which saves the bandwidth; each slot's video goes to the
   * tile `VIDEO_TRACK_ASSIGNMENT_LIST` names.
   */
  maxVideoTracks = 0;

  /** `grid` (every tile the same size) or `speaker` (the pinned tile, else a shared screen, else the active speaker, large; the others in a strip). */
  layout: 'grid' | 'speaker' = 'grid';

  /** The room's model, mode, grid and chat, once its chunk is loaded. */
  #view: RoomView | null = null;

  constructor() {
    super();
    // Taken off the page (not moved: see RtcStreamElement): the plays stop with the publish and capture.
    this.addController({ hostDisconnected: () => void this.#view?.stopPlay() });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load().catch(noop);
  }

  /** The view, loading its chunk the first time; the styles are adopted with it. */
  async #load(): Promise<RoomView> {
    const m = await loadViewModule();
    if (!this.#view) {
      this.#view = new m.RoomView({
        element: this,
        session: this.session,
        media: this.media,
        readConfig: () => this.readConfig(),
        token: () => this.tokenSource(),
      });
      adoptStyles(this.renderRoot as ShadowRoot, m.styles);
      this.requestUpdate();
    }
    return this.#view;
  }

  /** Also waits for the room's chunk (fetching it if need be), so `await el.updateComplete` sees the rendered room. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    return this.#view
      ? done
      : this.#load().then(
          () => super.getUpdateComplete(),
          () => done,
        );
  }

  protected get autoStart(): boolean {
    return this.autoJoin;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('streamId') && this.streamId === (this.#view?.generatedId ?? '')) changed.delete('streamId');
    super.willUpdate(changed);
  }

  /** The remote participants' stream ids, in join order. */
  get participantIds(): string[] {
    return [...(this.#view?.model.participants.keys() ?? [])];
  }

  protected restart(): Promise<void> {
    const current = this.session.begin();
    void this.#view?.stopPlay();
    // Once loaded, the view runs at once (a bad attribute fails before anything else can happen).
    const view = this.#view;
    return this.session.settle(view ? view.run(current) : this.#load().then((v) => v.run(current)), current);
  }

  /** Publishes into the room and plays the others. Resolves once the own publish is live. */
  join(): Promise<void> {
    return this.startOnce();
  }

  /** Leaves the room: stops publish and play, releases the camera, microphone and connections. */
  async leave(): Promise<void> {
    const leaving = this.#view?.stopPlay();
    const stopping = this.session.stop();
    this.media.release();
    await Promise.all([stopping, leaving]);
  }

  /** Mutes or unmutes the microphone and tells the room (`MIC_MUTED` / `MIC_UNMUTED`). */
  setMicrophoneMuted(muted: boolean): void {
    this.media.setMicMuted(!!muted);
    this.#view?.announce(muted ? 'MIC_MUTED' : 'MIC_UNMUTED');
  }

  /** Turns the camera off (black frames) or on and tells the room (`CAM_TURNED_OFF` / `CAM_TURNED_ON`). */
  async setCameraOff(off: boolean): Promise<void> {
    await this.guard(this.media.setCameraOff(!!off));
    this.#view?.announce(off ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
  }

  /**
   * Shares a screen in place of the camera (`on`), or goes back to the camera, and tells the room
   * (`SCREEN_SHARED_ON` / `SCREEN_SHARED_OFF`). Rejects with `ScreenSharePermissionDenied` when
   * the user refuses (also dispatched as `rtc-error`; the camera stays on).
   */
  async shareScreen(on: boolean): Promise<void> {
    const was = this.media.sharing;
    await this.guard(this.media.shareScreen(!!on));
    if (this.media.sharing !== was) this.#view?.announce(this.media.sharing ? 'SCREEN_SHARED_ON' : 'SCREEN_SHARED_OFF');
  }

  /** Sends a chat message (`CHAT_MESSAGE`) to everyone in the room; throws `data_channel_not_open` before joining. */
  sendMessage(text: string): void {
    // Without a view there is no session: sendData throws (and reports) data_channel_not_open.
    if (this.#view) this.#view.sendMessage(String(text));
    else this.sendData(String(text));
  }

  /**
   * P2P mode: sends `{definition, data}` to the other peer through the server (`peerMessageCommand`;
   * it arrives as `rtc-peer-message-command` with `peerDefinition` and `data`). With nobody else
   * there the server answers `no_peer_associated_before` (an `rtc-error`). Other modes: throws
   * `NoActiveConnection`.
   */
  sendPeerMessage(definition: string, data: string): void {
    if (this.#view?.sendPeerMessage(String(definition), String(data))) return;
    const error = RtcError.of('NoActiveConnection', { streamId: this.streamId || undefined });
    this.session.report(error, false);
    throw error;
  }

  protected override updated(): void {
    this.#view?.updated();
  }

  protected override render(): TemplateResult {
    const overlay = this.renderOverlay();
    return this.#view ? this.#view.render(overlay) : html`${overlay}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
