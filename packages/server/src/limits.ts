/**
 * What the server holds against abusive clients (the AMS WebSocket's side; WHIP/WHEP have
 * `maxWhipSessions`): sockets per client address, a command rate per socket (a token bucket),
 * a send-buffer cap per socket (a client that never reads), streams per socket. Pure counting:
 * `index.ts` and the signaling handler apply it. Every limit is 0 = none. The server's own load
 * (admission control: `cpuLimit`, `eventLoopLagLimitMs`) is read by `load-gauge.ts`.
 */
import type { OverloadCause } from './load-gauge.js';

/** The limits one socket is held to. */
export interface SocketLimits {
  /** Commands a second, on average; the bucket holds two seconds' worth (0: no limit). */
  readonly maxCommandsPerSecond: number;
  /** Publishes and plays (streams and rooms) open at once on one socket (0: no limit). */
  readonly maxStreamsPerSocket: number;
}

/**
 * Which limit refused a client, for `ServerOptions.onLimit`; an overloaded server's refusal names
 * what overloaded it (`cpuLimit`, `eventLoopLagLimitMs`, or `overloadFault`: the fault switch),
 * and a play past the server's count is `maxPlayers`.
 */
export type LimitName =
  'maxSocketsPerAddress' | 'webSocketAllowedOrigins' | 'maxCommandsPerSecond' | 'maxSocketBufferedBytes' | 'maxStreamsPerSocket' | OverloadCause;

/** A client refused or dropped by a limit. */
export interface LimitEvent {
  limit: LimitName;
  /** The client's address (IPv4-mapped IPv6 addresses as plain IPv4). */
  address: string;
  /** The app of the WebSocket path. */
  app: string;
}

/** `::ffff:1.2.3.4` is `1.2.3.4`: one client, whichever way the socket was bound. */
export const clientAddress = (remote: string | undefined): string => (remote ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** Open sockets per client address, against a cap. */
export class AddressCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one more socket of `address`; false (nothing counted) when it has `max` open. */
  take(address: string): boolean {
    const n = this.counts.get(address) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.counts.set(address, n + 1);
    return true;
  }

  /** One socket of `address` closed. */
  release(address: string): void {
    const n = (this.counts.get(address) ?? 0) - 1;
    if (n > 0) this.counts.set(address, n);
    else this.counts.delete(address);
  }
}

/**
 * A token bucket: `rate` tokens a second, at most `2 × rate` saved up, so that a burst (a
 * publish's candidates, a room's renegotiations) passes while a sustained flood does not.
 */
export class CommandBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = 2 * rate;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (always true with rate 0: no limit). */
  take(): boolean {
    if (this.rate <= 0) return true;
    const t = this.now();
    this.tokens = Math.min(2 * this.rate, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
