/**
 * The data store of one application: its Broadcast records (made by REST, config or a publish)
 * and its one-time, expiring tokens. In memory; nothing is written to disk.
 */
import { randomBytes } from 'node:crypto';
import type { Broadcast } from '../../../../src/core/protocol/messages.js';
import type { AppSettings } from '../config.js';

export type TokenType = 'publish' | 'play';

export interface Token {
  tokenId: string;
  streamId: string;
  /** Unix seconds. */
  expireDate: number;
  type: TokenType;
}

/** A Broadcast plus what the server needs to know about it. */
export interface StreamRecord {
  broadcast: Broadcast;
  /** Created ahead of publishing (REST or config), so it survives the publish ending. */
  registered: boolean;
}

const makeBroadcast = (streamId: string, name: string, now: number): Broadcast => ({
  streamId,
  name,
  status: 'created',
  type: 'liveStream',
  publishType: 'WebRTC',
  date: now,
  startTime: 0,
  metaData: null,
  mainTrackStreamId: null,
  subTrackStreamIds: [],
  webRTCViewerCount: 0,
  webRTCViewerLimit: -1,
});

export class AppStore {
  readonly streams = new Map<string, StreamRecord>();
  private readonly tokens = new Map<string, Token>();

  constructor(
    readonly name: string,
    readonly settings: AppSettings,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of settings.streams) {
      const { streamId, name: n } = typeof s === 'string' ? { streamId: s, name: undefined } : s;
      this.create(streamId, n);
    }
  }

  /** Creates (registers) a broadcast; an existing unregistered record becomes registered. */
  create(streamId: string, name?: string, webRTCViewerLimit?: number): StreamRecord {
    const existing = this.streams.get(streamId);
    if (existing) {
      existing.registered = true;
      if (name !== undefined) existing.broadcast.name = name;
      if (webRTCViewerLimit !== undefined) existing.broadcast.webRTCViewerLimit = webRTCViewerLimit;
      return existing;
    }
    const record: StreamRecord = { broadcast: makeBroadcast(streamId, name ?? streamId, this.now()), registered: true };
    if (webRTCViewerLimit !== undefined) record.broadcast.webRTCViewerLimit = webRTCViewerLimit;
    this.streams.set(streamId, record);
    return record;
  }

  /** The record a publish uses: the registered one, or a fresh unregistered one. */
  forPublish(streamId: string, name?: string): StreamRecord {
    let record = this.streams.get(streamId);
    if (!record) {
      record = { broadcast: makeBroadcast(streamId, name || streamId, this.now()), registered: false };
      this.streams.set(streamId, record);
    } else if (name) {
      record.broadcast.name = name;
    }
    return record;
  }

  get(streamId: string): StreamRecord | undefined {
    return this.streams.get(streamId);
  }

  isRegistered(streamId: string): boolean {
    return this.streams.get(streamId)?.registered === true;
  }

  /** Marks a publish ended: registered records stay as `finished`, others are forgotten. */
  finish(streamId: string): void {
    const record = this.streams.get(streamId);
    if (!record) return;
    if (record.registered) {
      record.broadcast.status = 'finished';
      record.broadcast.webRTCViewerCount = 0;
    } else {
      this.streams.delete(streamId);
    }
  }

  delete(streamId: string): boolean {
    for (const [id, t] of this.tokens) if (t.streamId === streamId) this.tokens.delete(id);
    return this.streams.delete(streamId);
  }

  list(offset: number, size: number): Broadcast[] {
    return [...this.streams.values()].slice(offset, offset + size).map((r) => r.broadcast);
  }

  createToken(streamId: string, type: TokenType, expireDate: number): Token {
    const token: Token = { tokenId: randomBytes(16).toString('hex'), streamId, expireDate, type };
    this.tokens.set(token.tokenId, token);
    return token;
  }

  /**
   * Checks a token for this stream and use, and consumes it: tokens are one-time.
   * Expired tokens are removed whether or not they match.
   */
  consumeToken(tokenId: unknown, streamId: string, type: TokenType): boolean {
    if (typeof tokenId !== 'string' || tokenId === '') return false;
    const token = this.tokens.get(tokenId);
    if (!token) return false;
    if (token.expireDate * 1000 <= this.now()) {
      this.tokens.delete(tokenId);
      return false;
    }
    if (token.streamId !== streamId || token.type !== type) return false;
    this.tokens.delete(tokenId);
    return true;
  }
}
