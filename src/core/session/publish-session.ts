/**
 * Publishing one stream: `publish` → `start` → our offer → the server's answer → candidates →
 * `publish_started`. Recovery: ICE restart on the same peer connection first (a new offer with
 * fresh credentials; no frames lost), then a full new publish.
 */
import { RtcError } from '../errors.js';
import type { StartFrame, TakeConfigurationFrame } from '../protocol/messages.js';
import { isConnected } from './peer.js';
import { Session, ICE_RESTART_TIMEOUT_MS } from './session.js';
import type { PublishOptions } from './types.js';

export class PublishSession extends Session<PublishOptions> {
  protected get kind(): 'publish' {
    return 'publish';
  }
  #restarting = false;

  /** Publishes `options.stream`; resolves at `publish_started`. */
  start(options: PublishOptions): Promise<void> {
    return this.begin(options);
  }

  protected async request(): Promise<void> {
    const o = this.options!;
    const token = await this.freshToken();
    if (token === null) return;
    this.#restarting = false;
    this.send({
      command: 'publish',
      streamId: o.streamId,
      token,
      subscriberId: '',
      subscriberCode: '',
      streamName: o.streamName ?? '',
      mainTrack: o.mainTrack ?? '',
      video: o.stream.getVideoTracks().length > 0,
      audio: o.stream.getAudioTracks().length > 0,
      metaData: o.metaData ?? '',
      role: '',
    });
    this.watchdog('publish');
  }

  protected override onStart(frame: StartFrame): void {
    // `start` answers our `publish`: once negotiating or live, another one (a server's mistake) would tear the connection down.
    if (this.state !== 'connecting') return;
    const attempt = this.attempt;
    void this.#offer(frame.simulcast).catch((e: unknown) => {
      if (attempt === this.attempt) this.fail(RtcError.of('notSetLocalDescription', { streamId: this.streamId, cause: e }), true);
    });
  }

  async #offer(layers: unknown): Promise<void> {
    const o = this.options!;
    // Media first, then the peer connection: the offer always carries the tracks.
    const peer = this.createPeer();
    peer.addStream(o.stream, true, layers);
    this.attachChannel(peer.pc.createDataChannel(o.streamId, { ordered: true }));
    const sdp = await peer.offer();
    this.transition('negotiating');
    this.send({ command: 'takeConfiguration', streamId: o.streamId, type: 'offer', sdp });
  }

  protected async onConfiguration(frame: TakeConfigurationFrame): Promise<void> {
    const peer = this.peer;
    if (frame.type !== 'answer' || !peer) return;
    await peer.setRemote(frame);
    // After an ICE restart the state may never leave `connected` (no event): look now.
    if (this.#restarting && isConnected(peer.pc.iceConnectionState)) this.onIceConnected();
  }

  protected onNotification(definition: string): void {
    if (definition === 'publish_started' || definition === 'session_restored') {
      this.settleLive();
      void this.#applyBitrate();
    } else if (definition === 'publish_finished' && this.state === 'live') {
      // The server ended our publish (not on our request): publish again.
      this.transition('reconnecting');
      this.later(500, () => this.restartSession());
    }
  }

  protected override onIceConnected(): void {
    if (this.#restarting) {
      this.#restarting = false;
      this.clearTimers();
      this.transition('live');
    }
  }

  /** ICE restart on the same connection; a full new publish if that does not connect in time. */
  protected recoverIce(): void {
    const peer = this.peer;
    const o = this.options;
    if (!peer || !o || this.#restarting) return this.restartSession();
    this.#restarting = true;
    this.callback('reconnection_attempt_for_publisher', { streamId: o.streamId, iceRestart: true });
    const attempt = this.attempt;
    peer.offer(true).then(
      (sdp) => attempt === this.attempt && this.send({ command: 'takeConfiguration', streamId: o.streamId, type: 'offer', sdp }),
      () => undefined,
    );
    this.later(ICE_RESTART_TIMEOUT_MS, () => {
      if (!this.#restarting) return;
      this.callback('reconnection_attempt_for_publisher', { streamId: o.streamId });
      this.send({ command: 'stop', streamId: o.streamId });
      this.restartSession();
    });
  }

  /** Swaps the outgoing track of `kind` without renegotiation (`null` sends nothing). */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const sender = this.peer?.sender(kind);
    if (sender) await sender.replaceTrack(track);
  }

  /** Caps the video bitrate (kbps); 0 removes the cap. */
  async setMaxBitrate(kbps: number): Promise<void> {
    if (this.options) this.options = { ...this.options, maxBitrateKbps: kbps };
    await this.#applyBitrate();
  }

  async #applyBitrate(): Promise<void> {
    const sender = this.peer?.sender('video');
    if (!sender) return;
    const kbps = this.options?.maxBitrateKbps ?? 0;
    const params = sender.getParameters();
    if (!params.encodings || params.encodings.length === 0) return;
    for (const enc of params.encodings) {
      if (kbps > 0) enc.maxBitrate = Math.round(kbps * 1000);
      else delete enc.maxBitrate;
    }
    await sender.setParameters(params).catch(() => undefined);
  }
}
