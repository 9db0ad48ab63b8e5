/**
 * What `<rtc-room>` does once joined-capable: the room model, the mode adapter of the current
 * join, the grid, the controls and the chat. It is its own chunk (`dist/rtc-room.js`, fetched
 * beside the entry the first time a `<rtc-room>` connects or joins), so a page with only a
 * publisher or a player never loads it. The element (`rtc-room.ts`) keeps the attributes, the
 * public methods and the session, and hands the rest to this view.
 * @internal
 */
import { html, nothing, type TemplateResult } from 'lit';
import { RtcError, toRtcError } from '../../core/errors.js';
import type { RoomAdapter, RoomHost } from '../../core/room/adapter.js';
import { decodeMetaData, encodeChat } from '../../core/room/codec.js';
import { createRoom } from '../../core/room/create-room.js';
import { RoomModel, type Participant as RoomParticipant } from '../../core/room/model.js';
import type { PublishSession } from '../../core/session/publish-session.js';
import type { AmsCallback, SessionDeps, TokenSource } from '../../core/session/types.js';
import type { MediaCaptureController } from '../../controllers/media-capture-controller.js';
import { dispatchCallback, noop, type SessionController } from '../../controllers/session-controller.js';
import type { RtcStreamElement, StreamConfig } from '../rtc-element.js';
import roomStyles from './rtc-room.styles.js';
import { gridPlacement, speakerPlacement } from './layout.js';
import { t, useTranslator, type RoomStringKey } from './strings.js';
import { DeviceCheck, styles as checkStyles } from '../device-check/device-check.js';
import { attach, audioSlots, audioStream, camSvg, chatPanel, chatSvg, fullSvg, leaveSvg, micSvg, screenSvg, tile } from './templates.js';

/** The room's styles, the device check's shared rules first. */
export const styles = [checkStyles, ...roomStyles];

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
  streamName: string;
  readonly mode: string;
  readonly noVideo: boolean;
  readonly noAudio: boolean;
  readonly maxVideoTracks: number;
  readonly autoJoin: boolean;
  readonly layout: string;
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
  /** The pinned tile (a participant id or `local`), `''`: none. */
  #pinned = '';
  /** The large tile of the speaker layout when nobody is pinned, speaking or sharing: the last remote speaker. */
  #lastSpeaker = '';
  #chatOpen = false;
  /** Chat lines seen (the panel open): the rest are new. */
  #seen = 0;
  /** Before joining: the preview, the device menus and the microphone meter. */
  readonly #check: DeviceCheck;
  #resize: ResizeObserver | null = null;
  /**
   * The remote tiles, by place in the DOM: someone who leaves leaves a hole that the next one
   * to come fills, so no tile's DOM (and video) is ever handed to another participant.
   */
  #places: Array<string | undefined> = [];
  /** Display order of the last render: the large or pinned tile first, then us, then the others in join order. */
  #order: string[] = [];
  #observed: Element | null = null;

  constructor(h: RoomViewHost) {
    this.#h = h;
    const { element: el, session, media } = h;
    this.#check = new DeviceCheck({ element: el, media, kinds: () => ({ video: !el.noVideo, audio: !el.noAudio }), report: (e) => session.report(e, false) });
    this.#host = {
      element: el,
      token: h.token,
      media: () => media,
      publisher: (active = false) => (active && !session.active ? null : session.session),
      ownLevel: () => (media.micMuted ? 0 : (session.stats?.audioLevel ?? 0)),
      dispatch: (cb) => dispatchCallback(el, cb.definition, cb.payload, cb.streamId),
      report: (e) => session.report(toRtcError(e), false),
    };
    this.model.on('joined', ({ streamId, name }) => el.emit('rtc-participant-joined', { streamId, name }));
    this.model.on('left', ({ streamId, name }) => el.emit('rtc-participant-left', { streamId, name }));
    this.model.on('change', () => el.requestUpdate());
    el.addEventListener('fullscreenchange', () => el.requestUpdate());
    el.addController({
      hostDisconnected: () => {
        this.#resize?.disconnect();
        this.#observed = null;
      },
    });
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
    const { url, streamId, whip } = this.#h.readConfig();
    // Rooms are AMS's (multitrack, data channel): WHIP and WHEP carry one stream each way.
    if (whip)
      throw RtcError.of('not_supported_over_whip', { message: 'Rooms are not part of WHIP or WHEP: use the AMS WebSocket (a ws:// or wss:// server-url).' });
    const room = (this.#room = createRoom(el.mode, { url, room: el.roomId, own: streamId, model: this.model, host: this.#host, current }));
    if (room.join) await room.join();
    // Taken off the page (or started again) while the chunk loaded or the room answered: capturing
    // now would open a camera nothing releases (the removal's release ran before it).
    if (!current()) return;
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
    this.model.say(el.streamName || t('you'), message);
  }

  sendPeerMessage(definition: string, data: string): boolean {
    return !!this.#room?.sendPeerMessage(definition, data);
  }

  get #root(): ShadowRoot {
    return this.#h.element.renderRoot as ShadowRoot;
  }

  /** Before joining (and after leaving), with the built-in controls: the device check. */
  get #precheck(): boolean {
    const { element: el, session } = this.#h;
    return !el.noControls && !session.active && !(el.autoJoin && session.state === 'idle');
  }

  readonly #handleJoin = (): void => void this.#h.element.join().catch(noop);

  readonly #handleLeave = (): void => void this.#h.element.leave();

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

  #toggleChat(open: boolean): void {
    this.#chatOpen = open;
    const el = this.#h.element;
    el.requestUpdate();
    // Focus goes where the user is headed: the message field, or back to the chat button.
    void el.updateComplete.then(() => this.#root.querySelector<HTMLElement>(open ? '.chat input' : '[part~="chat-button"]')?.focus());
  }

  readonly #handleChatKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.#chatOpen && (e.target as Element).closest('.chat')) this.#toggleChat(false);
  };

  readonly #handleFullscreen = (): void => {
    const el = this.#h.element;
    void (document.fullscreenElement === el ? document.exitFullscreen() : el.requestFullscreen()).catch(noop);
  };

  #pin(key: string): void {
    this.#pinned = this.#pinned === key ? '' : key;
    this.#h.element.requestUpdate();
  }

  /** A failed device action: `rtc-error` once, no overlay (the preview or the stream goes on). */
  #try(work: Promise<void>): void {
    work.catch((e: unknown) => this.#h.session.report(toRtcError(e), false));
  }

  readonly #handleName = (e: Event): void => void (this.#h.element.streamName = (e.target as HTMLInputElement).value.trim());

  /**
   * The large tile of the speaker layout: the pinned one, else a screen being shared, else the
   * active speaker (a remote one: we do not watch ourselves), else the last one, else the first.
   */
  #mainKey(): string {
    const { participants, speaker } = this.model;
    const m = this.#h.media;
    if (this.#pinned) return this.#pinned;
    const sharer = [...participants.values()].find((p) => p.sharing);
    if (sharer) return sharer.id;
    if (m.sharing) return 'local';
    if (participants.has(speaker)) this.#lastSpeaker = speaker;
    if (participants.has(this.#lastSpeaker)) return this.#lastSpeaker;
    return participants.keys().next().value ?? 'local';
  }

  updated(): void {
    this.#check.sync(this.#precheck, this.#h.session.state === 'idle');
    const grid = this.#root.querySelector('.grid');
    if (grid && grid !== this.#observed) {
      this.#resize ??= new ResizeObserver(() => this.#layout());
      this.#resize.disconnect();
      this.#resize.observe(grid);
      this.#observed = grid;
    }
    this.#layout();
  }

  /** Places the tiles for the stage's size now (on every render and every resize of the stage). */
  #layout(): void {
    const grid = this.#root.querySelector<HTMLElement>('.grid');
    if (!grid) return;
    const { clientWidth: w, clientHeight: h } = grid;
    const tiles = new Map([...grid.querySelectorAll<HTMLElement>(':scope > .tile')].map((x) => [x.dataset.participant!, x]));
    const order = this.#order.map((k) => tiles.get(k)!).filter(Boolean);
    const { participants, slots } = this.model;
    for (const [k, x] of tiles) attach(x.querySelector('video'), k === 'local' ? this.#h.media.preview : participants.get(k)?.stream);
    for (const a of this.#root.querySelectorAll('audio')) attach(a, audioStream(slots.get(a.dataset.slot!)!));
    if (!order.length || w < 1 || h < 1) return;
    const p = this.#h.element.layout === 'speaker' && !this.#precheck ? speakerPlacement(order.length, w, h) : gridPlacement(order.length, w, h);
    grid.style.gridTemplateColumns = p.columns;
    grid.style.gridTemplateRows = p.rows;
    order.forEach((x, i) => {
      const { area, shift, size } = p.cells[i]!;
      const s = x.style;
      s.gridArea = area;
      s.translate = shift ? `${shift}px 0` : '';
      s.width = size ? `${size[0]}px` : '';
      s.height = size ? `${size[1]}px` : '';
      s.placeSelf = size ? 'center' : '';
    });
  }

  render(overlay: TemplateResult | typeof nothing): TemplateResult {
    useTranslator((english) => this.#h.element.t(english));
    const { element: el, media: m, session } = this.#h;
    const { participants, speaker, slots, chat } = this.model;
    const pre = this.#precheck;
    const controls = !el.noControls;
    const withVideo = this.model.withVideo(el.maxVideoTracks);
    const shown = [...participants.values()].slice(0, 15);
    if (this.#pinned && this.#pinned !== 'local' && !participants.has(this.#pinned)) this.#pinned = '';
    const speakerLayout = el.layout === 'speaker' && !pre;
    const main = speakerLayout && shown.length ? this.#mainKey() : '';
    const canPin = controls && !pre && shown.length > 0;
    const ids = new Set(shown.map((p) => p.id));
    const places = this.#places.map((id) => (id && ids.has(id) ? id : undefined));
    for (const id of ids) {
      const hole = places.indexOf(undefined);
      if (!places.includes(id)) places[hole < 0 ? places.length : hole] = id;
    }
    while (places.length && !places[places.length - 1]) places.pop();
    this.#places = places;
    const first = main || this.#pinned;
    this.#order = [...new Set([first, 'local', ...ids])].filter((k) => k === 'local' || ids.has(k));
    const role = (key: string): Parameters<typeof tile>[2] => ({
      speaking: speaker === key,
      main: main === key,
      pinned: this.#pinned === key,
      onPin: canPin ? () => this.#pin(key) : undefined,
    });
    const chatOpen = controls ? this.#chatOpen && !pre : chat.length > 0;
    if (chatOpen) this.#seen = chat.length;
    const base = `base ${pre ? 'pre' : 'live'}${chatOpen ? ' chat-open' : ''}${speakerLayout ? ' speaker' : ''}`;
    return html`<div part="base" class=${base} @keydown=${this.#handleChatKey}>
      <div part="grid" class="grid" role="group" aria-label=${t('participants')}>
        ${tile('local', { name: el.streamName || t('you'), stream: m.preview, micMuted: m.micMuted, cameraOff: m.cameraOff, sharing: m.sharing, local: true }, role('local'))}
        ${this.#places.map((id) => (id ? tile(id, { ...participants.get(id)!, video: withVideo.has(id) }, role(id)) : nothing))}
      </div>
      ${audioSlots(slots)} ${pre ? this.#renderCheck() : controls ? this.#renderBar(session.state) : nothing}
      ${chatPanel(chat, {
        open: chatOpen,
        onSend: controls ? this.#handleSend : undefined,
        onClose: controls ? () => this.#toggleChat(false) : undefined,
      })}
      ${overlay}
    </div>`;
  }

  /** The device check: name, camera and microphone (with the level meter), Join. */
  #renderCheck(): TemplateResult {
    const { element: el, media: m } = this.#h;
    const toggle = (on: boolean, part: string, label: RoomStringKey, tip: RoomStringKey, icon: TemplateResult, click: () => void): TemplateResult =>
      html`<button part=${`button ${part}`} class="btn off-red" type="button" aria-pressed=${on ? 'true' : 'false'} aria-label=${t(label)} data-tip=${t(tip)} @click=${click}>
        ${icon}
      </button>`;
    return this.#check.render(
      html`<h2 class="title">${t('ready')}</h2>
        <label class="field" for="name">${t('yourName')}</label>
        <input id="name" part="name-input" class="input" .value=${el.streamName} autocomplete="name" maxlength="64" @change=${this.#handleName} />`,
      html`${el.noAudio ? nothing : toggle(m.micMuted, 'mic-button', 'mute', m.micMuted ? 'unmute' : 'mute', micSvg(m.micMuted), () => el.setMicrophoneMuted(!m.micMuted))}
        ${el.noVideo ? nothing : toggle(m.cameraOff, 'camera-button', 'cameraOff', m.cameraOff ? 'cameraOn' : 'cameraOff', camSvg(m.cameraOff), () => this.#try(el.setCameraOff(!m.cameraOff)))}
        <button part="button join-button" class="join" type="button" @click=${this.#handleJoin}>${t('join')}</button>`,
    );
  }

  /** The control bar: microphone, camera, screen, chat, full screen, Leave. */
  #renderBar(state: string): TemplateResult {
    const { element: el, media: m } = this.#h;
    const joined = this.#h.session.active;
    const full = document.fullscreenElement === el;
    const unread = this.#chatOpen ? 0 : this.model.chat.length - this.#seen;
    const btn = (
      part: string,
      cls: string,
      pressed: boolean,
      label: string,
      tip: RoomStringKey,
      icon: TemplateResult,
      click: () => void,
      extra: TemplateResult | typeof nothing = nothing,
    ): TemplateResult =>
      html`<button
        part=${`button ${part}`}
        class=${`btn ${cls}`}
        type="button"
        aria-pressed=${pressed ? 'true' : 'false'}
        aria-label=${label}
        aria-describedby=${extra === nothing ? nothing : 'unread'}
        data-tip=${t(tip)}
        @click=${click}
      >
        ${icon}${extra}
      </button>`;
    const status = state === 'live' ? '' : state === 'reconnecting' ? t('reconnecting') : t('connecting');
    return html`<div part="controls" class="bar" role="group" aria-label=${t('roomControls')}>
      ${status ? html`<span class="status" role="status">${status}</span>` : nothing}
      ${el.noAudio ? nothing : btn('mic-button', 'off-red tip-start', m.micMuted, t('mute'), m.micMuted ? 'unmute' : 'mute', micSvg(m.micMuted), () => el.setMicrophoneMuted(!m.micMuted))}
      ${el.noVideo ? nothing : btn('camera-button', 'off-red tip-start', m.cameraOff, t('cameraOff'), m.cameraOff ? 'cameraOn' : 'cameraOff', camSvg(m.cameraOff), () => void el.setCameraOff(!m.cameraOff).catch(noop))}
      ${
        m.screenShareSupported && !el.noVideo
          ? html`<button
              part="button screen-button"
              class="btn on-accent"
              type="button"
              aria-pressed=${m.sharing ? 'true' : 'false'}
              aria-label=${t('share')}
              data-tip=${t(m.sharing ? 'stopShare' : 'share')}
              ?disabled=${!joined}
              @click=${() => void el.shareScreen(!m.sharing).catch(noop)}
            >
              ${screenSvg}
            </button>`
          : nothing
      }
      ${btn(
        'chat-button',
        'on-accent tip-end',
        this.#chatOpen,
        t('chat'),
        this.#chatOpen ? 'close' : 'chat',
        chatSvg,
        () => this.#toggleChat(!this.#chatOpen),
        unread > 0 ? html`<span id="unread" class="badge">${unread > 9 ? '9+' : unread}</span>` : nothing,
      )}
      ${document.fullscreenEnabled ? btn('fullscreen-button', 'on-accent tip-end', full, t('fullscreen'), full ? 'exitFullscreen' : 'fullscreen', fullSvg(full), this.#handleFullscreen) : nothing}
      <button part="button leave-button" class="btn leave tip-end" type="button" aria-label=${t('leave')} data-tip=${t('leave')} @click=${this.#handleLeave}>
        ${leaveSvg}<span class="leave-text">${t('leave')}</span>
      </button>
    </div>`;
  }
}
