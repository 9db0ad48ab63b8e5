import { html, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { RtcError } from '../../core/errors.js';
import { LegacyRoom } from '../../core/session/legacy-room.js';
import { P2PSession } from '../../core/session/p2p-session.js';
import { PlaySession } from '../../core/session/play-session.js';
import { PublishSession } from '../../core/session/publish-session.js';
import type { AmsCallback, RemoteTrack, SessionDeps } from '../../core/session/types.js';
import type { RtcStats } from '../../core/stats.js';
import { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { dispatchCallback, SessionController, toRtcError } from '../../controllers/session-controller.js';
import { RtcStreamElement } from '../rtc-element.js';
import styles from './rtc-room.styles.js';

const noop = (): void => undefined;
const ID = /^[A-Za-z0-9_.-]+$/;
/** The conference models `mode` selects. */
const ROOM_MODES = ['multitrack', 'legacy', 'p2p'] as const;
type RoomMode = (typeof ROOM_MODES)[number];

/** One remote participant, keyed by its stream id. */
interface Participant {
  id: string;
  name: string;
  stream: MediaStream;
  micMuted: boolean;
  cameraOff: boolean;
}

interface ChatLine {
  from: string;
  text: string;
}

const micSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
const camSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="7" width="12" height="10" rx="2"/><path d="M15 11l6-3v8l-6-3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
const initials = (name: string): string =>
  name
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/**
 * A video conference in one tag (AMS multitrack conference): publishes the local camera and
 * microphone into the room `room-id` and plays every other participant over one connection, in a
 * grid of tiles with names and mic/camera state, plus a small text chat over the data channel.
 *
 * @summary Joins an Ant Media Server conference room: local tile, remote tiles, chat.
 * @tagname rtc-room
 *
 * @attr {string} server-url - AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`.
 * @attr {string} room-id - The room to join: the multitrack main track, the legacy room, or the p2p stream id.
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
 * @cssproperty [--rtc-accent-color=#2563eb] - Focus ring.
 * @cssproperty [--rtc-background=#000] - Background.
 * @cssproperty [--rtc-color=#fff] - Text color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius.
 */
export class RtcRoom extends RtcStreamElement {
  static override styles = styles;

  protected readonly session: SessionController<PublishSession> = new SessionController<PublishSession>(this, {
    create: (deps) => (this.#mode === 'p2p' ? new P2PSession(deps) : new PublishSession(deps)),
    auto: () => this.autoJoin,
    start: () => this.join(),
    statsIntervalMs: 1000,
    onCallback: (cb) => {
      this.#onData(cb);
      if (this.#mode === 'p2p') this.#onPeer(cb);
    },
  });

  private readonly media = new MediaCaptureController(this, {
    constraints: () => ({ video: !this.noVideo, audio: !this.noAudio }),
    replaceTrack: async (kind, track) => this.session.session?.replaceTrack(kind, track),
    onScreenEnded: noop,
  });

  /** The room to join: the multitrack main track, the legacy room, or the p2p stream id. */
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

  @state() private participants: ReadonlyMap<string, Participant> = new Map();
  @state() private chat: readonly ChatLine[] = [];
  #play: PlaySession | null = null;
  #legacy: LegacyRoom | null = null;
  /** The mode of the current run. */
  #mode: RoomMode = 'multitrack';

  protected get autoStart(): boolean {
    return this.autoJoin;
  }

  /** The remote participants' stream ids, in join order. */
  get participantIds(): string[] {
    return [...this.participants.keys()];
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
      if (!this.streamId) this.streamId = `p${Math.random().toString(36).slice(2, 12)}`;
      const { url, streamId } = this.readConfig();
      const mode = (this.#mode = this.mode);
      if (!ROOM_MODES.includes(mode)) throw RtcError.of('invalid_mode', { message: `mode is not multitrack, legacy or p2p: "${String(mode).slice(0, 32)}".` });
      // Legacy: the server checks the room (a missing one is its `no_room_specified`).
      if (mode !== 'legacy' && !ID.test(this.roomId)) throw RtcError.of('invalid_stream_id', { message: this.roomId ? 'room-id has characters other than A-Z a-z 0-9 _ . -' : 'room-id is missing.' });
      const room = this.roomId;
      if (mode === 'legacy') await this.#joinLegacy(url, room, streamId, current);
      const stream = await this.media.acquire();
      const publishId = mode === 'p2p' ? room : streamId;
      const mainTrack = mode === 'multitrack' ? room : undefined;
      await this.session.connect(url, { streamId: publishId, stream, token: this.tokenSource(), iceServers: this.iceServers, streamName: this.streamName || undefined, mainTrack }, current);
      if (!current() || mode !== 'multitrack') return;
      this.#startPlay(url, room, streamId);
    };
    return this.session.settle(run(), current);
  }

  #startPlay(url: string, room: string, own: string): void {
    const p = new PlaySession({ url, online: globalThis as unknown as SessionDeps['online'] });
    this.#play = p;
    const mine = (): boolean => this.#play === p;
    p.on('callback', (cb) => {
      if (!mine()) return;
      dispatchCallback(this, cb.definition, cb.payload, cb.streamId);
      this.#onPlayCallback(cb, own);
      this.#onData(cb);
    });
    p.on('track', (t) => mine() && this.#onTrack(t, own));
    p.on('error', (e) => mine() && this.session.report(e, false));
    p.start({ streamId: room, userPublishId: own, room, token: this.tokenSource(), iceServers: this.iceServers }).catch((e: unknown) => {
      if (mine()) this.session.report(toRtcError(e), false);
    });
  }

  /** Legacy mode: joins the room (own socket), then plays every other member as it appears. */
  async #joinLegacy(url: string, room: string, own: string, current: () => boolean): Promise<void> {
    const r = new LegacyRoom({ url, online: globalThis as unknown as SessionDeps['online'] });
    this.#legacy = r;
    const mine = (): boolean => this.#legacy === r && current();
    r.on('callback', (cb) => {
      // `leavedFromRoom` answers our leave, after this run ended.
      if (!mine() && cb.definition !== 'leavedFromRoom') return;
      dispatchCallback(this, cb.definition, cb.payload, cb.streamId);
      this.#onData(cb);
    });
    r.on('error', (e) => mine() && this.session.report(e, false));
    r.on('added', ({ streamId, name }) => mine() && this.#ensure(streamId, name));
    r.on('removed', ({ streamId }) => mine() && this.#drop(streamId));
    r.on('track', (t) => mine() && this.#onTrack(t, own, t.streamId));
    await r.join({ room, streamId: own, streamName: this.streamName || undefined, token: this.tokenSource(), iceServers: this.iceServers });
  }

  /** P2P mode: the other peer's media, and its leaving (`stop`). */
  #onPeer({ definition, payload, streamId = '' }: AmsCallback): void {
    if (definition === 'newTrackAvailable') this.#onTrack(payload as unknown as RemoteTrack, '', streamId);
    else if (definition === 'stop') this.#drop(streamId);
  }

  /** Stops the plays (and leaves a legacy room); resolves once left. */
  #stopPlay(): Promise<void> {
    const p = this.#play;
    this.#play = null;
    if (p) void p.stop().finally(() => p.dispose());
    const r = this.#legacy;
    this.#legacy = null;
    for (const part of this.participants.values()) this.emit('rtc-participant-left', { streamId: part.id, name: part.name });
    this.participants = new Map();
    return r ? r.leave().finally(() => r.dispose()) : Promise.resolve();
  }

  #ensure(id: string, name?: string): Participant {
    let part = this.participants.get(id);
    if (!part) {
      part = { id, name: name || id, stream: new MediaStream(), micMuted: false, cameraOff: false };
      this.participants = new Map(this.participants).set(id, part);
      this.emit('rtc-participant-joined', { streamId: id, name: part.name });
    } else if (name && part.name !== name) {
      part.name = name;
      this.requestUpdate();
    }
    return part;
  }

  #drop(id: string): void {
    const part = this.participants.get(id);
    if (!part) return;
    const next = new Map(this.participants);
    next.delete(id);
    this.participants = next;
    this.emit('rtc-participant-left', { streamId: id, name: part.name });
  }

  #onTrack({ track, trackId }: RemoteTrack, own: string, id = /^ARDAMS[av]/.test(trackId) ? trackId.slice(7) : ''): void {
    if (!id || id === own) return;
    const part = this.#ensure(id);
    for (const old of part.stream.getTracks()) if (old.kind === track.kind && old !== track) part.stream.removeTrack(old);
    if (!part.stream.getTracks().includes(track)) part.stream.addTrack(track);
    // A fresh object, so the tile's <video> picks the new track up.
    part.stream = new MediaStream(part.stream.getTracks());
    track.addEventListener('ended', () => {
      const cur = this.participants.get(id);
      if (!cur) return;
      cur.stream.removeTrack(track);
      if (cur.stream.getTracks().every((t) => t.readyState === 'ended')) this.#drop(id);
    });
    this.requestUpdate();
  }

  #onPlayCallback({ definition, payload }: AmsCallback, own: string): void {
    const id = typeof payload.trackId === 'string' ? payload.trackId : '';
    if (!id || id === own) return;
    if (definition === 'subtrackAdded') this.#ensure(id, typeof payload.streamName === 'string' ? payload.streamName : undefined);
    else if (definition === 'subtrackRemoved') this.#drop(id);
  }

  /** Room data channel events (`CHAT_MESSAGE`, `MIC_MUTED`, …). */
  #onData({ definition, payload }: AmsCallback): void {
    if (definition !== 'data_received' || typeof payload.data !== 'string') return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(payload.data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const from = typeof msg.streamId === 'string' ? msg.streamId : '';
    if (!from || from === this.streamId) return;
    const part = this.participants.get(from);
    switch (msg.eventType) {
      case 'CHAT_MESSAGE':
        this.chat = [...this.chat.slice(-99), { from: part?.name ?? from, text: String(msg.message ?? '') }];
        return;
      case 'MIC_MUTED':
      case 'MIC_UNMUTED':
        if (part) part.micMuted = msg.eventType === 'MIC_MUTED';
        break;
      case 'CAM_TURNED_OFF':
      case 'CAM_TURNED_ON':
        if (part) part.cameraOff = msg.eventType === 'CAM_TURNED_OFF';
        break;
      default:
        return;
    }
    this.requestUpdate();
  }

  #announce(eventType: string, extra: Record<string, unknown> = {}): void {
    this.session.session?.sendData(JSON.stringify({ streamId: this.streamId, eventType, ...extra }));
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
    try {
      this.#announce(muted ? 'MIC_MUTED' : 'MIC_UNMUTED');
    } catch {
      /* not joined yet: the state is local only */
    }
  }

  /** Turns the camera off (black frames) or on and tells the room (`CAM_TURNED_OFF` / `CAM_TURNED_ON`). */
  async setCameraOff(off: boolean): Promise<void> {
    try {
      await this.media.setCameraOff(!!off);
    } catch (e) {
      const error = toRtcError(e);
      this.session.report(error, false);
      throw error;
    }
    try {
      this.#announce(off ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
    } catch {
      /* not joined yet */
    }
  }

  /** Sends a chat message (`CHAT_MESSAGE`) to everyone in the room; throws `data_channel_not_open` before joining. */
  sendMessage(text: string): void {
    const message = String(text);
    this.sendData(JSON.stringify({ streamId: this.streamId, eventType: 'CHAT_MESSAGE', message }));
    this.chat = [...this.chat.slice(-99), { from: this.streamName || 'You', text: message }];
  }

  /**
   * P2P mode: sends `{definition, data}` to the other peer through the server (`peerMessageCommand`;
   * it arrives as `rtc-peer-message-command` with `peerDefinition` and `data`). With nobody else
   * there the server answers `no_peer_associated_before` (an `rtc-error`). Other modes: throws
   * `NoActiveConnection`.
   */
  sendPeerMessage(definition: string, data: string): void {
    const s = this.session.session;
    if (s instanceof P2PSession) return s.sendPeerMessage(String(definition), String(data));
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

  #tile(key: string, name: string, stream: MediaStream | null, micMuted: boolean, cameraOff: boolean, local: boolean): TemplateResult {
    return html`<div part=${local ? 'tile local-tile' : 'tile'} class="tile" data-participant=${key}>
      <video part="video" class=${local ? 'mirror' : ''} .srcObject=${stream} .muted=${local} autoplay playsinline></video>
      ${cameraOff ? html`<div part="placeholder" class="placeholder" aria-hidden="true">${initials(name)}</div>` : nothing}
      <span part="name" class="name"
        ><span class="label">${name}</span>
        <span class="mic" data-off=${micMuted ? 'true' : 'false'} role="img" aria-label=${micMuted ? 'Microphone muted' : 'Microphone on'}>${micSvg(micMuted)}</span>
        <span class="cam" data-off=${cameraOff ? 'true' : 'false'} role="img" aria-label=${cameraOff ? 'Camera off' : 'Camera on'}>${camSvg(cameraOff)}</span></span
      >
    </div>`;
  }

  protected override render(): TemplateResult {
    const m = this.media;
    const joined = this.session.active;
    return html`<div part="base" class="base">
      <div part="grid" class="grid" aria-label="Participants">
        ${this.#tile('local', this.streamName || 'You', m.preview, m.micMuted, m.cameraOff, true)}
        ${[...this.participants.values()].slice(0, 15).map((p) => this.#tile(p.id, p.name, p.stream, p.micMuted, p.cameraOff, false))}
      </div>
      ${this.noControls
        ? nothing
        : html`<div part="controls" class="controls" role="group" aria-label="Room controls">
            <button part="button" type="button" @click=${this.#handleJoinClick}>${joined ? 'Leave' : 'Join'}</button>
            <button part="button" type="button" aria-pressed=${m.micMuted ? 'true' : 'false'} @click=${() => this.setMicrophoneMuted(!m.micMuted)}>${micSvg(m.micMuted)} Mute</button>
            <button part="button" type="button" aria-pressed=${m.cameraOff ? 'true' : 'false'} @click=${() => void this.setCameraOff(!m.cameraOff).catch(noop)}>${camSvg(m.cameraOff)} Camera off</button>
          </div>`}
      <div part="chat" class="chat">
        <ul part="chat-log" class="log" aria-label="Chat" aria-live="polite">
          ${this.chat.map((c) => html`<li><b>${c.from}</b>: ${c.text}</li>`)}
        </ul>
        ${this.noControls
          ? nothing
          : html`<form @submit=${this.#handleSend}><input name="message" aria-label="Chat message" autocomplete="off" /><button part="button" type="submit">Send</button></form>`}
      </div>
      ${this.renderOverlay()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
