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
  /**
   * The participant's own stream id: `id`, except in p2p, where the one tile is keyed by the p2p
   * stream id both peers share and this is the `streamId` the other peer's messages give.
   */
  streamId: string;
  name: string;
  stream: S;
}

export interface ChatLine {
  from: string;
  text: string;
}

/** Who joined or left: the tile's key (`id`), the participant's own stream id and the name its tile shows. */
export interface ParticipantEvent {
  id: string;
  streamId: string;
  name: string;
}

export interface RoomModelEvents {
  /**
   * A remote participant appeared (listed since), once its name is known (a named `ensure`, its
   * record, its first p2p message) or `nameWaitMs` after it was listed, with the best name known.
   */
  joined: ParticipantEvent;
  /**
   * A participant announced by `joined` left (no longer listed, except while `clear()` runs: then
   * all leave, in order). One that leaves before it was announced is never announced at all.
   */
  left: ParticipantEvent;
  /** Anything shown changed: names, state, tracks, slots, chat, speaker. */
  change: undefined;
}

/** Audio level (0–1, as `getStats` gives it) over which a participant counts as speaking. */
export const SPEAKING_LEVEL = 0.02;
/** How long a speaker keeps the highlight after going quiet. */
export const SPEAKER_HOLD_MS = 1200;
/** How many chat lines are kept. */
export const CHAT_LINES = 100;
/** How long `joined` waits for a participant's name before it goes out with the best name known. */
export const NAME_WAIT_MS = 3000;

export class RoomModel<T extends RoomTrack = RoomTrack, S extends RoomStream<T> = RoomStream<T>> extends TypedEmitter<RoomModelEvents> {
  #participants = new Map<string, Participant<T, S>>();
  #chat: readonly ChatLine[] = [];
  #speaker = '';
  #speakerSince = 0;
  /** AMS video/audio slots (`videoTrack0`, `audioTrack0`, …): label → track, and video label → participant. */
  #slotTracks = new Map<string, T>();
  #slotOwners = new Map<string, string>();
  readonly #watched = new WeakSet<T>();
  /** Participants listed but not announced yet (`joined`), with the timer that announces them anyway. */
  #unnamed = new Map<string, ReturnType<typeof setTimeout>>();

  /** `createStream(tracks)`: a stream of these tracks (`new MediaStream(tracks)`); `nameWaitMs`: see `joined`. */
  constructor(
    private readonly createStream: (tracks: T[]) => S,
    private readonly nameWaitMs = NAME_WAIT_MS,
  ) {
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

  /** The participant `id`, added when new (announced by `joined` once named); a `name` renames it. */
  ensure(id: string, name?: string): Participant<T, S> {
    let part = this.#participants.get(id);
    if (!part) {
      const p = (part = { id, streamId: id, name: name || id, stream: this.createStream([]), micMuted: false, cameraOff: false, sharing: false });
      this.#participants = new Map(this.#participants).set(id, p);
      this.#unnamed.set(
        id,
        setTimeout(() => this.#announce(p), this.nameWaitMs),
      );
      this.#changed();
    } else if (name && part.name !== name) {
      part.name = name;
      this.#changed();
    }
    if (name) this.#announce(part);
    return part;
  }

  /** `ensure(id, name)` with the state of its record (`decodeMetaData`), e.g. from a Broadcast: the record has the last word on the name. */
  update(id: string, name: string | undefined, state: Partial<ParticipantState> | undefined): void {
    const part = this.ensure(id, name);
    Object.assign(part, state);
    this.#announce(part);
    this.#changed();
  }

  /** Removes the participant `id` (`left`, if it was announced). */
  drop(id: string): void {
    const part = this.#participants.get(id);
    if (!part) return;
    const next = new Map(this.#participants);
    next.delete(id);
    this.#participants = next;
    this.#leave(part);
    this.#changed();
  }

  /** Everyone leaves (`left` for each announced one, in join order); slots and the speaker are forgotten. The chat stays. */
  clear(): void {
    this.#speaker = '';
    this.#slotTracks = new Map();
    this.#slotOwners = new Map();
    for (const part of this.#participants.values()) this.#leave(part);
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
    if (part && peer !== undefined) {
      // The other peer's messages name it (p2p has no records): the first one has the last word.
      if (this.#unnamed.has(part.id)) part.streamId = msg.from;
      if (msg.name && msg.name !== part.name) {
        part.name = msg.name;
        this.#changed();
      }
      this.#announce(part);
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

  /** `joined`, unless `part` was announced already. */
  #announce(part: Participant<T, S>): void {
    const timer = this.#unnamed.get(part.id);
    if (timer === undefined || this.#participants.get(part.id) !== part) return;
    clearTimeout(timer);
    this.#unnamed.delete(part.id);
    this.emit('joined', { id: part.id, streamId: part.streamId, name: part.name });
  }

  /** `left` for an announced participant; one never announced just stops waiting. */
  #leave(part: Participant<T, S>): void {
    const timer = this.#unnamed.get(part.id);
    this.#unnamed.delete(part.id);
    if (timer === undefined) this.emit('left', { id: part.id, streamId: part.streamId, name: part.name });
    else clearTimeout(timer);
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
