/**
 * The frames one socket sends: typed server frames, AMS notifications and errors, frames of a
 * P2P peer passed on, and the fault rules' raw text. Nothing is written once the socket closed.
 */
import type { NotificationDefinition, ServerErrorDefinition } from '../../../../src/core/protocol/ams.js';
import type { ClientFrameError } from '../../../../src/core/protocol/codec.js';
import type { RoomInformationFrame, ServerFrame, StartFrame, StopFrame } from '../../../../src/core/protocol/messages.js';
import type { RelayedFrame } from '../registries/p2p.js';

/** The socket as the signaling side needs it. */
export interface FrameSink {
  send(text: string): void;
  /** Closes abruptly (no closing handshake). */
  close(): void;
  /** Closes with a close frame (`code`, `reason`), for a client that broke a rule. */
  end(code: number, reason: string): void;
  readonly open: boolean;
}

/** The fields of a notification or an error beside `command` and `definition`. */
export type FrameFields = Readonly<Record<string, unknown>>;

export class Outbox {
  private closed = false;

  constructor(private readonly socket: FrameSink) {}

  /** The socket closed: nothing more is written. */
  close(): void {
    this.closed = true;
  }

  send(frame: ServerFrame | RoomInformationFrame): void {
    this.write(frame);
  }

  /** A frame from the other peer of a P2P session, as it arrived, or the P2P relay's own `start` / `stop`. */
  relay(frame: StartFrame | StopFrame | RelayedFrame): void {
    this.write(frame);
  }

  notify(definition: NotificationDefinition, fields: FrameFields): void {
    this.write({ command: 'notification', definition, ...fields });
  }

  error(definition: ServerErrorDefinition, fields: FrameFields = {}): void {
    this.write({ command: 'error', definition, ...fields });
  }

  /** Answers a frame the codec refused (`parseClientFrame`). */
  refuse(error: ClientFrameError): void {
    this.write({ command: 'error', ...error });
  }

  /** Sends `text` byte for byte (the fault rule `raw`). */
  raw(text: string): void {
    if (this.socket.open) this.socket.send(text);
  }

  /** Closes the socket abruptly (the fault rule `close`). */
  drop(): void {
    this.socket.close();
  }

  /** Closes the socket with a policy-violation close frame (1008); nothing more is written. */
  endForPolicy(reason: string): void {
    this.closed = true;
    this.socket.end(1008, reason);
  }

  private write(frame: object): void {
    if (this.closed || !this.socket.open) return;
    this.socket.send(JSON.stringify(frame));
  }
}
