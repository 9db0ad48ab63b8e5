/**
 * One WebSocket of the AMS protocol: each frame is parsed once (`parseClientFrame`), passed by
 * the fault rules, then (a new session only while the server is not overloaded: admission
 * control) handled through the dispatch table (`commands.ts`); on close, every session of the
 * socket ends. The media itself is the relay's business (`relay/types.ts`).
 */
import { parseClientFrame, type ParsedClientFrame } from '../../../../src/core/protocol/codec.js';
import type { ServerFrame } from '../../../../src/core/protocol/messages.js';
import type { FaultTable } from '../faults.js';
import { CommandBucket, type LimitName, type SocketLimits } from '../limits.js';
import type { Admission } from '../load-gauge.js';
import type { MediaRelay } from '../relay/types.js';
import { dispatch } from './commands.js';
import { Connection, type AppContext } from './connection.js';
import { endRoomPlay } from './multitrack.js';
import { Outbox, type FrameSink } from './outbox.js';
import { endPlay } from './play.js';
import { endPublish } from './publish.js';

/** The commands that open a session: refused while the server is overloaded (`highResourceUsage`). */
const ADMITTED = new Set<string>(['publish', 'play', 'joinRoom']);

export class SignalingHandler {
  private readonly out: Outbox;
  private readonly conn: Connection;
  private readonly bucket: CommandBucket;
  private closed = false;

  constructor(
    socket: FrameSink,
    private readonly app: AppContext,
    relay: MediaRelay,
    private readonly faults: FaultTable,
    private readonly limits: SocketLimits = { maxCommandsPerSecond: 0, maxStreamsPerSocket: 0 },
    private readonly onLimit: (limit: LimitName) => void = () => undefined,
    private readonly admission: Admission = { refusal: () => undefined },
  ) {
    this.out = new Outbox(socket);
    this.conn = new Connection(app, relay, this.out, limits.maxStreamsPerSocket, () => onLimit('maxStreamsPerSocket'));
    this.bucket = new CommandBucket(limits.maxCommandsPerSecond);
  }

  /**
   * Handles one frame: a string is a text frame, bytes a binary one. Never throws: anything
   * unusable is answered with an error frame.
   */
  handleFrame(data: string | Uint8Array): void {
    if (this.closed) return;
    if (!this.bucket.take()) return this.tooFast();
    const parsed = parseClientFrame(data);
    if (parsed.kind === 'invalid') return this.out.refuse(parsed.error);
    try {
      this.dispatch(parsed);
    } catch {
      // A bug of ours must not take the server down; the session goes on.
      this.out.refuse({ definition: 'invalid_message', reason: 'the frame could not be handled' });
    }
  }

  /** Over `maxCommandsPerSecond`: one error frame, then the socket is closed (its frames still in flight are not read). */
  private tooFast(): void {
    const { maxCommandsPerSecond: rate } = this.limits;
    this.out.error('highResourceUsage', { reason: `more than ${rate} commands a second` });
    this.out.endForPolicy('too many commands');
    this.onLimit('maxCommandsPerSecond');
    this.handleClose();
  }

  /** The socket closed: stop everything it published or played, without writing to it. */
  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
    const { conn, app } = this;
    app.p2p.leaveAll(conn.p2pPeer);
    app.rooms.leaveAll(conn.id);
    for (const p of [...conn.plays.values()]) endPlay(conn, p, false);
    for (const p of [...conn.roomPlays.values()]) endRoomPlay(conn, p, false);
    for (const p of [...conn.publishes.values()]) endPublish(conn, p, false);
  }

  /** The fault rules come first (except for `ping`), then the command. */
  private dispatch(parsed: Exclude<ParsedClientFrame, { kind: 'invalid' }>): void {
    if (parsed.kind === 'frame' && parsed.frame.command === 'ping') return this.handle(parsed);
    const command = parsed.kind === 'frame' ? parsed.frame.command : parsed.command;
    const streamId = parsed.streamId;
    const fault = this.faults.take(this.app.name, command, streamId);
    if (fault) {
      const reply = fault.reply ? ({ ...fault.reply, streamId: streamId ?? '' } as unknown as ServerFrame) : undefined;
      switch (fault.action) {
        case 'ignore':
          return;
        case 'close':
          return this.out.drop();
        case 'raw':
          return this.out.raw(fault.text!);
        case 'replace':
          return this.out.send(reply!);
        case 'after':
          this.handle(parsed);
          return this.out.send(reply!);
      }
    }
    this.handle(parsed);
  }

  private handle(parsed: Exclude<ParsedClientFrame, { kind: 'invalid' }>): void {
    if (parsed.kind === 'refused') return this.out.refuse(parsed.error);
    const { frame } = parsed;
    if (ADMITTED.has(frame.command)) {
      // Overloaded (or maxPlayers reached, for a play): no new session, so that the ones admitted keep their media; the client tries again later.
      const overload = this.admission.refusal(frame.command === 'play' ? 'play' : 'publish');
      if (overload) {
        this.out.error('highResourceUsage', { streamId: parsed.streamId ?? '', reason: overload.reason });
        return this.onLimit(overload.cause);
      }
    }
    dispatch(this.conn, frame, parsed.json);
  }
}
