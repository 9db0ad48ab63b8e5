/**
 * What a room mode does (`RoomAdapter`) and what it is given (`RoomContext`): one adapter per
 * mode drives that mode's sessions and feeds the `RoomModel`; `<rtc-room>` holds one per join
 * (`createRoom`) and never asks which mode it is. `BaseRoom` is what the modes share.
 * @internal
 */
import type { PublishSession } from '../session/publish-session.js';
import type { AmsCallback, PublishOptions, SessionDeps, TokenSource } from '../session/types.js';
import { decodeRoomMessage, encodeStateEvent, type StateEvent } from './codec.js';
import type { RoomModel } from './model.js';

/** The room model of the browser's tracks and streams. */
export type MediaRoomModel = RoomModel<MediaStreamTrack, MediaStream>;

/** The element, as an adapter sees it: its values now, and where events and errors go. */
export interface RoomHost {
  streamId(): string;
  streamName(): string;
  token(): TokenSource | undefined;
  iceServers(): RTCIceServer[] | undefined;
  maxVideoTracks(): number;
  /** The own publish session of this join, once made. */
  publisher(): PublishSession | null;
  /** A callback of a session the element does not hold (room play, legacy room): dispatched as `rtc-*`. */
  dispatch(callback: AmsCallback): void;
  /** A failure that does not end the join: `rtc-error`, no overlay. */
  report(error: unknown): void;
  /** Tells the room the own mic and camera state (`MIC_MUTED`…, `CAM_TURNED_OFF`…). */
  announceState(): void;
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
  /** The own publish's stream id and main track. */
  readonly publish: Pick<PublishOptions, 'streamId' | 'mainTrack'>;
  /** Whether the own publish's audio level is the own microphone's (p2p: it is the other peer's). */
  readonly knowsOwnLevel: boolean;
  /** Joins before the own media is opened, when the mode has a room of its own to join (legacy). */
  join?(): Promise<void>;
  /** The own publish session. */
  createSession(deps: SessionDeps): PublishSession;
  /** The server took the own publish (`negotiating`), or it is live: the room can be played. */
  published(): void;
  /** Every callback of the own publish session, after it was dispatched. */
  onPublishCallback(callback: AmsCallback): void;
  /** Tells the room a change of own state: the metaData (for late joiners) and the data channel (for everyone present). */
  announce(session: Pick<PublishSession, 'sendData'>, eventType: StateEvent, metaData: string): void;
  /** Every remote participant's audio level (0–1), by participant id. */
  remoteLevels(): Promise<Map<string, number>>;
  /** Sends `{definition, data}` to the other peer (p2p); false when the mode has no peer to send to. */
  sendPeerMessage(definition: string, data: string): boolean;
  /** Stops the plays and leaves the room; resolves once left. The model is the caller's to clear. */
  stop(): Promise<void>;
}

/** The browser's `online` events, for the sessions' immediate retry. */
export const online = (): SessionDeps['online'] => globalThis as unknown as SessionDeps['online'];

export abstract class BaseRoom implements RoomAdapter {
  abstract readonly publish: Pick<PublishOptions, 'streamId' | 'mainTrack'>;
  readonly knowsOwnLevel: boolean = true;

  constructor(protected readonly ctx: RoomContext) {}

  abstract createSession(deps: SessionDeps): PublishSession;
  abstract remoteLevels(): Promise<Map<string, number>>;

  published(): void {}

  onPublishCallback(callback: AmsCallback): void {
    this.onData(callback);
  }

  announce(session: Pick<PublishSession, 'sendData'>, eventType: StateEvent, metaData: string): void {
    const streamId = this.ctx.host.streamId();
    this.command({ command: 'updateStreamMetaData', streamId, metaData });
    try {
      session.sendData(encodeStateEvent(streamId, eventType, this.nameToSend()));
    } catch {
      /* the channel is not open (yet): the metaData carries the state */
    }
  }

  sendPeerMessage(_definition: string, _data: string): boolean {
    return false;
  }

  stop(): Promise<void> {
    return Promise.resolve();
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
    if (definition === 'data_received') this.ctx.model.receive(decodeRoomMessage(payload.data), this.ctx.host.streamId(), this.peer);
  }

  /** A remote track of the participant `id` (none: `''`, or `own`: ours). */
  protected track(id: string, track: MediaStreamTrack, own: string): void {
    if (id && id !== own) this.ctx.model.addTrack(id, track);
  }
}
