/**
 * Legacy conference (reference 8.4): `joinRoom` → `joinedTheRoom` (own stream id and the members
 * that are live) on a socket of its own; the own stream is published by an ordinary publish
 * elsewhere. Every other member is played with `play {streamId, room}`, one connection each.
 * Arrivals and departures come from polling `getRoomInfo` (every `ROOM_POLL_MS`, faster than the
 * SDK's 5 s, and at once when a play ends): new ids are played, vanished ones stopped.
 * `no_active_streams_in_room` means "alone": reported once each time the room becomes empty.
 * DOM-free.
 * @internal
 */
import { RtcError } from '../errors.js';
import type { RoomStreamListEntry, ServerFrame } from '../protocol/messages.js';
import type { CommandFrame, Signaling } from '../signaling/signaling.js';
import { TypedEmitter } from '../typed-emitter.js';
import { openSignaling } from './open-signaling.js';
import { PlaySession } from './play-session.js';
import { ANSWER_TIMEOUT_MS } from './session.js';
import type { AmsCallback, RemoteTrack, SessionDeps, TokenSource } from './types.js';

/** How often the room is asked who is live. */
export const ROOM_POLL_MS = 2000;
/** How long `leave()` waits for `leavedFromRoom` before closing the socket anyway. */
export const LEAVE_TIMEOUT_MS = 1000;

export interface LegacyRoomOptions {
  room: string;
  /** Own stream id; absent: the server makes one (`joinedTheRoom.streamId`). */
  streamId?: string;
  streamName?: string;
  /** For the plays of the other members. */
  token?: TokenSource;
  iceServers?: RTCIceServer[];
}

export interface LegacyRoomEvents {
  /** Room frames (`joinedTheRoom`, `roomInformation`, `leavedFromRoom`) and every play's callbacks. */
  callback: AmsCallback;
  /** Errors after joining (room and plays); none of them ends the membership. */
  error: RtcError;
  /** A member is live: it is being played. */
  added: { streamId: string; name: string };
  /** Every live member on every room answer: its name and raw `metaData` (where conference apps keep mic/camera state). */
  member: { streamId: string; name: string; metaData: string };
  /** A member left or stopped publishing: its play is stopped. */
  removed: { streamId: string };
  /** Remote media of a member. */
  track: RemoteTrack & { streamId: string };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export class LegacyRoom extends TypedEmitter<LegacyRoomEvents> {
  #options: LegacyRoomOptions | undefined;
  #signaling: Signaling | undefined;
  #own = '';
  readonly #plays = new Map<string, PlaySession>();
  #poll: ReturnType<typeof setInterval> | undefined;
  /** The last answer said nobody else is live (the error was reported). */
  #empty = false;
  #joining: { resolve: (id: string) => void; reject: (e: RtcError) => void; timer: ReturnType<typeof setTimeout> } | undefined;
  #leaving: (() => void) | undefined;

  constructor(private readonly deps: SessionDeps) {
    super();
  }

  /** Own stream id, once joined. */
  get streamId(): string {
    return this.#own;
  }

  /** The ids being played. */
  get members(): string[] {
    return [...this.#plays.keys()];
  }

  /** Joins; resolves with the own stream id, rejects with the server's refusal (`no_room_specified`, …). */
  join(options: LegacyRoomOptions): Promise<string> {
    this.#options = options;
    const s = openSignaling(this.deps);
    this.#signaling = s;
    const joined = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => this.#refuse(RtcError.timeout('joinRoom', options.streamId)), ANSWER_TIMEOUT_MS);
      this.#joining = { resolve, reject, timer };
    });
    s.on('open', ({ reconnected }) => {
      // The server forgot the membership with the old socket: join again with the same id.
      if (reconnected) this.#sendJoin();
    });
    s.on('error', (error) => (this.#joining && !error.recoverable ? this.#refuse(error) : this.emit('error', error)));
    s.on('close', ({ willReconnect }) => {
      if (willReconnect) return;
      const error = RtcError.of('WebSocketNotConnected', { streamId: this.#own || options.streamId });
      if (this.#joining) this.#refuse(error);
      else this.emit('error', error);
    });
    s.on('frame', (frame) => this.#handle(frame));
    s.connect();
    this.#sendJoin();
    return joined;
  }

  /** Stops every play and the polling, leaves the room (`leaveFromRoom` → `leavedFromRoom`), closes the socket. */
  async leave(): Promise<void> {
    this.#refuse(RtcError.of('AbortError', { message: 'Left the room.', streamId: this.#own || undefined }));
    const s = this.#signaling;
    if (s?.state === 'open' && this.#own) {
      this.#stopAll();
      const answered = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, LEAVE_TIMEOUT_MS);
        this.#leaving = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      s.send({ command: 'leaveFromRoom', room: this.#options!.room, mainTrack: this.#options!.room, streamId: this.#own });
      await answered;
    }
    this.#close();
  }

  /** The received audio level (0–1) of every member being played, by stream id. */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    await Promise.all(
      [...this.#plays].map(async ([id, p]) => {
        const stats = await p.getStats().catch(() => undefined);
        levels.set(id, stats?.audioLevel ?? 0);
      }),
    );
    return levels;
  }

  /** Sends a side command on the room's socket (e.g. `updateStreamMetaData`); no answer expected. */
  command(frame: CommandFrame): void {
    this.#signaling?.send(frame);
  }

  /** Releases everything and drops listeners. */
  dispose(): void {
    void this.leave();
    this.removeAllListeners();
  }

  #stopAll(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
    for (const id of [...this.#plays.keys()]) this.#remove(id);
  }

  #close(): void {
    this.#stopAll();
    this.#leaving = undefined;
    const s = this.#signaling;
    this.#signaling = undefined;
    s?.removeAllListeners();
    s?.close();
  }

  #sendJoin(): void {
    const o = this.#options!;
    this.#signaling?.send({
      command: 'joinRoom',
      room: o.room,
      mainTrack: o.room,
      streamId: this.#own || o.streamId || '',
      mode: 'legacy',
      streamName: o.streamName ?? '',
    });
  }

  #refuse(error: RtcError): void {
    const j = this.#joining;
    if (!j) return;
    this.#joining = undefined;
    clearTimeout(j.timer);
    j.reject(error);
    this.#close();
  }

  #handle(frame: ServerFrame): void {
    const o = this.#options!;
    if (frame.command === 'error') {
      const error = RtcError.fromServer({ definition: frame.definition, streamId: frame.streamId });
      if (this.#joining) return this.#refuse(error);
      if (error.code === 'no_active_streams_in_room') {
        this.#sync([], new Map());
        if (this.#empty) return;
        this.#empty = true;
      }
      this.emit('error', error);
      return;
    }
    // The room's answers: `joinedTheRoom` and `leavedFromRoom` notifications, `roomInformation`.
    // The codec checks none of their fields, so each is read with a guard.
    const definition = frame.command === 'notification' ? frame.definition : frame.command;
    if (frame.command !== 'roomInformation' && (frame.command !== 'notification' || (definition !== 'joinedTheRoom' && definition !== 'leavedFromRoom')))
      return;
    if (text(frame.room) && frame.room !== o.room) return;
    if (definition === 'joinedTheRoom') this.#own = text(frame.streamId) || this.#own;
    this.emit('callback', { definition, payload: frame, streamId: this.#own || undefined });
    if (definition === 'leavedFromRoom') return this.#leaving?.();
    const ids = Array.isArray(frame.streams) ? frame.streams.filter((id): id is string => typeof id === 'string') : [];
    // A Map: a stream id such as "constructor" must not find Object.prototype's members.
    const names = new Map<string, string>();
    const list: Array<Partial<RoomStreamListEntry> | null> = Array.isArray(frame.streamList) ? frame.streamList : [];
    for (const e of list) if (e && typeof e.streamId === 'string') names.set(e.streamId, text(e.streamName));
    this.#sync(ids, names);
    for (const e of list) {
      if (e && typeof e.streamId === 'string' && this.#plays.has(e.streamId))
        this.emit('member', { streamId: e.streamId, name: text(e.streamName), metaData: text(e.metaData) });
    }
    if (ids.length > 0) this.#empty = false;
    const j = this.#joining;
    if (definition === 'joinedTheRoom' && j) {
      this.#joining = undefined;
      clearTimeout(j.timer);
      this.#poll = setInterval(() => this.#ask(), ROOM_POLL_MS);
      j.resolve(this.#own);
    }
  }

  #ask(): void {
    this.#signaling?.send({ command: 'getRoomInfo', room: this.#options!.room, streamId: this.#own });
  }

  /** Plays the ids not played yet, stops the ones no longer listed. */
  #sync(ids: string[], names: ReadonlyMap<string, string>): void {
    const live = new Set(ids.filter((id) => id !== this.#own));
    for (const id of [...this.#plays.keys()]) if (!live.has(id)) this.#remove(id);
    for (const id of live) if (!this.#plays.has(id)) this.#add(id, names.get(id) || id);
  }

  #add(streamId: string, name: string): void {
    const o = this.#options!;
    const p = new PlaySession(this.deps);
    this.#plays.set(streamId, p);
    const mine = (): boolean => this.#plays.get(streamId) === p;
    p.on('callback', (cb) => {
      if (!mine()) return;
      this.emit('callback', cb);
      // The member stopped publishing: stop playing it now and ask who is still there.
      if (cb.definition === 'play_finished') {
        this.#remove(streamId);
        this.#ask();
      }
    });
    p.on('track', (t) => mine() && this.emit('track', { ...t, streamId }));
    p.on('error', (e) => mine() && this.emit('error', e));
    this.emit('added', { streamId, name });
    // Its failures are already reported through 'error'.
    p.start({ streamId, room: o.room, token: o.token, iceServers: o.iceServers }).catch(() => undefined);
  }

  #remove(streamId: string): void {
    const p = this.#plays.get(streamId);
    if (!p) return;
    this.#plays.delete(streamId);
    void p.stop().finally(() => p.dispose());
    this.emit('removed', { streamId });
  }
}
