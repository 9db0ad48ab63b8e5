/**
 * One RTCPeerConnection and the plumbing every session needs around it: made through
 * `SessionDeps.createPeerConnection`, local media on transceivers, local candidates handed out,
 * remote candidates queued until the remote description is set, ICE watched (`disconnected`
 * gets a grace period, `failed` is final), offers and answers set locally, ICE restart. What to
 * signal and what to do when ICE is lost is the session's (publish, play, room play, p2p).
 * DOM-free: the RTCPeerConnection comes from the factory.
 * @internal
 */

/** ICE `disconnected` this long before it counts as lost (ICE often recovers by itself). */
export const ICE_GRACE_MS = 2_000;

/** What a peer reports to its session. */
export interface PeerHandlers {
  /** A local candidate to signal (never an empty end-of-candidates one). */
  candidate(candidate: RTCIceCandidate): void;
  /** Every ICE connection state, as it changes (reported before `connected` / `lost`). */
  state(state: RTCIceConnectionState): void;
  /** ICE is `connected` or `completed` (again). */
  connected(): void;
  /** ICE `failed`, or stayed `disconnected` for `ICE_GRACE_MS`. */
  lost(): void;
  /** A data channel the other side opened. */
  channel(channel: RTCDataChannel): void;
  /** Remote media. */
  track?(event: RTCTrackEvent): void;
}

export type CreatePeerConnection = (config: RTCConfiguration) => RTCPeerConnection;

/** Remote candidates kept for the remote description at most: a server sends a handful; a flood would only grow memory. */
export const MAX_QUEUED_CANDIDATES = 100;

/** Whether ICE is up in `state`. */
export const isConnected = (state: RTCIceConnectionState): boolean => state === 'connected' || state === 'completed';

export class Peer {
  /** The connection itself (stats, senders, signaling state). */
  readonly pc: RTCPeerConnection;
  /** Remote candidates waiting for the remote description; undefined once it is set. */
  #queued: RTCIceCandidateInit[] | undefined = [];
  #grace: ReturnType<typeof setTimeout> | undefined;

  constructor(config: RTCConfiguration, handlers: PeerHandlers, create: CreatePeerConnection = (c) => new RTCPeerConnection(c)) {
    const pc = (this.pc = create(config));
    pc.onicecandidate = (e) => {
      if (e.candidate?.candidate) handlers.candidate(e.candidate);
    };
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      handlers.state(state);
      if (isConnected(state)) {
        this.#clearGrace();
        handlers.connected();
      } else if (state === 'failed') {
        // Final for this ICE session: act now.
        this.#clearGrace();
        handlers.lost();
      } else if (state === 'disconnected' && this.#grace === undefined) {
        // Often recovers by itself: give it a moment.
        this.#grace = setTimeout(() => {
          this.#grace = undefined;
          if (!isConnected(pc.iceConnectionState)) handlers.lost();
        }, ICE_GRACE_MS);
      }
    };
    pc.ondatachannel = (e) => handlers.channel(e.channel);
    pc.ontrack = (e) => handlers.track?.(e);
  }

  /**
   * Sends the tracks of `stream`: each on a `sendonly` transceiver of its own (publish; with
   * `layers`, the video in those simulcast encodings), or, not `sendonly`, with `addTrack`, which
   * takes the transceivers a remote offer made (p2p, both ways).
   */
  addStream(stream: MediaStream, sendonly?: boolean, layers?: unknown): void {
    for (const track of stream.getTracks()) {
      // The layers the server asks for (the embedded server's `start`: `simulcast`, a list of
      // encodings); anything else makes addTransceiver throw, which fails the offer (an error event).
      const sendEncodings = track.kind === 'video' ? (layers as RTCRtpEncodingParameters[] | undefined) : undefined;
      if (sendonly) this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream], sendEncodings });
      else this.pc.addTrack(track, stream);
    }
  }

  /** The sender of the outgoing `kind` track, if there is one. */
  sender(kind: 'audio' | 'video'): RTCRtpSender | undefined {
    return this.pc.getTransceivers().find((t) => t.receiver.track?.kind === kind || t.sender.track?.kind === kind)?.sender;
  }

  /**
   * Creates an offer, sets it locally and returns its SDP. With `iceRestart`: an ICE restart on
   * this connection (new credentials, media goes on meanwhile).
   */
  async offer(iceRestart?: boolean): Promise<string> {
    if (iceRestart) this.pc.restartIce();
    const offer = await this.pc.createOffer(iceRestart ? { iceRestart } : undefined);
    await this.pc.setLocalDescription(offer);
    return offer.sdp ?? '';
  }

  /**
   * Creates the answer to the remote offer, sets it locally and returns its SDP. `made` gets the
   * SDP as soon as it is made, before it is set (what is set is that SDP): signalled then, it
   * reaches the server a few ms sooner.
   */
  async answer(made?: (sdp: string) => void): Promise<string> {
    const answer = await this.pc.createAnswer();
    made?.(answer.sdp ?? '');
    await this.pc.setLocalDescription(answer);
    return answer.sdp ?? '';
  }

  /** Sets the remote description, then adds the candidates that came before it. */
  async setRemote(desc: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(desc);
    const queued = this.#queued ?? [];
    this.#queued = undefined;
    for (const c of queued) await this.#add(c);
  }

  /** A remote candidate: added now if the remote description is set, else queued for it. */
  addCandidate(candidate: RTCIceCandidateInit): void {
    if (this.#queued) {
      if (this.#queued.length < MAX_QUEUED_CANDIDATES) this.#queued.push(candidate);
    } else void this.#add(candidate);
  }

  /** Closes the connection; no handler runs after this. */
  close(): void {
    this.#clearGrace();
    const pc = this.pc;
    pc.onicecandidate = pc.oniceconnectionstatechange = pc.ondatachannel = pc.ontrack = null;
    pc.close();
  }

  #clearGrace(): void {
    clearTimeout(this.#grace);
    this.#grace = undefined;
  }

  /** A candidate the browser refuses (stale, or of a closed connection) is dropped. */
  #add(candidate: RTCIceCandidateInit): Promise<void> {
    return this.pc.addIceCandidate(candidate).catch(() => undefined);
  }
}
