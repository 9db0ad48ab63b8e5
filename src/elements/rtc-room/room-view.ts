/**
 * What `<rtc-room>` does once joined-capable: the room model, the mode adapter of the current
 * join, the grid, the controls and the chat. It is its own chunk (`dist/rtc-room.js`, fetched
 * beside the entry the first time a `<rtc-room>` connects or joins), so a page with only a
 * publisher or a player never loads it. The element (`rtc-room.ts`) keeps the attributes, the
 * public methods and the session, and hands the rest to this view.
 * @internal
 */
import { html, nothing, type TemplateResult } from 'lit';
import { toRtcError } from '../../core/errors.js';
import type { RoomAdapter, RoomHost } from '../../core/room/adapter.js';
import { decodeMetaData, encodeChat } from '../../core/room/codec.js';
import { createRoom } from '../../core/room/create-room.js';
import { RoomModel, type Participant as RoomParticipant } from '../../core/room/model.js';
import type { PublishSession } from '../../core/session/publish-session.js';
import type { AmsCallback, SessionDeps, TokenSource } from '../../core/session/types.js';
import type { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { dispatchCallback, type SessionController } from '../../controllers/session-controller.js';
import type { RtcStreamElement, StreamConfig } from '../rtc-element.js';
import styles from './rtc-room.styles.js';
import { audioSlots, camSvg, chatPanel, micSvg, screenSvg, tile } from './templates.js';

export { styles };

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

/** `<rtc-room>` as its view sees it (the class is not imported here: it imports this module). */
export type RoomViewElement = RtcStreamElement & {
  readonly roomId: string;
  readonly streamName: string;
  readonly mode: string;
  readonly noVideo: boolean;
  readonly maxVideoTracks: number;
  join(): Promise<void>;
  leave(): Promise<void>;
  setMicrophoneMuted(muted: boolean): void;
  setCameraOff(off: boolean): Promise<void>;
  shareScreen(on: boolean): Promise<void>;
  sendMessage(text: string): void;
};

/** What the element gives its view: itself, and its protected parts the view works with. */
export interface RoomViewHost {
  readonly element: RoomViewElement;
  readonly session: SessionController<PublishSession>;
  readonly media: MediaCaptureController;
  readConfig(): StreamConfig;
  token(): TokenSource | undefined;
}

export class RoomView {
  /** What the room shows: the participants with their tracks, the video slots, the chat, the active speaker. */
  readonly model = new RoomModel<MediaStreamTrack, MediaStream>((tracks) => new MediaStream(tracks));
  /** The stream id the element made up for itself (no `stream-id`): setting it is not a change of stream. */
  generatedId = '';
  /** The mode of the current (or last) join; chosen by `createRoom`, never tested here. */
  #room: RoomAdapter | null = null;
  readonly #h: RoomViewHost;
  /** What the mode adapters need of the element. */
  readonly #host: RoomHost;

  constructor(h: RoomViewHost) {
    this.#h = h;
    const { element: el, session, media } = h;
    this.#host = {
      element: el,
      token: h.token,
      media: () => media,
      publisher: (active = false) => (active && !session.active ? null : session.session),
      ownLevel: () => (media.micMuted ? 0 : (session.stats?.audioLevel ?? 0)),
      dispatch: (cb) => dispatchCallback(el, cb.definition, cb.payload, cb.streamId),
      report: (e) => session.report(toRtcError(e), false),
    };
    this.model.on('joined', ({ id, name }) => el.emit('rtc-participant-joined', { streamId: id, name }));
    this.model.on('left', ({ id, name }) => el.emit('rtc-participant-left', { streamId: id, name }));
    this.model.on('change', () => el.requestUpdate());
  }

  createSession(deps: SessionDeps): PublishSession {
    return this.#room!.createSession(deps);
  }

  onCallback(cb: AmsCallback): void {
    this.#room?.onCallback(cb);
  }

  /** One join, after the element began a new attempt (`current`) and stopped the last one's plays. */
  async run(current: () => boolean): Promise<void> {
    const { element: el, session } = this.#h;
    if (!el.streamId) el.streamId = this.generatedId = `p${Math.random().toString(36).slice(2, 12)}`;
    const { url, streamId } = this.#h.readConfig();
    const room = (this.#room = createRoom(el.mode, { url, room: el.roomId, own: streamId, model: this.model, host: this.#host, current }));
    if (room.join) await room.join();
    const stream = await this.#h.media.acquire();
    const connecting = session.connect(url, room.publishOptions(stream), current);
    // The server makes us a subtrack when it takes the publish (it then asks for our offer): the
    // room can be played from there on, while our own ICE and DTLS are still under way.
    session.session?.on('stateChange', ({ state }) => state === 'negotiating' && room.published());
    try {
      await connecting;
    } catch (e) {
      void this.stopPlay();
      throw e;
    }
    room.live();
  }

  /** Stops the plays (and leaves a legacy room); everyone leaves the grid; resolves once left. */
  stopPlay(): Promise<void> {
    this.model.clear();
    return this.#room?.stop() ?? Promise.resolve();
  }

  /** Tells the room of a change of the own state (`MIC_MUTED`, `CAM_TURNED_OFF`, …). */
  announce(event: Parameters<RoomAdapter['announce']>[0]): void {
    this.#room?.announce(event);
  }

  sendMessage(message: string): void {
    const el = this.#h.element;
    el.sendData(encodeChat(el.streamId, message));
    this.model.say(el.streamName || 'You', message);
  }

  sendPeerMessage(definition: string, data: string): boolean {
    return !!this.#room?.sendPeerMessage(definition, data);
  }

  readonly #handleJoinClick = (): void => {
    const el = this.#h.element;
    if (this.#h.session.active) void el.leave();
    else el.join().catch(noop);
  };

  readonly #handleSend = (event: Event): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('message') as HTMLInputElement;
    if (!input.value) return;
    try {
      this.#h.element.sendMessage(input.value);
      input.value = '';
    } catch {
      /* reported as rtc-error */
    }
  };

  updated(): void {
    // Through the CSSOM, which a strict CSP allows (a style attribute it would refuse).
    const n = 1 + Math.min(15, this.model.participants.size);
    const style = this.#h.element.style;
    style.setProperty('--rtc-room-columns', String(gridColumns(n)));
    style.setProperty('--rtc-room-columns-narrow', String(gridColumns(n, true)));
  }

  render(overlay: TemplateResult | typeof nothing): TemplateResult {
    const { element: el, media: m } = this.#h;
    const joined = this.#h.session.active;
    const { participants, speaker, slots, chat } = this.model;
    const withVideo = this.model.withVideo(el.maxVideoTracks);
    return html`<div part="base" class="base">
      <div part="grid" class="grid" aria-label="Participants">
        ${tile('local', { name: el.streamName || 'You', stream: m.preview, micMuted: m.micMuted, cameraOff: m.cameraOff, sharing: m.sharing, local: true }, speaker === 'local')}
        ${[...participants.values()].slice(0, 15).map((p) => tile(p.id, { ...p, video: withVideo.has(p.id) }, speaker === p.id))}
      </div>
      ${audioSlots(slots)}
      ${
        el.noControls
          ? nothing
          : html`<div part="controls" class="controls" role="group" aria-label="Room controls">
            <button part="button" type="button" @click=${this.#handleJoinClick}>${joined ? 'Leave' : 'Join'}</button>
            <button part="button" type="button" aria-pressed=${m.micMuted ? 'true' : 'false'} @click=${() => el.setMicrophoneMuted(!m.micMuted)}>${micSvg(m.micMuted)} Mute</button>
            <button part="button" type="button" aria-pressed=${m.cameraOff ? 'true' : 'false'} @click=${() => void el.setCameraOff(!m.cameraOff).catch(noop)}>${camSvg(m.cameraOff)} Camera off</button>
            ${
              m.screenShareSupported && !el.noVideo
                ? html`<button part="button screen-button" type="button" aria-pressed=${m.sharing ? 'true' : 'false'} ?disabled=${!joined} @click=${() => void el.shareScreen(!m.sharing).catch(noop)}>${screenSvg} Share screen</button>`
                : nothing
            }
          </div>`
      }
      ${chatPanel(chat, el.noControls ? null : this.#handleSend)}
      ${overlay}
    </div>`;
  }
}
