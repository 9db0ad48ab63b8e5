/**
 * The streams of one application being published now, by id. Other sessions (plays, room
 * players, legacy rooms, stream info) find a publish here, and a play registers itself as a
 * viewer so that it is told when the publish ends.
 */
import type { ConnectionId } from './connection-id.js';
import type { PublisherPeer } from '../relay/types.js';
import type { Phased } from '../signaling/phase.js';
import type { StreamRecord } from './streams.js';

/** A session that plays a live stream and must know when it ends. */
export interface StreamViewer {
  /** The publish ended (stopped, failed or its socket closed). */
  onSourceEnded(): void;
}

/** A publish as the other sessions see it. */
export interface LiveStream extends Phased {
  readonly streamId: string;
  /** The socket publishing it. */
  readonly owner: ConnectionId;
  readonly record: StreamRecord;
  /** The publisher's peer connection, once the offer was accepted. */
  readonly peer?: PublisherPeer;
  /** The room (main track) this publish is a subtrack of. */
  readonly mainTrack?: string;
  /** The plays of this stream. */
  readonly viewers: Set<StreamViewer>;
}

export class LiveStreams {
  private readonly streams = new Map<string, LiveStream>();

  /** The viewers of every stream (WebSocket and WHEP plays, each from its play request on). */
  viewerCount(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.viewers.size;
    return n;
  }

  /** Whether `streamId` is being published (in any phase). */
  has(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  get(streamId: string): LiveStream | undefined {
    return this.streams.get(streamId);
  }

  /** The stream when its media flows (`live`), else undefined. */
  live(streamId: string): LiveStream | undefined {
    const s = this.streams.get(streamId);
    return s?.phase === 'live' ? s : undefined;
  }

  /** Registers a new publish; the caller has checked that the id is free. */
  add(stream: LiveStream): void {
    this.streams.set(stream.streamId, stream);
  }

  /** Forgets `stream` (if it is the one registered for its id) and tells each of its viewers. */
  end(stream: LiveStream): void {
    if (this.streams.get(stream.streamId) === stream) this.streams.delete(stream.streamId);
    for (const viewer of [...stream.viewers]) viewer.onSourceEnded();
  }

  /** Whether a publish that is not stopped names `room` as its main track. */
  publishingInto(room: string): boolean {
    for (const s of this.streams.values()) if (s.mainTrack === room && s.phase !== 'stopped') return true;
    return false;
  }

  /** Name and metaData of a stream that is being published and live (for legacy room lists). */
  readonly view = (streamId: string): { name: string; metaData: string | null } | undefined => {
    const s = this.live(streamId);
    return s && { name: s.record.broadcast.name, metaData: s.record.broadcast.metaData };
  };
}
