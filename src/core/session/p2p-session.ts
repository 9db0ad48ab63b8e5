/**
 * Peer-to-peer (reference 2.3): two peers `join` one stream id and the server only relays between
 * them. `joined` makes the session live (waiting for the other peer); when the second peer joins,
 * the server sends `start` to the first, which offers with its local media; the second answers;
 * candidates and `peerMessageCommand` frames are relayed. Both peers send and receive on one
 * connection. When the other peer leaves, the server sends `stop`: that connection closes and the
 * session waits for the next peer. Options are a publish's, with the p2p id as `streamId`.
 */
import { RtcError } from '../errors.js';
import type { TakeConfigurationFrame } from '../protocol/messages.js';
import type { Peer } from './peer.js';
import { PublishSession } from './publish-session.js';

export class P2PSession extends PublishSession {
  #statsMs = 0;

  /** Sends `{definition, data}` to the other peer through the server; alone, the server answers `no_peer_associated_before`. */
  sendPeerMessage(definition: string, data: string): void {
    this.send({ command: 'peerMessageCommand', streamId: this.streamId!, definition, data });
  }

  /** The event's `definition` is the AMS callback name, so the other peer's own `definition` travels as `peerDefinition`. */
  protected override callback(definition: string, payload: Record<string, unknown> = {}): void {
    super.callback(definition, definition === 'peerMessageCommand' ? { ...payload, peerDefinition: payload.definition } : payload);
  }

  override setStatsInterval(ms: number): void {
    this.#statsMs = ms;
    super.setStatsInterval(ms);
  }

  protected override async request(): Promise<void> {
    this.send({ command: 'join', streamId: this.streamId!, multiPeer: false, mode: 'both' });
    this.watchdog('join');
  }

  protected override onNotification(definition: string): void {
    if (definition === 'joined') this.settleLive();
  }

  /** The other peer arrived and we joined first: we offer. */
  protected override onStart(): void {
    let peer: Peer;
    try {
      peer = this.#peer();
      peer.addStream(this.options!.stream);
      this.attachChannel(peer.pc.createDataChannel(this.streamId!, { ordered: true }));
    } catch (e) {
      // No connection could be made (the browser's limit on peer connections): still joined.
      this.teardownPeer();
      this.fail(RtcError.of('notSetLocalDescription', { streamId: this.streamId, cause: e }), false);
      return;
    }
    peer
      .offer()
      .then((sdp) => this.peer === peer && this.send({ command: 'takeConfiguration', streamId: this.streamId!, type: 'offer', sdp }))
      .catch((e: unknown) => this.#failPeer(peer, RtcError.of('notSetLocalDescription', { streamId: this.streamId, cause: e })));
  }

  protected override async onConfiguration(frame: TakeConfigurationFrame): Promise<void> {
    if (frame.type === 'answer') {
      await this.peer?.setRemote(frame);
      return;
    }
    // Every offer comes from a newly arrived peer: a connection of its own.
    const peer = this.#peer();
    await peer.setRemote(frame);
    // After the offer, so the tracks take the transceivers it made (both directions on each).
    peer.addStream(this.options!.stream);
    const sdp = await peer.answer();
    if (this.peer === peer) this.send({ command: 'takeConfiguration', streamId: this.streamId!, type: 'answer', sdp });
  }

  /** The other peer left: its connection is closed; stay joined for the next one. */
  protected override onStopped(): void {}

  /** No renegotiation across the relay: leave and join again, so the other peer offers anew. */
  protected override recoverIce(): void {
    this.send({ command: 'leave', streamId: this.streamId! });
    this.restartSession();
  }

  override async stop(): Promise<void> {
    if (this.streamId && this.signaling?.state === 'open') this.send({ command: 'leave', streamId: this.streamId });
    await super.stop();
  }

  #peer(): Peer {
    const streamId = this.streamId;
    const peer = this.createPeer(({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      this.emit('track', { track, stream, trackId: '' });
      const payload = { stream, track, streamId, trackId: '' };
      this.callback('newTrackAvailable', payload);
      this.callback('newStreamAvailable', payload);
    });
    super.setStatsInterval(this.#statsMs);
    return peer;
  }

  /** A failed negotiation with the other peer: reported, that connection closed, still joined. */
  #failPeer(peer: Peer, error: RtcError): void {
    if (this.peer !== peer) return;
    this.teardownPeer();
    this.fail(error, false);
  }
}
