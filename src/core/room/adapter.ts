/**
 * What a room mode does (`RoomAdapter`) and what it is given (`RoomContext`): one adapter per
 * mode drives that mode's sessions and feeds the `RoomModel`; `<rtc-room>` holds one per join
 * (`createRoom`) and never asks which mode it is. `BaseRoom` is what the modes share.
 * @internal
 */
import { PublishSession } from '../session/publish-session.js';
import type { AmsCallback, PublishOptions, SessionDeps, TokenSource } from '../session/types.js';
import { decodeRoomMessage, encodeMetaData, encodeStateEvent, type ParticipantState, type StateEvent } from './codec.js';
import type { RoomModel } from './model.js';

/** The room model of the browser's tracks and streams. */
export type MediaRoomModel = RoomModel<MediaStreamTrack, MediaStream>;

/** The element's attributes an adapter reads, as they are now (they may change after the join). */
export interface RoomElement {
  readonly streamId: string;
  readonly streamName: string;
  readonly iceServers?: RTCIceServer[];
  readonly maxVideoTracks: number;
  readonly noVideo: boolean;
}

/** The element, as an adapter sees it: its values now, and where events and errors go. */
export interface RoomHost {
  readonly element: RoomElement;
  token(): TokenSource | undefined;
  /** Own microphone, camera and screen state. */
  media(): ParticipantState;
  /** The own publish session of this join, once made; with `active`, only while it is on its way or live. */
  publisher(active?: boolean): PublishSession | null;
  /** The own microphone's audio level as the own publish measures it (0 while muted). */
  ownLevel(): number;
  /** A callback to dispatch as `rtc-*` (room play, legacy room, `gotSoundList`). */
  dispatch(callback: AmsCallback): void;
  /** A failure that does not end the join: `rtc-error`, no overlay. */
  report(error: unknown): void;
}

/** One join: the checked server URL, room and own stream id, and whether this join is still the current one. */
export interface RoomContext {
  readonly url: string;
  readonly room: string;
  readonly own: string;
  readonly model: MediaRoomModel;
  readonly host: RoomHost;
  current(): boolean;
}

/** One room mode. */
export interface RoomAdapter {
  /** Joins before the own media is opened, when the mode has a room of its own to join (legacy). */
  join?(): Promise<void>;
  /** The own publish session. */
  createSession(deps: SessionDeps): PublishSession;
  /** The own publish's options, with the own state in its metaData. */
  publishOptions(stream: MediaStream): PublishOptions;
  /** The server took the own publish (`negotiating`): the room can be played. */
  published(): void;
  /** The own publish is live: the room is played (if not yet), its audio levels read every `LEVEL_INTERVAL_MS`. */
  live(): void;
  /** Every callback of the own publish session, after it was dispatched. */
  onCallback(callback: AmsCallback): void;
  /**
   * Tells the room about a change of own state: stores it in the metaData (for whoever joins
   * later) and announces it over the data channel (for everyone present). Before joining, the
   * state is local only and goes out with the publish.
   */
  announce(eventType: StateEvent): void;
  /** Sends `{definition, data}` to the other peer (p2p); false when the mode has no peer to send to. */
  sendPeerMessage(definition: string, data: string): boolean;
  /** Stops the level readings and the plays, and leaves the room; resolves once left. The model is the caller's to clear. */
  stop(): Promise<void>;
}

/** How often audio levels are read (`gotSoundList`, the active speaker). */
export const LEVEL_INTERVAL_MS = 400;

/** The browser's `online` events, for the sessions' immediate retry. */
export const online = (): SessionDeps['online'] => globalThis as unknown as SessionDeps['online'];

export abstract class BaseRoom implements RoomAdapter {
  #levelTimer: ReturnType<typeof setInterval> | undefined;

  constructor(protected readonly ctx: RoomContext) {}

  createSession(deps: SessionDeps): PublishSession {
    return new PublishSession(deps);
  }

  /** Every remote participant's audio level (0–1), by participant id. */
  protected abstract audioLevels(): Promise<Map<string, number>>;

  /** The own publish's stream id and main track: the own stream id, in no room. */
  protected get publish(): Pick<PublishOptions, 'streamId' | 'mainTrack'> {
    return { streamId: this.ctx.own };
  }

  publishOptions(stream: MediaStream): PublishOptions {
    const { element } = this.ctx.host;
    return {
      ...this.publish,
      stream,
      token: this.ctx.host.token(),
      iceServers: element.iceServers,
      streamName: element.streamName || undefined,
      metaData: this.#metaData(),
    };
  }

  published(): void {}

  live(): void {
    this.published();
    if (!this.ctx.current()) return;
    clearInterval(this.#levelTimer);
    this.#levelTimer = setInterval(() => void this.#readLevels(), LEVEL_INTERVAL_MS);
  }

  onCallback(callback: AmsCallback): void {
    this.onData(callback);
  }

  announce(eventType: StateEvent): void {
    const s = this.ctx.host.publisher(true);
    if (!s) return;
    const { streamId } = this.ctx.host.element;
    this.command({ command: 'updateStreamMetaData', streamId, metaData: this.#metaData() });
    try {
      s.sendData(encodeStateEvent(streamId, eventType, this.nameToSend()));
    } catch {
      /* the channel is not open (yet): the metaData carries the state */
    }
  }

  sendPeerMessage(_definition: string, _data: string): boolean {
    return false;
  }

  stop(): Promise<void> {
    clearInterval(this.#levelTimer);
    return this.leave();
  }

  /** Stops the plays and leaves the room; resolves once left. */
  protected leave(): Promise<void> {
    return Promise.resolve();
  }

  /** The own microphone's audio level, where the own publish measures it. */
  protected ownLevel(): number {
    return this.ctx.host.ownLevel();
  }

  /** Sends a side command (`updateStreamMetaData`) where the mode has a room socket. */
  protected command(_frame: Record<string, unknown> & { command: string }): void {}

  /** The own name sent with every state event, where the others have no other way to learn it (p2p). */
  protected nameToSend(): string | undefined {
    return undefined;
  }

  /** The id of the one other tile every message is about (p2p), if the mode has one. */
  protected get peer(): string | undefined {
    return undefined;
  }

  /** Room data channel events (`CHAT_MESSAGE`, `MIC_MUTED`, `VIDEO_TRACK_ASSIGNMENT_LIST`, …). */
  protected onData({ definition, payload }: AmsCallback): void {
    if (definition === 'data_received') this.ctx.model.receive(decodeRoomMessage(payload.data), this.ctx.host.element.streamId, this.peer);
  }

  /** A remote track of the participant `id` (none: `''`, or `own`: ours). */
  protected track(id: string, track: MediaStreamTrack, own: string): void {
    if (id && id !== own) this.ctx.model.addTrack(id, track);
  }

  /** Own state as AMS's conference apps keep it in the Broadcast `metaData`, for late joiners. */
  #metaData(): string {
    const { micMuted, cameraOff, sharing } = this.ctx.host.media();
    return encodeMetaData({ micMuted, cameraOff: cameraOff || this.ctx.host.element.noVideo, sharing });
  }

  /** The active speaker (the loudest participant, or the own microphone), and `gotSoundList` with every level. */
  async #readLevels(): Promise<void> {
    const { model, host, current } = this.ctx;
    const levels = await this.audioLevels();
    if (!current()) return;
    const soundList = model.levels(levels, host.element.streamId, this.ownLevel(), Date.now());
    host.dispatch({ definition: 'gotSoundList', payload: { soundList } });
  }
}
