/**
 * Data channel messages on the relay: what a message is, sending one without throwing, and the
 * queue a player's channel keeps until it opens.
 */
import type { RTCDataChannel } from 'werift';

/** Data channel messages kept for a player whose channel is not open yet. */
const MAX_PENDING_MESSAGES = 256;

/** A data channel message as werift delivers it: text as a string, binary as a Buffer. */
export type DataMessage = string | Buffer;

/** Empty messages are never relayed. */
export const isEmpty = (m: DataMessage): boolean => m.length === 0;

/** Sends `message` on `channel` if it is open; returns whether it went out (never throws). */
export function sendData(channel: RTCDataChannel | undefined, message: DataMessage): boolean {
  if (!channel || channel.readyState !== 'open') return false;
  try {
    channel.send(message);
    return true;
  } catch {
    return false;
  }
}

/**
 * A player's data channel towards the browser: messages sent before it opens wait (up to
 * `MAX_PENDING_MESSAGES`) and go out when it does; a closed channel drops them.
 */
export class ChannelOutbox {
  private channel: RTCDataChannel | undefined;
  private pending: DataMessage[] = [];

  /** Uses `channel` from now on, flushing the queue when it opens. */
  attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.stateChanged.subscribe((state) => {
      if (state === 'open') this.flush();
    });
  }

  /** Sends now if the channel is open, queues while it is not open yet, drops once it closes. */
  send(message: DataMessage): void {
    if (sendData(this.channel, message)) return;
    if (this.channel?.readyState === 'closed' || this.channel?.readyState === 'closing') return;
    if (this.pending.length < MAX_PENDING_MESSAGES) this.pending.push(message);
  }

  /** Drops the queue. */
  clear(): void {
    this.pending = [];
  }

  private flush(): void {
    const queued = this.pending;
    this.pending = [];
    for (const m of queued) sendData(this.channel, m);
  }
}
