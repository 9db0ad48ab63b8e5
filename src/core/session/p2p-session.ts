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
    const pc = this.#peer();
    this.#addLocal(pc);
    this.attachChannel(pc.createDataChannel(this.streamId!, { ordered: true }));
    void (async () => {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      if (this.pc === pc) this.send({ command: 'takeConfiguration', streamId: this.streamId!, type: 'offer', sdp: offer.sdp ?? '' });
    })().catch((e: unknown) => this.#failPeer(pc, RtcError.of('notSetLocalDescription', { streamId: this.streamId, cause: e })));
  }

  protected override async onConfiguration(frame: TakeConfigurationFrame): Promise<void> {
    if (frame.type === 'answer') {
      if (this.pc) await this.setRemote(frame);
      return;
    }
    // Every offer comes from a newly arrived peer: a connection of its own.
    const pc = this.#peer();
    await this.setRemote(frame);
    // After the offer, so the tracks take the transceivers it made (both directions on each).
    this.#addLocal(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    if (this.pc === pc) this.send({ command: 'takeConfiguration', streamId: this.streamId!, type: 'answer', sdp: answer.sdp ?? '' });
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

  #peer(): RTCPeerConnection {
    const pc = this.createPeer();
    const streamId = this.streamId;
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      this.emit('track', { track, stream, trackId: '' });
      const payload = { stream, track, streamId, trackId: '' };
      this.callback('newTrackAvailable', payload);
      this.callback('newStreamAvailable', payload);
    };
    super.setStatsInterval(this.#statsMs);
    return pc;
  }

  #addLocal(pc: RTCPeerConnection): void {
    const stream = this.options!.stream;
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
  }

  /** A failed negotiation with the other peer: reported, that connection closed, still joined. */
  #failPeer(pc: RTCPeerConnection, error: RtcError): void {
    if (this.pc !== pc) return;
    this.teardownPeer();
    this.fail(error, false);
  }
}
