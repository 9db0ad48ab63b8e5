/**
 * Playing a multitrack conference room (reference 8.2–8.3): a `PlaySession` of the room id that
 * also asks the server about the room on its socket (`getBroadcastObject` → `broadcastObject`),
 * sends side commands (`updateStreamMetaData`), and reads the audio level of every incoming
 * track for the active-speaker highlight. Only `<rtc-room>` uses it, so the drop-in bundle does
 * not carry it.
 */
import type { NotificationFrame, ServerFrame } from '../protocol/messages.js';
import type { CommandFrame, Signaling } from '../signaling/signaling.js';
import { PlaySession } from './play-session.js';

interface Query {
  streamId: string;
  definition: string;
  done: (frame: NotificationFrame | undefined) => void;
}

/** How long a side request may go unanswered before it counts as unanswered. */
export const QUERY_TIMEOUT_MS = 5000;

/** Name and state of a participant from its Broadcast record. */
export interface BroadcastInfo {
  streamId: string;
  name: string;
  status: string;
  /** Raw `metaData` (the conference apps store a JSON object in it). */
  metaData: string;
  subTrackStreamIds: string[];
}

/** Reads a `broadcastObject` notification (its `broadcast` is a JSON string); undefined when the payload is not a Broadcast. */
export function parseBroadcast(frame: { readonly [field: string]: unknown } | undefined): BroadcastInfo | undefined {
  if (!frame || typeof frame.broadcast !== 'string') return undefined;
  let b: unknown;
  try {
    b = JSON.parse(frame.broadcast);
  } catch {
    return undefined;
  }
  if (!b || typeof b !== 'object') return undefined;
  const o = b as Record<string, unknown>;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    streamId: text(o.streamId) || text(frame.streamId),
    name: text(o.name),
    status: text(o.status),
    metaData: text(o.metaData),
    subTrackStreamIds: Array.isArray(o.subTrackStreamIds) ? o.subTrackStreamIds.filter((s): s is string => typeof s === 'string') : [],
  };
}

export class RoomPlaySession extends PlaySession {
  #queries: Query[] = [];
  #hooked: Signaling | undefined;

  protected override async request(): Promise<void> {
    // The base class makes the socket before its first request; answers to our side requests
    // carry another stream id than the room's, so the base class would drop them.
    const s = this.signaling;
    if (s && s !== this.#hooked) {
      this.#hooked = s;
      s.on('frame', (frame) => this.#answer(frame));
    }
    return super.request();
  }

  #answer(frame: ServerFrame): void {
    if (frame.command !== 'error' && frame.command !== 'notification') return;
    const error = frame.command === 'error';
    const q = this.#queries.find((x) => x.streamId === frame.streamId && (error || x.definition === frame.definition));
    if (q) q.done(error ? undefined : frame);
  }

  /**
   * Sends `frame` and resolves with the `notification` named `definition` for the same stream
   * id; resolves undefined on an error about that id, after `QUERY_TIMEOUT_MS`, or once stopped.
   */
  query(frame: CommandFrame & { streamId: string }, definition: string): Promise<NotificationFrame | undefined> {
    return new Promise((resolve) => {
      const q: Query = {
        streamId: frame.streamId,
        definition,
        done: (answer) => {
          clearTimeout(timer);
          this.#queries = this.#queries.filter((x) => x !== q);
          resolve(answer);
        },
      };
      const timer = setTimeout(() => q.done(undefined), QUERY_TIMEOUT_MS);
      this.#queries.push(q);
      try {
        this.send(frame);
      } catch {
        q.done(undefined);
      }
    });
  }

  /** The Broadcast record of `streamId` (`getBroadcastObject`). */
  async broadcast(streamId: string): Promise<BroadcastInfo | undefined> {
    return parseBroadcast(await this.query({ command: 'getBroadcastObject', streamId }, 'broadcastObject'));
  }

  /** Sends a side command on the room's socket (e.g. `updateStreamMetaData`); no answer expected. */
  command(frame: CommandFrame): void {
    this.send(frame);
  }

  /** The audio level (0–1) of every incoming audio track, by track id. */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    const pc = this.pc;
    if (!pc || pc.connectionState === 'closed') return levels;
    const report = await pc.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && typeof s.trackIdentifier === 'string' && typeof s.audioLevel === 'number') {
        levels.set(s.trackIdentifier, s.audioLevel);
      }
    });
    return levels;
  }

  override async stop(): Promise<void> {
    for (const q of [...this.#queries]) q.done(undefined);
    await super.stop();
  }
}
