/**
 * The WHIP and WHEP sessions of the server (every app), by session id: what a PATCH or DELETE on
 * a session URL reaches. A session holds its ICE session's entity-tag, the client's last offer
 * (an ICE restart rebuilds it), the token it was opened with, and how to end it.
 */
import { randomBytes } from 'node:crypto';
import type { IceCandidateInit } from '../relay/types.js';

export type HttpSessionKind = 'whip' | 'whep';

export interface HttpSession {
  readonly id: string;
  readonly kind: HttpSessionKind;
  readonly app: string;
  readonly streamId: string;
  /** The bearer token the POST carried when the app asked for one: later requests must carry it too. */
  readonly token: string | undefined;
  /** The current ICE session's strong entity-tag, quoted (`"…"`). */
  etag: string;
  /** The client's current offer: the POST's, or the one an ICE restart rebuilt. */
  offer: string;
  /** Applies a new offer of the client (an ICE restart) and resolves with the answer; rejects with `SdpError`. */
  renegotiate(offer: string): Promise<string>;
  addCandidate(candidate: IceCandidateInit): Promise<void>;
  /** Frees the session: its publish (WHIP) or its play (WHEP) ends. Idempotent. */
  end(): void;
}

/** A fresh session id: 128 random bits, URL-safe. */
export const newSessionId = (): string => randomBytes(16).toString('base64url');

/** A fresh strong entity-tag, quoted. */
export const newEtag = (): string => `"${randomBytes(12).toString('base64url')}"`;

export class HttpSessions {
  private readonly sessions = new Map<string, HttpSession>();
  /** Operations of one session run one after another (a restart and a trickle must not interleave). */
  private readonly queues = new WeakMap<HttpSession, Promise<unknown>>();

  get size(): number {
    return this.sessions.size;
  }

  add(session: HttpSession): void {
    this.sessions.set(session.id, session);
  }

  /** The session `id` of `kind`, `app` and `streamId` (a session URL names all four), else undefined. */
  find(kind: HttpSessionKind, app: string, streamId: string, id: string): HttpSession | undefined {
    const s = this.sessions.get(id);
    return s && s.kind === kind && s.app === app && s.streamId === streamId ? s : undefined;
  }

  /** Forgets `session` (its `end` calls this). */
  delete(session: HttpSession): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  /** Runs `fn` after the session's previous operation settled. */
  serialize<T>(session: HttpSession, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(session) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.queues.set(
      session,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Ends every session (the server is closing). */
  endAll(): void {
    for (const s of [...this.sessions.values()]) s.end();
    this.sessions.clear();
  }
}
