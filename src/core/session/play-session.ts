/**
 * Playing one stream: `play` → the server's offer (with `idMapping`) → our answer → candidates
 * → `play_started`. A stream that is not live yet (`no_stream_exist`), or whose publisher
 * went away (`play_finished`), is asked for again until it is live, without tearing anything
 * down: the same `stream` object keeps its place in the page (a server too busy to admit it is
 * asked again by the base class, `Session.onServerError`). AMS has no client-initiated
 * renegotiation for play, so recovery is a new play.
 */
import { RtcError } from '../errors.js';
import type { IdMapping, TakeConfigurationFrame } from '../protocol/messages.js';
import type { Peer } from './peer.js';
import { DefaultReconnectPolicy, WAITING_QUICK_MS } from '../signaling/reconnect-policy.js';
import { Session } from './session.js';
import type { PlayOptions } from './types.js';

/** While waiting for a stream to go live, it is asked for again on `WAITING_QUICK_MS`, then about once a second. */
const WAIT = new DefaultReconnectPolicy({ quickMs: WAITING_QUICK_MS });

export class PlaySession extends Session<PlayOptions> {
  protected get kind(): 'play' {
    return 'play';
  }
  #idMapping: IdMapping = {};
  #waiting = false;
  #waits = 0;
  #_stream: MediaStream | undefined;

  /** The remote media; the same object across reconnects and replays. */
  get stream(): MediaStream {
    return (this.#_stream ??= new MediaStream());
  }

  /** Whether the session is waiting for the stream to go live. */
  get waiting(): boolean {
    return this.#waiting;
  }

  /** Plays `options.streamId`; resolves at `play_started` (after any wait for the stream to go live). */
  start(options: PlayOptions): Promise<void> {
    this.#waiting = false;
    this.#waits = 0;
    return this.begin(options);
  }

  /** Asks the server for a rendition (`forceStreamQuality`); 0 = automatic. */
  setQuality(height: number): void {
    if (!this.streamId) return;
    this.send({ command: 'forceStreamQuality', streamId: this.streamId, streamHeight: Math.max(0, Math.floor(height) || 0) });
  }

  /** Asks the server for the stream's renditions (`getStreamInfo`); the answer is the `streamInformation` callback. */
  getStreamInfo(): void {
    if (this.streamId) this.send({ command: 'getStreamInfo', streamId: this.streamId });
  }

  protected async request(): Promise<void> {
    const o = this.options!;
    const token = await this.freshToken();
    if (token === null) return;
    this.send({
      command: 'play',
      streamId: o.streamId,
      token,
      room: o.room ?? '',
      trackList: [],
      subscriberId: '',
      subscriberCode: '',
      viewerInfo: '',
      role: '',
      userPublishId: o.userPublishId ?? '',
    });
    if (!this.waiting) this.watchdog('play');
  }

  protected override onServerError(error: RtcError): boolean {
    if (error.code !== 'no_stream_exist' && error.code !== 'stream_not_exist_or_not_streaming') return super.onServerError(error);
    // Not live yet: report once (waiting: the error is dispatched, the element shows the wait),
    // then keep asking quietly until it is.
    if (!this.waiting) {
      this.#waiting = true;
      this.fail(error, false);
      this.callback('waiting', { streamId: this.streamId });
    }
    // (This clears the attempt's timers too, the watchdog among them.)
    this.teardownPeer();
    this.transition('connecting');
    this.#askLater();
    return true;
  }

  /** A failure ends the wait: the element shows it (while waiting, errors are only dispatched). */
  protected override fail(error: RtcError, fatal: boolean): void {
    if (fatal) this.#waiting = false;
    super.fail(error, fatal);
  }

  protected async onConfiguration(frame: TakeConfigurationFrame): Promise<void> {
    if (frame.type !== 'offer') return;
    // The codec lets `idMapping` through only as an object of strings.
    this.#idMapping = frame.idMapping ?? {};
    // A new offer on a live connection is a renegotiation (tracks added or removed).
    const peer = this.peer && this.peer.pc.signalingState !== 'closed' ? this.peer : this.newPeer();
    await peer.setRemote(frame);
    // Sent as soon as it is made, set meanwhile.
    await peer.answer((sdp) => {
      if (this.state === 'connecting') this.transition('negotiating');
      this.send({ command: 'takeConfiguration', streamId: this.streamId!, type: 'answer', sdp });
    });
  }

  /** A new peer connection whose tracks go into `stream` (tracks of the previous one leave it). */
  protected newPeer(): Peer {
    const stream = this.stream;
    const peer = this.createPeer((e) => {
      const track = e.track;
      stream.addTrack(track);
      const trackId = this.#idMapping[e.transceiver?.mid ?? ''] ?? '';
      const payload = { stream, track, streamId: this.streamId, trackId };
      this.emit('track', { track, stream, trackId });
      this.callback('newTrackAvailable', payload);
      this.callback('newStreamAvailable', payload);
    });
    // Tracks of a previous connection leave the stream: the element keeps the same srcObject.
    for (const old of stream.getTracks()) stream.removeTrack(old);
    return peer;
  }

  protected onNotification(definition: string): void {
    if (definition === 'play_started') {
      this.#waiting = false;
      this.#waits = 0;
      this.settleLive();
    } else if (definition === 'play_finished' && (this.state === 'live' || this.state === 'negotiating')) {
      // The publisher stopped: wait for it to come back, keeping the element as it is.
      this.teardownPeer();
      this.transition('connecting');
      this.#waiting = true;
      this.callback('waiting', { streamId: this.streamId });
      this.#askLater();
    }
  }

  #askLater(): void {
    this.later(WAIT.nextRetryDelayInMs({ retryCount: this.#waits++ })!, () => void this.request());
  }

  protected recoverIce(): void {
    this.callback('reconnection_attempt_for_player', { streamId: this.streamId });
    if (this.streamId) this.send({ command: 'stop', streamId: this.streamId });
    this.restartSession();
  }

  override async stop(): Promise<void> {
    this.#waiting = false;
    await super.stop();
  }
}
