import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { RtcError, toRtcError } from '../../core/errors.js';
import type { RoomAdapter, RoomHost } from '../../core/room/adapter.js';
import { decodeMetaData, encodeChat } from '../../core/room/codec.js';
import { createRoom } from '../../core/room/create-room.js';
import { RoomModel, type Participant as RoomParticipant } from '../../core/room/model.js';
import type { PublishSession } from '../../core/session/publish-session.js';
import type { RtcStats } from '../../core/stats.js';
import { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { dispatchCallback, SessionController } from '../../controllers/session-controller.js';
import { RtcStreamElement } from '../rtc-element.js';
import styles from './rtc-room.styles.js';
import { audioSlots, camSvg, chatPanel, micSvg, screenSvg, tile } from './templates.js';

const noop = (): void => undefined;

/** One remote participant, keyed by its stream id. */
type Participant = RoomParticipant<MediaStreamTrack, MediaStream>;

/**
 * Columns of a grid of `n` tiles: as square as it gets (1, 2, 2, 2, 3, 3, 3, 3, 3, 4 … 4 for 16),
 * at most 2 on a narrow element.
 */
export const gridColumns = (n: number, narrow = false): number => Math.min(Math.max(1, Math.ceil(Math.sqrt(n))), narrow ? 2 : 4);

/**
 * A participant's state from its Broadcast `metaData` (the JSON object AMS's conference apps
 * keep there: `isMicMuted`, `isCameraOn`, `isScreenShared`); undefined when it holds none.
 */
export function readMetaData(metaData: string): Partial<Pick<Participant, 'micMuted' | 'cameraOff' | 'sharing'>> | undefined {
  return decodeMetaData(metaData);
}

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
 * @attr {boolean} no-controls - Hide the built-in controls and chat input.
 * @attr {boolean} no-error-overlay - Never show the error overlay.
 * @attr {string} state - Reflected, read only: the state of the own publish.
 * @attr {string} error-code - Reflected, read only: the code of the current error.
 *
 * @fires {RtcParticipantEvent} rtc-participant-joined - A remote participant appeared: `{streamId, name}`.
 * @fires {RtcParticipantEvent} rtc-participant-left - A remote participant left: `{streamId, name}`.
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
 * @fires {RtcErrorEvent} rtc-error - Every error, once.
 * @fires {RtcStateChangeEvent} rtc-state-change - `state` changed.
 *
 * @csspart base - The wrapper.
 * @csspart grid - The tile grid.
 * @csspart tile - Every tile.
 * @csspart local-tile - The own tile.
 * @csspart video - Every tile's `<video>`.
 * @csspart name - A tile's name label.
 * @csspart placeholder - The initials shown while a camera is off.
 * @csspart controls - The control bar.
 * @csspart button - Every control button.
 * @csspart chat - The chat panel.
 * @csspart chat-log - The chat messages.
 *
 * @cssproperty [--rtc-accent-color=#2563eb] - Focus ring and the active speaker's outline.
 * @cssproperty [--rtc-background=#000] - Background.
 * @cssproperty [--rtc-color=#fff] - Text color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius.
 */
export class RtcRoom extends RtcStreamElement {
  static override styles = styles;

  protected readonly session: SessionController<PublishSession> = new SessionController<PublishSession>(this, {
    create: (deps) => this.#room!.createSession(deps),
    auto: () => this.autoJoin,
    start: () => this.join(),
    statsIntervalMs: 1000,
    onCallback: (cb) => this.#room?.onCallback(cb),
  });

  private readonly media = new MediaCaptureController(this, {
    constraints: () => ({ video: !this.noVideo, audio: !this.noAudio }),
    replaceTrack: async (kind, track) => this.session.session?.replaceTrack(kind, track),
    onScreenEnded: () => void this.shareScreen(false).catch(noop),
  });

  /** The room to join: the multitrack main track, the legacy room, or the p2p stream id. Missing: `no_room_specified`. */
  @property({ attribute: 'room-id' }) roomId = '';

  /** Own name shown to the others. */
  @property({ attribute: 'stream-name' }) streamName = '';

  /**
   * `multitrack` (default: one connection for the whole room), `legacy` (`joinRoom`, one
   * connection per participant) or `p2p` (two peers, no media server); read at join, any other
   * value fails with `invalid_mode`.
   */
  @property() mode: 'multitrack' | 'legacy' | 'p2p' = 'multitrack';

  /** Joins as soon as the element is on the page. */
  @property({ type: Boolean, attribute: 'auto-join' }) autoJoin = false;

  /** Joins without the camera. */
  @property({ type: Boolean, attribute: 'no-video' }) noVideo = false;

  /** Joins without the microphone. */
  @property({ type: Boolean, attribute: 'no-audio' }) noAudio = false;

  /**
   * How many remote videos to show at most (those who came first); the others show their
   * initials and are still heard. 0: all. Also asks the server for that many video slots
   * (`setMaxVideoTrackCountCommand`), which saves the bandwidth; each slot's video goes to the
   * tile `VIDEO_TRACK_ASSIGNMENT_LIST` names.
   */
  @property({ type: Number, attribute: 'max-video-tracks' }) maxVideoTracks = 0;

  /** What the room shows: the participants with their tracks, the video slots, the chat, the active speaker. */
  readonly #model = new RoomModel<MediaStreamTrack, MediaStream>((tracks) => new MediaStream(tracks));
  /** The mode of the current (or last) join; chosen by `createRoom`, never tested here. */
  #room: RoomAdapter | null = null;

  /** The stream id this element made up for itself (no `stream-id`): setting it is not a change of stream. */
  #generatedId = '';

  /** What the mode adapters need of the element. */
  readonly #host: RoomHost = {
    element: this,
    token: () => this.tokenSource(),
    media: () => this.media,
    publisher: (active = false) => (active && !this.session.active ? null : this.session.session),
    ownLevel: () => (this.media.micMuted ? 0 : (this.session.stats?.audioLevel ?? 0)),
    dispatch: (cb) => dispatchCallback(this, cb.definition, cb.payload, cb.streamId),
    report: (e) => this.session.report(toRtcError(e), false),
  };

  constructor() {
    super();
    this.#model.on('joined', ({ id, name }) => this.emit('rtc-participant-joined', { streamId: id, name }));
    this.#model.on('left', ({ id, name }) => this.emit('rtc-participant-left', { streamId: id, name }));
    this.#model.on('change', () => this.requestUpdate());
  }

  protected get autoStart(): boolean {
    return this.autoJoin;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('streamId') && this.streamId === this.#generatedId) changed.delete('streamId');
    super.willUpdate(changed);
  }

  /** The remote participants' stream ids, in join order. */
  get participantIds(): string[] {
    return [...this.#model.participants.keys()];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.#stopPlay();
    this.media.release();
  }

  protected restart(): Promise<void> {
    const current = this.session.begin();
    void this.#stopPlay();
    const run = async (): Promise<void> => {
      if (!this.streamId) this.streamId = this.#generatedId = `p${Math.random().toString(36).slice(2, 12)}`;
      const { url, streamId } = this.readConfig();
      const room = (this.#room = createRoom(this.mode, { url, room: this.roomId, own: streamId, model: this.#model, host: this.#host, current }));
      if (room.join) await room.join();
      const stream = await this.media.acquire();
      const connecting = this.session.connect(url, room.publishOptions(stream), current);
      // The server makes us a subtrack when it takes the publish (it then asks for our offer): the
      // room can be played from there on, while our own ICE and DTLS are still under way.
      this.session.session?.on('stateChange', ({ state }) => state === 'negotiating' && room.published());
      try {
        await connecting;
      } catch (e) {
        void this.#stopPlay();
        throw e;
      }
      room.live();
    };
    return this.session.settle(run(), current);
  }

  /** Stops the plays (and leaves a legacy room); everyone leaves the grid; resolves once left. */
  #stopPlay(): Promise<void> {
    this.#model.clear();
    return this.#room?.stop() ?? Promise.resolve();
  }

  /** Publishes into the room and plays the others. Resolves once the own publish is live. */
  join(): Promise<void> {
    const s = this.session;
    return s.active && s.pending ? s.pending : this.restart();
  }

  /** Leaves the room: stops publish and play, releases the camera, microphone and connections. */
  async leave(): Promise<void> {
    const leaving = this.#stopPlay();
    const stopping = this.session.stop();
    this.media.release();
    await Promise.all([stopping, leaving]);
  }

  /** Mutes or unmutes the microphone and tells the room (`MIC_MUTED` / `MIC_UNMUTED`). */
  setMicrophoneMuted(muted: boolean): void {
    this.media.setMicMuted(!!muted);
    this.#room?.announce(muted ? 'MIC_MUTED' : 'MIC_UNMUTED');
  }

  /** Turns the camera off (black frames) or on and tells the room (`CAM_TURNED_OFF` / `CAM_TURNED_ON`). */
  async setCameraOff(off: boolean): Promise<void> {
    await this.guard(this.media.setCameraOff(!!off));
    this.#room?.announce(off ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
  }

  /**
   * Shares a screen in place of the camera (`on`), or goes back to the camera, and tells the room
   * (`SCREEN_SHARED_ON` / `SCREEN_SHARED_OFF`). Rejects with `ScreenSharePermissionDenied` when
   * the user refuses (also dispatched as `rtc-error`; the camera stays on).
   */
  async shareScreen(on: boolean): Promise<void> {
    const was = this.media.sharing;
    await this.guard(this.media.shareScreen(!!on));
    if (this.media.sharing !== was) this.#room?.announce(this.media.sharing ? 'SCREEN_SHARED_ON' : 'SCREEN_SHARED_OFF');
  }

  /** Sends a chat message (`CHAT_MESSAGE`) to everyone in the room; throws `data_channel_not_open` before joining. */
  sendMessage(text: string): void {
    const message = String(text);
    this.sendData(encodeChat(this.streamId, message));
    this.#model.say(this.streamName || 'You', message);
  }

  /**
   * P2P mode: sends `{definition, data}` to the other peer through the server (`peerMessageCommand`;
   * it arrives as `rtc-peer-message-command` with `peerDefinition` and `data`). With nobody else
   * there the server answers `no_peer_associated_before` (an `rtc-error`). Other modes: throws
   * `NoActiveConnection`.
   */
  sendPeerMessage(definition: string, data: string): void {
    if (this.#room?.sendPeerMessage(String(definition), String(data))) return;
    const error = RtcError.of('NoActiveConnection', { streamId: this.streamId || undefined });
    this.session.report(error, false);
    throw error;
  }

  /** A stats snapshot of the own publish connection. Rejects with `NoActiveConnection` when not joined. */
  getStats(): Promise<RtcStats> {
    const s = this.session.session;
    return s ? s.getStats() : Promise.reject(RtcError.of('NoActiveConnection', { streamId: this.streamId || undefined }));
  }

  #handleJoinClick(): void {
    if (this.session.active) void this.leave();
    else this.join().catch(noop);
  }

  #handleSend(event: Event): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('message') as HTMLInputElement;
    if (!input.value) return;
    try {
      this.sendMessage(input.value);
      input.value = '';
    } catch {
      /* reported as rtc-error */
    }
  }

  protected override updated(): void {
    // Through the CSSOM, which a strict CSP allows (a style attribute it would refuse).
    const n = 1 + Math.min(15, this.#model.participants.size);
    this.style.setProperty('--rtc-room-columns', String(gridColumns(n)));
    this.style.setProperty('--rtc-room-columns-narrow', String(gridColumns(n, true)));
  }

  protected override render(): TemplateResult {
    const m = this.media;
    const joined = this.session.active;
    const { participants, speaker, slots, chat } = this.#model;
    const withVideo = this.#model.withVideo(this.maxVideoTracks);
    return html`<div part="base" class="base">
      <div part="grid" class="grid" aria-label="Participants">
        ${tile('local', { name: this.streamName || 'You', stream: m.preview, micMuted: m.micMuted, cameraOff: m.cameraOff, sharing: m.sharing, local: true }, speaker === 'local')}
        ${[...participants.values()].slice(0, 15).map((p) => tile(p.id, { ...p, video: withVideo.has(p.id) }, speaker === p.id))}
      </div>
      ${audioSlots(slots)}
      ${
        this.noControls
          ? nothing
          : html`<div part="controls" class="controls" role="group" aria-label="Room controls">
            <button part="button" type="button" @click=${this.#handleJoinClick}>${joined ? 'Leave' : 'Join'}</button>
            <button part="button" type="button" aria-pressed=${m.micMuted ? 'true' : 'false'} @click=${() => this.setMicrophoneMuted(!m.micMuted)}>${micSvg(m.micMuted)} Mute</button>
            <button part="button" type="button" aria-pressed=${m.cameraOff ? 'true' : 'false'} @click=${() => void this.setCameraOff(!m.cameraOff).catch(noop)}>${camSvg(m.cameraOff)} Camera off</button>
            ${
              m.screenShareSupported && !this.noVideo
                ? html`<button part="button screen-button" type="button" aria-pressed=${m.sharing ? 'true' : 'false'} ?disabled=${!joined} @click=${() => void this.shareScreen(!m.sharing).catch(noop)}>${screenSvg} Share screen</button>`
                : nothing
            }
          </div>`
      }
      ${chatPanel(chat, this.noControls ? null : this.#handleSend)}
      ${this.renderOverlay()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
