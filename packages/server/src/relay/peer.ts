/**
 * What publisher, player and room player share: the werift connection, its lifecycle (connected,
 * closed by the browser, closed by the server), the first-media signal and the candidates.
 */
import { RTCPeerConnection, type RTCRtpCodecParameters, type RTCRtpHeaderExtensionParameters } from 'werift';
import type { NetworkPolicy } from './network-policy.js';
import { bundleCandidates, filterCandidates, isUsableSdp } from './sdp.js';
import { SdpError, type IceCandidateInit, type PeerEvents } from './types.js';
import { closeWithNotify, guardUdp, noDefaultStunServer, resumeIceAfterRestart, startDtlsEarly, watchDtlsClose } from './werift-workarounds.js';
import { installWeriftSpeedups } from './werift-speedups.js';

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs a callback of the signaling handler without letting it throw into werift. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* the handler's problem, not the relay's */
  }
}

/** What a peer needs from the relay that made it. */
export interface PeerHost {
  readonly policy: NetworkPolicy;
  /** Whether the media path of the connection for `key` (a stream or room id) is cut now (test faults). */
  mediaCut?(key: string): boolean;
  /** Whether this keyframe request to the publisher of `streamId` is lost on its way (test faults). */
  dropKeyframeRequest?(streamId: string): boolean;
  /** The peer has closed: the relay stops tracking it. */
  forget(peer: Peer): void;
}

/** The codecs a peer's connection offers or accepts. */
export interface PeerCodecs {
  audio: RTCRtpCodecParameters[];
  video: RTCRtpCodecParameters[];
}

/** Things publisher and player share: the werift connection, its lifecycle and candidates. */
export abstract class Peer {
  protected pc: RTCPeerConnection | undefined;
  protected closed = false;
  private mediaStarted = false;
  private candidatesSent = false;
  /** Settles when the werift connection has finished closing. */
  closing: Promise<void> = Promise.resolve();

  constructor(
    protected readonly host: PeerHost,
    protected readonly events: PeerEvents,
  ) {}

  /** Applies a player's answer (its candidates filtered by the network policy). Rejects with `SdpError`. */
  protected async applyAnswer(sdp: string): Promise<void> {
    if (!isUsableSdp(sdp)) throw new SdpError('not a usable answer');
    try {
      const answer = filterCandidates(sdp, (c) => this.host.policy.allowRemote(c));
      await this.pc!.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (e) {
      throw new SdpError(errorMessage(e));
    }
  }

  /**
   * Makes the connection (once, from the constructor or the first offer) and watches its state;
   * `key` (its stream or room id) is what a media cut names; `videoExtensions`: the RTP header
   * extensions its video negotiates (none by default).
   */
  protected createPc(codecs: PeerCodecs, key: string, videoExtensions?: RTCRtpHeaderExtensionParameters[]): RTCPeerConnection {
    installWeriftSpeedups();
    const pc = new RTCPeerConnection({
      ...this.host.policy.config,
      codecs,
      ...(videoExtensions ? { headerExtensions: { video: videoExtensions, audio: [] } } : {}),
    });
    const host = this.host;
    if (host.mediaCut) {
      // werift opens its sockets while gathering, before any check goes out.
      const guard = (): void => guardUdp(pc, () => host.mediaCut!(key));
      pc.iceGatheringStateChange.subscribe(guard);
      pc.iceConnectionStateChange.subscribe(guard);
    }
    noDefaultStunServer(pc, (this.host.policy.config?.iceServers ?? []).length > 0);
    startDtlsEarly(pc);
    resumeIceAfterRestart(pc);
    pc.connectionStateChange.subscribe((state) => {
      if (this.closed) return;
      if (state === 'connected') {
        watchDtlsClose(pc, () => this.closedRemotely());
        this.onConnected();
      } else if (state === 'failed' || state === 'closed') {
        this.closedRemotely();
      }
    });
    this.pc = pc;
    return pc;
  }

  private closedRemotely(): void {
    if (this.closed) return;
    this.shutdown();
    safely(() => this.events.onClosed());
  }

  /** The connection is up (may be called again after a reconnect; guard if it matters). */
  protected abstract onConnected(): void;

  /** Reports `onMediaStarted` once. */
  protected startMedia(): void {
    if (this.mediaStarted || this.closed) return;
    this.mediaStarted = true;
    safely(() => this.events.onMediaStarted());
  }

  /** Trickles the local candidates once the description carrying them has been handed out. */
  protected trickle(sdp: string): void {
    if (this.candidatesSent) return;
    this.candidatesSent = true;
    const candidates = bundleCandidates(sdp);
    setImmediate(() => {
      for (const c of candidates) {
        if (this.closed) return;
        safely(() => this.events.onCandidate(c));
      }
    });
  }

  /** Adds a remote candidate the network policy allows; one werift cannot use is ignored. */
  async addCandidate(candidate: IceCandidateInit): Promise<void> {
    if (this.closed || !this.pc || !candidate.candidate) return;
    if (!this.host.policy.allowRemote(candidate.candidate)) return;
    try {
      await this.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
      });
    } catch {
      /* a candidate werift cannot use is simply not used */
    }
  }

  /** Releases everything without telling the handler. */
  protected shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    const pc = this.pc;
    if (!pc) return;
    this.closing = closeWithNotify(pc);
  }

  /** Frees what the subclass holds (timers, players, sources) and forgets the peer; called once. */
  protected abstract release(): void;

  /** Closes without telling the handler. Idempotent. */
  close(): void {
    this.shutdown();
  }
}
