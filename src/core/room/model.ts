/**
 * What a conference shows, whatever the mode: the remote participants (in join order) with their
 * name, mic/camera/screen state and tracks, AMS's video slots, the chat, and the active speaker.
 * DOM-free: tracks and streams are whatever the caller gives (`MediaStreamTrack`, `MediaStream`
 * in the browser), through the few members used here. The mode adapters feed it; `<rtc-room>`
 * renders it and listens to its events.
 * @internal
 */
import type { ParticipantState, RoomMessage } from './codec.js';
import { TypedEmitter } from '../typed-emitter.js';

/** What the model uses of a `MediaStreamTrack`. */
export interface RoomTrack {
  readonly id: string;
  readonly kind: string;
  readonly readyState: string;
  readonly muted: boolean;
  addEventListener(type: 'mute' | 'unmute' | 'ended', listener: () => void): void;
}

/** What the model uses of a `MediaStream`. */
export interface RoomStream<T> {
  getTracks(): T[];
  removeTrack(track: T): void;
}

/** One remote participant, keyed by its stream id. `stream` is a new object whenever a track comes or moves. */
export interface Participant<T = RoomTrack, S = RoomStream<T>> extends ParticipantState {
  readonly id: string;
  name: string;
  stream: S;
}

export interface ChatLine {
  from: string;
  text: string;
}

export interface RoomModelEvents {
  /** A remote participant appeared (already listed). */
  joined: { id: string; name: string };
  /** A remote participant left (no longer listed, except while `clear()` runs: then all leave, in order). */
  left: { id: string; name: string };
  /** Anything shown changed: names, state, tracks, slots, chat, speaker. */
  change: undefined;
}

/** Audio level (0–1, as `getStats` gives it) over which a participant counts as speaking. */
export const SPEAKING_LEVEL = 0.02;
/** How long a speaker keeps the highlight after going quiet. */
export const SPEAKER_HOLD_MS = 1200;
/** How many chat lines are kept. */
export const CHAT_LINES = 100;

export class RoomModel<T extends RoomTrack = RoomTrack, S extends RoomStream<T> = RoomStream<T>> extends TypedEmitter<RoomModelEvents> {
  #participants = new Map<string, Participant<T, S>>();
  #chat: readonly ChatLine[] = [];
  #speaker = '';
  #speakerSince = 0;
  /** AMS video/audio slots (`videoTrack0`, `audioTrack0`, …): label → track, and video label → participant. */
  #slotTracks = new Map<string, T>();
  #slotOwners = new Map<string, string>();
  readonly #watched = new WeakSet<T>();

  /** `createStream(tracks)`: a stream of these tracks (`new MediaStream(tracks)`). */
  constructor(private readonly createStream: (tracks: T[]) => S) {
    super();
  }

  /** The remote participants, in join order. */
  get participants(): ReadonlyMap<string, Participant<T, S>> {
    return this.#participants;
  }

  /** The last `CHAT_LINES` chat lines, oldest first. */
  get chat(): readonly ChatLine[] {
    return this.#chat;
  }

  /** Who holds the active-speaker highlight: a participant id, `local`, or `''`. */
  get speaker(): string {
    return this.#speaker;
  }

  /** The slot tracks (`videoTrack0`, `audioTrack0`, …) by label. */
  get slots(): ReadonlyMap<string, T> {
    return this.#slotTracks;
  }

  /** The participant `id`, added (`joined`) when new; a `name` renames it. */
  ensure(id: string, name?: string): Participant<T, S> {
    let part = this.#participants.get(id);
    if (!part) {
      part = { id, name: name || id, stream: this.createStream([]), micMuted: false, cameraOff: false, sharing: false };
      this.#participants = new Map(this.#participants).set(id, part);
      this.emit('joined', { id, name: part.name });
      this.#changed();
    } else if (name && part.name !== name) {
      part.name = name;
      this.#changed();
    }
    return part;
  }

  /** `ensure(id, name)` with the state of its record (`decodeMetaData`), e.g. from a Broadcast. */
  update(id: string, name: string | undefined, state: Partial<ParticipantState> | undefined): void {
    Object.assign(this.ensure(id, name), state);
    this.#changed();
  }

  /** Removes the participant `id` (`left`). */
  drop(id: string): void {
    const part = this.#participants.get(id);
    if (!part) return;
    const next = new Map(this.#participants);
    next.delete(id);
    this.#participants = next;
    this.emit('left', { id, name: part.name });
    this.#changed();
  }

  /** Everyone leaves (`left` for each, in join order); slots and the speaker are forgotten. The chat stays. */
  clear(): void {
    this.#speaker = '';
    this.#slotTracks = new Map();
    this.#slotOwners = new Map();
    for (const part of this.#participants.values()) this.emit('left', { id: part.id, name: part.name });
    this.#participants = new Map();
    this.#changed();
  }

  /** A track of the participant `id`: it replaces the participant's track of that kind. */
  addTrack(id: string, track: T): void {
    this.#watch(track);
    this.#give(track, this.ensure(id));
  }

  /** A slot's track (`videoTrack0`): a video slot shows in the tile of whoever the assignment names (`own`: nobody's). */
  addSlotTrack(label: string, track: T, own: string): void {
    this.#watch(track);
    this.#slotTracks.set(label, track);
    this.#placeSlots(own);
  }

  /**
   * Applies one data-channel message. `own`: our stream id (our own messages are ignored).
   * `peer` (p2p): the one other tile's id; a message from an unknown sender is about it, and
   * its `name` renames it.
   */
  receive(msg: RoomMessage, own: string, peer?: string): void {
    if (msg.kind === 'ignore') return;
    if (msg.kind === 'slots') {
      this.#slotOwners = new Map(msg.owners);
      this.#placeSlots(own);
      return;
    }
    if (msg.from === own) return;
    const part = this.#participants.get(msg.from) ?? (peer === undefined ? undefined : this.#participants.get(peer));
    if (part && peer !== undefined && msg.name && msg.name !== part.name) {
      part.name = msg.name;
      this.#changed();
    }
    if (msg.kind === 'chat') this.say(part?.name ?? msg.from, msg.text);
    else if (msg.kind === 'state') {
      if (part) Object.assign(part, msg.state);
      this.#changed();
    }
  }

  /** Adds a chat line. */
  say(from: string, text: string): void {
    this.#chat = [...this.#chat.slice(1 - CHAT_LINES), { from, text }];
    this.#changed();
  }

  /**
   * Audio levels (0–1) by participant id, and our own (`local`, under `own`): the active speaker
   * is the loudest over `SPEAKING_LEVEL` (`local` for us), kept `SPEAKER_HOLD_MS` after everyone
   * went quiet. A muted participant counts as 0. Returns every level (AMS `gotSoundList`).
   */
  levels(remote: ReadonlyMap<string, number>, own: string, local: number, now: number): Record<string, number> {
    let best = '';
    let max = SPEAKING_LEVEL;
    const soundList: Record<string, number> = {};
    for (const part of this.#participants.values()) {
      const level = part.micMuted ? 0 : (remote.get(part.id) ?? 0);
      soundList[part.id] = level;
      if (level > max) [best, max] = [part.id, level];
    }
    soundList[own] = local;
    if (local > max) best = 'local';
    if (best) {
      this.#speakerSince = now;
      this.#setSpeaker(best);
    } else if (now - this.#speakerSince > SPEAKER_HOLD_MS) this.#setSpeaker('');
    return soundList;
  }

  /**
   * The participants whose video is shown: those with a video track that has media, all of them
   * or the first `max` (the server keeps the video of the first to come too); 0: all.
   */
  withVideo(max: number): Set<string> {
    const ids = [...this.#participants.values()]
      .filter((p) => p.stream.getTracks().some((t) => t.kind === 'video' && t.readyState === 'live' && !t.muted))
      .map((p) => p.id);
    return new Set(max > 0 ? ids.slice(0, max) : ids);
  }

  /** The participant whose stream holds `track`. */
  ownerOf(track: T): Participant<T, S> | undefined {
    return [...this.#participants.values()].find((p) => p.stream.getTracks().includes(track));
  }

  #changed(): void {
    this.emit('change', undefined);
  }

  #setSpeaker(id: string): void {
    if (this.#speaker === id) return;
    this.#speaker = id;
    this.#changed();
  }

  /** Muted (no media yet, or its m-line went inactive: a video limit) shows initials; ended leaves the stream. */
  #watch(track: T): void {
    if (this.#watched.has(track)) return;
    this.#watched.add(track);
    const changed = (): void => this.#changed();
    track.addEventListener('mute', changed);
    track.addEventListener('unmute', changed);
    track.addEventListener('ended', () => {
      const owner = this.ownerOf(track);
      if (!owner) return;
      owner.stream.removeTrack(track);
      if (owner.stream.getTracks().every((t) => t.readyState === 'ended')) this.drop(owner.id);
    });
  }

  /** Puts `track` in `part`'s stream (out of any other), or in none when `part` is undefined. */
  #give(track: T, part: Participant<T, S> | undefined): void {
    // A freed m-line reused for a newcomer brings back the same track object: it is not the
    // previous owner's any more.
    const before = this.ownerOf(track);
    if (before === part && part) return;
    if (before) before.stream = this.createStream(before.stream.getTracks().filter((t) => t !== track));
    if (part) part.stream = this.createStream([...part.stream.getTracks().filter((t) => t.kind !== track.kind), track]);
    this.#changed();
  }

  /** Video slots (`videoTrack0`…) to their participants; audio slots play on their own. */
  #placeSlots(own: string): void {
    for (const [label, track] of this.#slotTracks) {
      if (track.kind !== 'video') continue;
      const owner = this.#slotOwners.get(label);
      this.#give(track, owner && owner !== own ? this.ensure(owner) : undefined);
    }
    this.#changed();
  }
}
