import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { RtcError } from '../../core/errors.js';
import { LegacyRoom } from '../../core/session/legacy-room.js';
import { P2PSession } from '../../core/session/p2p-session.js';
import { PublishSession } from '../../core/session/publish-session.js';
import { RoomPlaySession } from '../../core/session/room-session.js';
import type { AmsCallback, RemoteTrack, SessionDeps } from '../../core/session/types.js';
import type { RtcStats } from '../../core/stats.js';
import { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { dispatchCallback, SessionController, toRtcError } from '../../controllers/session-controller.js';
import { RtcStreamElement } from '../rtc-element.js';
import styles from './rtc-room.styles.js';

const noop = (): void => undefined;
const ID = /^[A-Za-z0-9_.-]+$/;
/** Track ids of AMS's limited slots (reference 8.2), after `ARDAMSv` / `ARDAMSa`. */
const SLOT = /^(video|audio)Track\d+$/;
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
  sharing: boolean;
}

/**
 * Columns of a grid of `n` tiles: as square as it gets (1, 2, 2, 2, 3, 3, 3, 3, 3, 4 … 4 for 16),
 * at most 2 on a narrow element.
 */
export const gridColumns = (n: number, narrow = false): number => Math.min(Math.max(1, Math.ceil(Math.sqrt(n))), narrow ? 2 : 4);

/** Audio level (0–1, as `getStats` gives it) over which a participant counts as speaking. */
const SPEAKING_LEVEL = 0.02;
/** How often audio levels are read, and how long a speaker keeps the highlight after going quiet. */
const LEVEL_INTERVAL_MS = 400;
const SPEAKER_HOLD_MS = 1200;

/**
 * A participant's state from its Broadcast `metaData` (the JSON object AMS's conference apps
 * keep there: `isMicMuted`, `isCameraOn`, `isScreenShared`); undefined when it holds none.
 */
export function readMetaData(metaData: string): Partial<Pick<Participant, 'micMuted' | 'cameraOff' | 'sharing'>> | undefined {
  let m: unknown;
  try {
    m = JSON.parse(metaData);
  } catch {
    return undefined;
  }
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  const out: Partial<Pick<Participant, 'micMuted' | 'cameraOff' | 'sharing'>> = {};
  if (typeof o.isMicMuted === 'boolean') out.micMuted = o.isMicMuted;
  if (typeof o.isCameraOn === 'boolean') out.cameraOff = !o.isCameraOn;
  else if (typeof o.isCameraOff === 'boolean') out.cameraOff = o.isCameraOff;
  if (typeof o.isScreenShared === 'boolean') out.sharing = o.isScreenShared;
  return out;
}

interface ChatLine {
  from: string;
  text: string;
}

const micSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
const camSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="7" width="12" height="10" rx="2"/><path d="M15 11l6-3v8l-6-3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
const screenSvg = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/></svg>`;
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

  @state() private participants: ReadonlyMap<string, Participant> = new Map();
  @state() private chat: readonly ChatLine[] = [];
  /** Who holds the active-speaker highlight: a participant id, `local`, or `''`. */
  @state() private speaker = '';
  #play: RoomPlaySession | null = null;
  #levelTimer: ReturnType<typeof setInterval> | undefined;
  readonly #watched = new WeakSet<MediaStreamTrack>();
  readonly #audioStreams = new WeakMap<MediaStreamTrack, MediaStream>();
  /** AMS video/audio slots (`videoTrack0`, `audioTrack0`, …): label → track, and video label → participant. */
  #slotTracks = new Map<string, MediaStreamTrack>();
  #slotOwners = new Map<string, string>();
  #speakerSince = 0;
  #legacy: LegacyRoom | null = null;
  /** The mode of the current run. */
  #mode: RoomMode = 'multitrack';

  /** The stream id this element made up for itself (no `stream-id`): setting it is not a change of stream. */
  #generatedId = '';

  protected get autoStart(): boolean {
    return this.autoJoin;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('streamId') && this.streamId === this.#generatedId) changed.delete('streamId');
    super.willUpdate(changed);
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
      if (!this.streamId) this.streamId = this.#generatedId = `p${Math.random().toString(36).slice(2, 12)}`;
      const { url, streamId } = this.readConfig();
      const mode = (this.#mode = this.mode);
      if (!ROOM_MODES.includes(mode)) throw RtcError.of('invalid_mode', { message: `mode is not multitrack, legacy or p2p: "${String(mode).slice(0, 32)}".` });
      // Legacy: the server checks the room (a missing one is its `no_room_specified`); the other
      // modes say the same code without asking.
      if (mode !== 'legacy' && !this.roomId) throw RtcError.of('no_room_specified', { message: 'room-id is missing.' });
      if (mode !== 'legacy' && !ID.test(this.roomId)) throw RtcError.of('invalid_stream_id', { message: 'room-id has characters other than A-Z a-z 0-9 _ . -' });
      const room = this.roomId;
      if (mode === 'legacy') await this.#joinLegacy(url, room, streamId, current);
      const stream = await this.media.acquire();
      const publishId = mode === 'p2p' ? room : streamId;
      const mainTrack = mode === 'multitrack' ? room : undefined;
      const connecting = this.session.connect(
        url,
        { streamId: publishId, stream, token: this.tokenSource(), iceServers: this.iceServers, streamName: this.streamName || undefined, mainTrack, metaData: this.#metaData() },
        current,
      );
      const play = (): void => {
        if (current() && mode === 'multitrack' && !this.#play) this.#startPlay(url, room, streamId);
      };
      // The server makes us a subtrack when it takes the publish (it then asks for our offer): the
      // room can be played from there on, while our own ICE and DTLS are still under way.
      this.session.session?.on('stateChange', ({ state }) => state === 'negotiating' && play());
      try {
        await connecting;
      } catch (e) {
        void this.#stopPlay();
        throw e;
      }
      play();
      if (!current()) return;
      clearInterval(this.#levelTimer);
      this.#levelTimer = setInterval(() => void this.#readLevels(current), LEVEL_INTERVAL_MS);
    };
    return this.session.settle(run(), current);
  }

  #startPlay(url: string, room: string, own: string): void {
    const p = new RoomPlaySession({ url, online: globalThis as unknown as SessionDeps['online'] });
    this.#play = p;
    const mine = (): boolean => this.#play === p;
    p.on('callback', (cb) => {
      if (!mine()) return;
      dispatchCallback(this, cb.definition, cb.payload, cb.streamId);
      this.#onPlayCallback(p, cb, room, own);
      this.#onData(cb);
    });
    p.on('track', (t) => mine() && this.#onTrack(t, own));
    // A room not there yet (an AMS slower than our publish) is asked for again by the session itself.
    p.on('error', (e) => mine() && e.code !== 'no_stream_exist' && this.session.report(e, false));
    p.start({ streamId: room, userPublishId: own, room, token: this.tokenSource(), iceServers: this.iceServers }).catch((e: unknown) => {
      if (mine()) this.session.report(toRtcError(e), false);
    });
  }

  /** Names and mic/camera state of everyone in the room (or of `only`), from their Broadcast records. */
  async #refresh(p: RoomPlaySession, room: string, own: string, only?: string): Promise<void> {
    const ids = only ? [only] : ((await p.broadcast(room))?.subTrackStreamIds ?? []);
    const records = await Promise.all(ids.filter((id) => id !== own).map((id) => p.broadcast(id)));
    // In the room's order, whichever answer came first.
    for (const b of records) {
      if (this.#play !== p || !b || (b.status && b.status !== 'broadcasting')) continue;
      Object.assign(this.#ensure(b.streamId, b.name), readMetaData(b.metaData));
      this.requestUpdate();
    }
  }

  /** Every remote participant's audio level (0–1), by participant id, as the current mode can tell. */
  async #remoteLevels(): Promise<Map<string, number>> {
    const none = new Map<string, number>();
    if (this.#mode === 'p2p') {
      // The connection's received audio is the other peer's (read now: the 1 s stats are too coarse for a beep).
      const stats = await this.session.session?.getStats().catch(() => undefined);
      return new Map([[this.roomId, stats?.audioLevel ?? 0]]);
    }
    if (this.#legacy) return this.#legacy.audioLevels().catch(() => none);
    const byTrack = (await this.#play?.audioLevels().catch(() => none)) ?? none;
    return new Map([...this.participants.values()].map((p) => [p.id, byTrack.get(p.stream.getAudioTracks()[0]?.id ?? '') ?? 0]));
  }

  /**
   * The active speaker: the loudest participant (or the local microphone) over `SPEAKING_LEVEL`;
   * and `gotSoundList` with every level.
   */
  async #readLevels(current: () => boolean): Promise<void> {
    const levels = await this.#remoteLevels();
    if (!current()) return;
    let best = '';
    let max = SPEAKING_LEVEL;
    const soundList: Record<string, number> = {};
    for (const part of this.participants.values()) {
      const level = part.micMuted ? 0 : (levels.get(part.id) ?? 0);
      soundList[part.id] = level;
      if (level > max) [best, max] = [part.id, level];
    }
    // In p2p the session's level is the other peer's: the microphone's is not known there.
    const local = this.media.micMuted || this.#mode === 'p2p' ? 0 : (this.session.stats?.audioLevel ?? 0);
    soundList[this.streamId] = local;
    if (local > max) best = 'local';
    dispatchCallback(this, 'gotSoundList', { soundList });
    const now = Date.now();
    if (best) {
      this.#speakerSince = now;
      this.speaker = best;
    } else if (now - this.#speakerSince > SPEAKER_HOLD_MS) this.speaker = '';
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
    r.on('member', ({ streamId, name, metaData }) => {
      if (!mine()) return;
      Object.assign(this.#ensure(streamId, name), readMetaData(metaData));
      this.requestUpdate();
    });
    r.on('removed', ({ streamId }) => mine() && this.#drop(streamId));
    r.on('track', (t) => mine() && this.#onTrack(t, own, t.streamId));
    await r.join({ room, streamId: own, streamName: this.streamName || undefined, token: this.tokenSource(), iceServers: this.iceServers });
  }

  /**
   * P2P mode: the other peer's media, and its leaving (`stop`). A new peer has no metaData to read:
   * once the channel to it opens, it is told our name and mic/camera state.
   */
  #onPeer({ definition, payload, streamId = '' }: AmsCallback): void {
    if (definition === 'newTrackAvailable') this.#onTrack(payload as unknown as RemoteTrack, '', streamId);
    else if (definition === 'stop') this.#drop(streamId);
    else if (definition === 'data_channel_opened') {
      this.#announce(this.media.micMuted ? 'MIC_MUTED' : 'MIC_UNMUTED');
      this.#announce(this.media.cameraOff ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
    }
  }

  /** Stops the plays (and leaves a legacy room); resolves once left. */
  #stopPlay(): Promise<void> {
    const p = this.#play;
    this.#play = null;
    clearInterval(this.#levelTimer);
    this.speaker = '';
    this.#slotTracks = new Map();
    this.#slotOwners = new Map();
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
      part = { id, name: name || id, stream: new MediaStream(), micMuted: false, cameraOff: false, sharing: false };
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
    if (!this.#watched.has(track)) {
      this.#watched.add(track);
      // Muted: no media yet, or its m-line went inactive (a video limit): the tile shows initials.
      track.addEventListener('mute', () => this.requestUpdate());
      track.addEventListener('unmute', () => this.requestUpdate());
      track.addEventListener('ended', () => {
        const owner = this.#ownerOf(track);
        if (!owner) return;
        owner.stream.removeTrack(track);
        if (owner.stream.getTracks().every((t) => t.readyState === 'ended')) this.#drop(owner.id);
      });
    }
    if (this.#mode === 'multitrack' && SLOT.test(id)) {
      // AMS with limited video slots: the track belongs to whoever VIDEO_TRACK_ASSIGNMENT_LIST says.
      this.#slotTracks.set(id, track);
      this.#placeSlots();
    } else this.#give(track, this.#ensure(id));
  }

  /** One stream object per audio slot track, so re-renders keep the same `srcObject`. */
  #audioStream(track: MediaStreamTrack): MediaStream {
    let s = this.#audioStreams.get(track);
    if (!s) this.#audioStreams.set(track, (s = new MediaStream([track])));
    return s;
  }

  #ownerOf(track: MediaStreamTrack): Participant | undefined {
    return [...this.participants.values()].find((p) => p.stream.getTracks().includes(track));
  }

  /** Puts `track` in `part`'s tile (out of any other), or in none when `part` is undefined. */
  #give(track: MediaStreamTrack, part: Participant | undefined): void {
    // A freed m-line reused for a newcomer brings back the same track object: it is not the
    // previous owner's any more.
    const before = this.#ownerOf(track);
    if (before === part && part) return;
    if (before) before.stream = new MediaStream(before.stream.getTracks().filter((t) => t !== track));
    if (part) part.stream = new MediaStream([...part.stream.getTracks().filter((t) => t.kind !== track.kind), track]);
    this.requestUpdate();
  }

  /** Video slots (`videoTrack0`…) to their participants; audio slots play on their own. */
  #placeSlots(): void {
    for (const [label, track] of this.#slotTracks) {
      if (track.kind !== 'video') continue;
      const owner = this.#slotOwners.get(label);
      this.#give(track, owner && owner !== this.streamId ? this.#ensure(owner) : undefined);
    }
    this.requestUpdate();
  }

  #onPlayCallback(p: RoomPlaySession, { definition, payload }: AmsCallback, room: string, own: string): void {
    if (definition === 'play_started') {
      if (this.maxVideoTracks > 0) p.command({ command: 'setMaxVideoTrackCountCommand', streamId: room, maxTrackCount: this.maxVideoTracks });
      void this.#refresh(p, room, own);
      return;
    }
    const id = typeof payload.trackId === 'string' ? payload.trackId : '';
    if (!id || id === own) return;
    if (definition === 'subtrackAdded') {
      this.#ensure(id, typeof payload.streamName === 'string' ? payload.streamName : undefined);
      void this.#refresh(p, room, own, id);
    } else if (definition === 'subtrackRemoved') this.#drop(id);
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
    if (msg.eventType === 'VIDEO_TRACK_ASSIGNMENT_LIST' && Array.isArray(msg.payload)) {
      this.#slotOwners = new Map(
        (msg.payload as unknown[]).flatMap((a) => {
          const { videoLabel, trackId } = (a ?? {}) as Record<string, unknown>;
          return typeof videoLabel === 'string' && typeof trackId === 'string' ? [[videoLabel, trackId] as const] : [];
        }),
      );
      this.#placeSlots();
      return;
    }
    const from = typeof msg.streamId === 'string' ? msg.streamId : '';
    if (!from || from === this.streamId) return;
    // In p2p the one other tile is keyed by the room: whatever the other peer says is about it.
    const part = this.participants.get(from) ?? (this.#mode === 'p2p' ? this.participants.get(this.roomId) : undefined);
    if (part && this.#mode === 'p2p' && typeof msg.name === 'string' && msg.name && msg.name !== part.name) {
      part.name = msg.name.slice(0, 100);
      this.requestUpdate();
    }
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
      case 'SCREEN_SHARED_ON':
      case 'SCREEN_SHARED_OFF':
        if (part) part.sharing = msg.eventType === 'SCREEN_SHARED_ON';
        break;
      default:
        return;
    }
    this.requestUpdate();
  }

  /** Own state as AMS's conference apps keep it in the Broadcast `metaData`, for late joiners. */
  #metaData(): string {
    const m = this.media;
    return JSON.stringify({ isMicMuted: m.micMuted, isCameraOn: !m.cameraOff && !this.noVideo, isScreenShared: m.sharing });
  }

  /**
   * Tells the room about a change of own state: stores it in the metaData (for whoever joins
   * later) and announces it over the data channel (for everyone present). Before joining, the
   * state is local only and goes out with the publish.
   */
  #announce(eventType: string): void {
    const s = this.session.session;
    if (!s || !this.session.active) return;
    const update = { command: 'updateStreamMetaData', streamId: this.streamId, metaData: this.#metaData() };
    if (this.#mode !== 'p2p') (this.#play ?? this.#legacy)?.command(update);
    try {
      // `name`: ours, for p2p, where the other peer has no other way to learn it.
      s.sendData(JSON.stringify({ streamId: this.streamId, eventType, ...(this.#mode === 'p2p' && this.streamName ? { name: this.streamName } : {}) }));
    } catch {
      /* the channel is not open (yet): the metaData carries the state */
    }
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
    this.#announce(muted ? 'MIC_MUTED' : 'MIC_UNMUTED');
  }

  /** Turns the camera off (black frames) or on and tells the room (`CAM_TURNED_OFF` / `CAM_TURNED_ON`). */
  async setCameraOff(off: boolean): Promise<void> {
    await this.guard(this.media.setCameraOff(!!off));
    this.#announce(off ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
  }

  /**
   * Shares a screen in place of the camera (`on`), or goes back to the camera, and tells the room
   * (`SCREEN_SHARED_ON` / `SCREEN_SHARED_OFF`). Rejects with `ScreenSharePermissionDenied` when
   * the user refuses (also dispatched as `rtc-error`; the camera stays on).
   */
  async shareScreen(on: boolean): Promise<void> {
    const was = this.media.sharing;
    await this.guard(this.media.shareScreen(!!on));
    if (this.media.sharing !== was) this.#announce(this.media.sharing ? 'SCREEN_SHARED_ON' : 'SCREEN_SHARED_OFF');
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

  #tile(key: string, t: Omit<Participant, 'id' | 'stream'> & { stream: MediaStream | null; local?: boolean; video?: boolean }): TemplateResult {
    const { name, micMuted, cameraOff, sharing, local } = t;
    const hidden = cameraOff || t.video === false;
    // A <video> holding a track-less MediaStream keeps Chromium's page `load` from ever firing:
    // a stream is attached only once it has tracks.
    return html`<div
      part=${local ? 'tile local-tile' : 'tile'}
      class=${this.speaker === key ? 'tile speaking' : 'tile'}
      data-participant=${key}
      data-speaking=${this.speaker === key ? 'true' : 'false'}
    >
      <video
        part="video"
        class=${local && !sharing ? 'mirror' : ''}
        .srcObject=${t.stream?.getTracks().length ? t.stream : null}
        .muted=${!!local}
        autoplay
        playsinline
      ></video>
      ${hidden ? html`<div part="placeholder" class="placeholder" aria-hidden="true">${initials(name)}</div>` : nothing}
      <span part="name" class="name"
        ><span class="label">${name}</span>
        <span class="mic" data-off=${micMuted ? 'true' : 'false'} role="img" aria-label=${micMuted ? 'Microphone muted' : 'Microphone on'}>${micSvg(micMuted)}</span>
        <span class="cam" data-off=${cameraOff ? 'true' : 'false'} role="img" aria-label=${cameraOff ? 'Camera off' : 'Camera on'}>${camSvg(cameraOff)}</span>
        ${sharing ? html`<span class="screen" role="img" aria-label="Sharing the screen">${screenSvg}</span>` : nothing}</span
      >
    </div>`;
  }

  /**
   * The remote participants whose video is shown: those with a video track that has media, all of
   * them or the first `maxVideoTracks` (the server keeps the video of the first to come too).
   */
  #withVideo(): Set<string> {
    const ids = [...this.participants.values()].filter((p) => p.stream.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted)).map((p) => p.id);
    return new Set(this.maxVideoTracks > 0 ? ids.slice(0, this.maxVideoTracks) : ids);
  }

  protected override updated(): void {
    // Through the CSSOM, which a strict CSP allows (a style attribute it would refuse).
    const n = 1 + Math.min(15, this.participants.size);
    this.style.setProperty('--rtc-room-columns', String(gridColumns(n)));
    this.style.setProperty('--rtc-room-columns-narrow', String(gridColumns(n, true)));
  }

  protected override render(): TemplateResult {
    const m = this.media;
    const joined = this.session.active;
    const withVideo = this.#withVideo();
    return html`<div part="base" class="base">
      <div part="grid" class="grid" aria-label="Participants">
        ${this.#tile('local', { name: this.streamName || 'You', stream: m.preview, micMuted: m.micMuted, cameraOff: m.cameraOff, sharing: m.sharing, local: true })}
        ${[...this.participants.values()].slice(0, 15).map((p) => this.#tile(p.id, { ...p, video: withVideo.has(p.id) }))}
      </div>
      ${[...this.#slotTracks].map(([label, t]) => (t.kind === 'audio' ? html`<audio data-slot=${label} .srcObject=${this.#audioStream(t)} autoplay></audio>` : nothing))}
      ${this.noControls
        ? nothing
        : html`<div part="controls" class="controls" role="group" aria-label="Room controls">
            <button part="button" type="button" @click=${this.#handleJoinClick}>${joined ? 'Leave' : 'Join'}</button>
            <button part="button" type="button" aria-pressed=${m.micMuted ? 'true' : 'false'} @click=${() => this.setMicrophoneMuted(!m.micMuted)}>${micSvg(m.micMuted)} Mute</button>
            <button part="button" type="button" aria-pressed=${m.cameraOff ? 'true' : 'false'} @click=${() => void this.setCameraOff(!m.cameraOff).catch(noop)}>${camSvg(m.cameraOff)} Camera off</button>
            ${m.screenShareSupported && !this.noVideo
              ? html`<button part="button screen-button" type="button" aria-pressed=${m.sharing ? 'true' : 'false'} ?disabled=${!joined} @click=${() => void this.shareScreen(!m.sharing).catch(noop)}>${screenSvg} Share screen</button>`
              : nothing}
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
