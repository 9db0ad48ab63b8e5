/**
 * Publishing over WHIP and playing over WHEP: the AMS sessions with `WhipSignaling`
 * (signaling/whip-signaling.ts) as their signaling and the few steps HTTP does otherwise. Both
 * offer (a WHEP player offers to receive, where an AMS player answers the server's offer); both
 * go live when ICE connects (no server notification tells them: `publish_started` /
 * `play_started` are reported then); both recover by an ICE restart over PATCH first, then a new
 * POST. What WHIP and WHEP have no words for (the data channel, renditions) is the error
 * `not_supported_over_whip`. The entry of the lazy chunk `dist/whip.js`: the elements import it
 * only for an `http(s)://` server (or `protocol="whip|whep"`).
 * @internal
 */
import { RtcError } from '../errors.js';
import type { TakeConfigurationFrame } from '../protocol/messages.js';
import { WhipSignaling, type WhipHost, type WhipKind } from '../signaling/whip-signaling.js';
import { isConnected, type Peer } from './peer.js';
import { PlaySession } from './play-session.js';
import { PublishSession } from './publish-session.js';
import { ICE_RESTART_TIMEOUT_MS } from './session.js';
import type { SessionDeps } from './types.js';

const notSupported = (what: string, streamId?: string): RtcError =>
  RtcError.of('not_supported_over_whip', { message: `${what} is not part of WHIP or WHEP: use the AMS WebSocket (a ws:// or wss:// server-url).`, streamId });

/** The deps with the HTTP signaling, whose host the session fills in once it exists. */
function httpDeps(deps: SessionDeps, kind: WhipKind): { deps: SessionDeps; bind(host: WhipHost): void } {
  let host: WhipHost | undefined;
  return {
    deps: { ...deps, createSignaling: (url) => new WhipSignaling(url, kind, host!) },
    bind: (h) => (host = h),
  };
}

/** Sends `peer`'s offer as the session's `takeConfiguration`, once set locally (the signaling POSTs it). */
function offerOver(peer: Peer, live: () => boolean, send: (sdp: string) => void, fail: (e: unknown) => void): void {
  peer.offer().then(
    (sdp) => live() && send(sdp),
    (e: unknown) => live() && fail(e),
  );
}

export class WhipPublishSession extends PublishSession {
  constructor(deps: SessionDeps) {
    const http = httpDeps(deps, 'whip');
    super(http.deps);
    http.bind({ pc: () => this.pc, failed: (e) => this.fail(e, true), ownIce: () => !!this.options?.iceServers });
  }

  /** The offer without a data channel (WHIP carries media only). */
  protected override onStart(): void {
    const o = this.options!;
    const attempt = this.attempt;
    const peer = this.createPeer();
    peer.addStream(o.stream, true);
    offerOver(
      peer,
      () => attempt === this.attempt,
      (sdp) => {
        this.transition('negotiating');
        this.send({ command: 'takeConfiguration', streamId: o.streamId, type: 'offer', sdp });
      },
      (e) => this.fail(RtcError.of('notSetLocalDescription', { streamId: o.streamId, cause: e }), true),
    );
  }

  /** Live once ICE is up (as AMS's `publish_started` says once media arrives). */
  protected override onIceConnected(): void {
    super.onIceConnected();
    if (this.state === 'live') return;
    this.callback('publish_started', { streamId: this.streamId });
    this.onNotification('publish_started');
  }

  override sendData(): void {
    throw notSupported('The data channel', this.streamId);
  }
}

export class WhepPlaySession extends PlaySession {
  #restarting = false;

  constructor(deps: SessionDeps) {
    const http = httpDeps(deps, 'whep');
    super(http.deps);
    http.bind({ pc: () => this.pc, failed: (e) => this.fail(e, true), ownIce: () => !!this.options?.iceServers });
  }

  /** The signaling asks us to offer: receive video and audio. */
  protected override onStart(): void {
    this.#restarting = false;
    const streamId = this.streamId!;
    const attempt = this.attempt;
    const peer = this.newPeer();
    peer.pc.addTransceiver('video', { direction: 'recvonly' });
    peer.pc.addTransceiver('audio', { direction: 'recvonly' });
    offerOver(
      peer,
      () => attempt === this.attempt,
      (sdp) => {
        this.transition('negotiating');
        this.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp });
      },
      (e) => this.fail(RtcError.of('notSetLocalDescription', { streamId, cause: e }), true),
    );
  }

  protected override async onConfiguration(frame: TakeConfigurationFrame): Promise<void> {
    const peer = this.peer;
    if (frame.type !== 'answer' || !peer) return;
    await peer.setRemote(frame);
    // After an ICE restart the state may never leave `connected` (no event): look now.
    if (this.#restarting && isConnected(peer.pc.iceConnectionState)) this.onIceConnected();
  }

  /** Live once ICE is up (AMS's `play_started`); after an ICE restart, live again. */
  protected override onIceConnected(): void {
    if (this.#restarting) {
      this.#restarting = false;
      this.clearTimers();
      this.transition('live');
    }
    if (this.state === 'live') return;
    this.callback('play_started', { streamId: this.streamId });
    this.onNotification('play_started');
  }

  /** An ICE restart over PATCH on the same connection; a new POST if it does not connect in time. */
  protected override recoverIce(): void {
    const peer = this.peer;
    if (!peer || this.#restarting) return super.recoverIce();
    this.#restarting = true;
    const streamId = this.streamId!;
    this.callback('reconnection_attempt_for_player', { streamId, iceRestart: true });
    const attempt = this.attempt;
    peer.offer(true).then(
      (sdp) => attempt === this.attempt && this.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp }),
      () => undefined,
    );
    this.later(ICE_RESTART_TIMEOUT_MS, () => {
      if (this.#restarting) super.recoverIce();
    });
  }

  /** WHEP has no renditions to list: nothing is asked (the quality menu stays hidden). */
  override getStreamInfo(): void {}

  /** Renditions are AMS's (`forceStreamQuality`): not over WHEP. */
  override setQuality(height: number): void {
    if (height > 0) this.fail(notSupported('Choosing a rendition', this.streamId), false);
  }

  override sendData(): void {
    throw notSupported('The data channel', this.streamId);
  }
}

/**
 * The WHIP or WHEP twin of a session the element made for AMS (`base` is released). `protocol`
 * is the element's (`whip` and `whep` both mean HTTP: the publisher speaks WHIP, the player WHEP).
 */
export function whipSession<S>(base: S, deps: SessionDeps, protocol: string): S {
  if (!/^wh[ie]p$/.test(protocol)) {
    (base as { dispose?: () => void }).dispose?.();
    throw RtcError.of('invalid_protocol', { message: 'protocol is not ams, whip or whep.' });
  }
  const twin = base instanceof PublishSession ? new WhipPublishSession(deps) : new WhepPlaySession(deps);
  (base as { dispose?: () => void }).dispose?.();
  return twin as S;
}
