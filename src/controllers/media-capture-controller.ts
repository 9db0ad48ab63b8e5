/**
 * The publisher's camera, microphone and screen: capture, mute, camera off (black frames),
 * device switching and screen sharing, all without renegotiation (`replaceTrack`). Releases
 * every track when the element leaves the page (STYLE.md convention 7).
 * @internal
 */
import type { ReactiveController } from 'lit';
import { loadFailed, RtcError, toRtcError } from '../core/errors.js';
import {
  captureScreen,
  captureUserMedia,
  defaultMediaDevices,
  listDevices,
  stopStream,
  watchDevices,
  type CaptureOptions,
  type MediaDevicesLike,
} from '../core/media/capture.js';
import { dispatchCallback, type SessionHost } from './session-controller.js';

type Kind = 'audio' | 'video';

export interface MediaCaptureOptions {
  /** What to capture (before device choices): from `no-video`, `no-audio`, `mediaConstraints`. */
  constraints: () => CaptureOptions;
  /** Puts `track` on the outgoing connection, if there is one. */
  replaceTrack: (kind: Kind, track: MediaStreamTrack) => Promise<void>;
  /** The user ended screen sharing from the browser's own UI. */
  onScreenEnded: () => void;
  /** Default `navigator.mediaDevices`. */
  devices?: () => MediaDevicesLike | undefined;
}

/** Microphone level (RMS, 0–1) over which a muted publisher counts as speaking (the AMS SDK's 0.1). */
const SPEAKING_LEVEL = 0.1;

/** Camera failures after which the microphone alone is published (AMS 3.0 `audio_only_fallback`). */
const FALLBACK = new Set(['NotAllowedError', 'NotFoundError', 'NotReadableError']);

const withDevice = (c: boolean | MediaTrackConstraints, deviceId: string): boolean | MediaTrackConstraints =>
  deviceId ? { ...(typeof c === 'object' ? c : {}), deviceId: { exact: deviceId } } : c;

export class MediaCaptureController implements ReactiveController {
  /** The stream being published (camera or screen or black frames, plus microphone). */
  stream: MediaStream | null = null;
  /** What the preview shows: a new object whenever the video track changes. */
  preview: MediaStream | null = null;
  /** Cameras and microphones, from the last `available_devices`. */
  devices: MediaDeviceInfo[] = [];
  micMuted = false;
  cameraOff = false;
  sharing = false;
  /** Chosen devices; `''` = the browser's default. */
  cameraId = '';
  micId = '';
  #screen: MediaStreamTrack | null = null;
  readonly #blacks = new Map<MediaStreamTrack, () => void>();
  #opening: Promise<MediaStream> | null = null;
  #unwatch: (() => void) | null = null;
  /** Stops the level meter that runs while the microphone is muted. */
  #unmeter: (() => void) | null = null;
  /** Bumped by `release()`: work started before it drops its result. */
  #gen = 0;

  constructor(
    private readonly host: SessionHost,
    private readonly options: MediaCaptureOptions,
  ) {
    host.addController(this);
  }

  get #mediaDevices(): MediaDevicesLike | undefined {
    return (this.options.devices ?? defaultMediaDevices)();
  }

  /** Whether the browser can share a screen. */
  get screenShareSupported(): boolean {
    return typeof this.#mediaDevices?.getDisplayMedia === 'function';
  }

  /** Whether there is a video track to replace (camera, black frames or screen). */
  get hasVideo(): boolean {
    return !!this.stream?.getVideoTracks().length;
  }

  get hasAudio(): boolean {
    return !!this.stream?.getAudioTracks().length;
  }

  /** The device behind the current track of `kind`, else the chosen one. */
  currentDevice(kind: Kind): string {
    const track = kind === 'video' ? this.stream?.getVideoTracks()[0] : this.stream?.getAudioTracks()[0];
    return (!this.sharing && track?.getSettings().deviceId) || (kind === 'video' ? this.cameraId : this.micId);
  }

  hostConnected(): void {
    if (!this.screenShareSupported) return;
    void this.host.updateComplete.then(() => {
      if (this.host.isConnected) dispatchCallback(this.host, 'browser_screen_share_supported');
    });
  }

  hostDisconnected(): void {
    this.release();
  }

  /** The capture stream, opening camera and microphone on first use. Rejects with an `RtcError`. */
  acquire(): Promise<MediaStream> {
    if (this.stream) return Promise.resolve(this.stream);
    if (!this.#opening) {
      // A capture `release()` canceled is forgotten at once: the next acquire opens afresh.
      const opening: Promise<MediaStream> = this.#open().finally(() => {
        if (this.#opening === opening) this.#opening = null;
      });
      this.#opening = opening;
    }
    return this.#opening;
  }

  /** Stops every track (camera and microphone lights go off) and the device watch. */
  release(): void {
    this.#gen++;
    this.#opening = null;
    this.#unwatch?.();
    this.#unwatch = null;
    for (const track of this.stream?.getTracks() ?? []) this.#stopTrack(track);
    for (const stop of this.#blacks.values()) stop();
    this.#blacks.clear();
    this.stream = this.preview = this.#screen = null;
    this.sharing = false;
    this.#meter();
    this.host.requestUpdate();
  }

  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.#meter();
    this.host.requestUpdate();
  }

  /** Black frames instead of the camera (camera light off), or the camera back; no renegotiation. */
  async setCameraOff(off: boolean): Promise<void> {
    if (this.cameraOff === off) return;
    this.cameraOff = off;
    this.host.requestUpdate();
    // Without a stream (or while sharing) the choice applies at the next capture / end of sharing.
    if (!this.hasVideo || this.sharing) return;
    try {
      await this.#swap('video', off ? await this.#black() : await this.#openCamera(), this.#gen);
    } catch (e) {
      this.cameraOff = !off;
      this.host.requestUpdate();
      throw e;
    }
  }

  /** Rejects with `VideoAlreadyActive` when `deviceId` is the camera being sent already. */
  async switchCamera(deviceId: string): Promise<void> {
    if (this.hasVideo && !this.cameraOff && !this.sharing && deviceId === this.currentDevice('video')) throw RtcError.of('VideoAlreadyActive');
    const previous = this.cameraId;
    this.cameraId = deviceId;
    this.host.requestUpdate();
    if (!this.hasVideo || this.cameraOff || this.sharing) return;
    try {
      await this.#swap('video', await this.#openCamera(), this.#gen);
    } catch (e) {
      this.cameraId = previous;
      this.host.requestUpdate();
      throw e;
    }
  }

  /** Rejects with `AudioAlreadyActive` when `deviceId` is the microphone being sent already. */
  async switchMicrophone(deviceId: string): Promise<void> {
    if (this.hasAudio && deviceId === this.currentDevice('audio')) throw RtcError.of('AudioAlreadyActive');
    const previous = this.micId;
    this.micId = deviceId;
    this.host.requestUpdate();
    if (!this.hasAudio) return;
    const gen = this.#gen;
    try {
      const s = await captureUserMedia(
        this.#mediaDevices,
        { video: false, audio: withDevice(this.options.constraints().audio || true, deviceId) },
        isSecureContext,
      );
      await this.#swap('audio', s.getAudioTracks()[0]!, gen);
    } catch (e) {
      this.micId = previous;
      this.host.requestUpdate();
      throw e;
    }
  }

  /** Shares a screen in place of the camera, or goes back to the camera (or black frames). */
  async shareScreen(on: boolean): Promise<void> {
    if (on === this.sharing) return;
    const gen = this.#gen;
    if (on) {
      if (!this.hasVideo) throw RtcError.of('NoActiveConnection', { message: 'There is no video to replace with the screen: start first.' });
      const track = (await captureScreen(this.#mediaDevices)).getVideoTracks()[0]!;
      track.addEventListener('ended', () => this.#screen === track && this.options.onScreenEnded());
      await this.#swap('video', track, gen);
      if (gen !== this.#gen) return;
      this.#screen = track;
      this.sharing = true;
    } else {
      this.sharing = false;
      this.#screen = null;
      this.host.requestUpdate();
      try {
        if (this.hasVideo) await this.#swap('video', this.cameraOff ? await this.#black() : await this.#openCamera(), gen);
      } finally {
        if (gen === this.#gen) dispatchCallback(this.host, 'screen_share_stopped');
      }
    }
    this.host.requestUpdate();
  }

  async #open(): Promise<MediaStream> {
    const gen = this.#gen;
    const c = this.options.constraints();
    const video = c.video && !this.cameraOff ? withDevice(c.video, this.cameraId) : false;
    const audio = c.audio ? withDevice(c.audio, this.micId) : false;
    let stream = new MediaStream();
    if (video || audio) {
      try {
        stream = await captureUserMedia(this.#mediaDevices, { video, audio }, isSecureContext);
      } catch (e) {
        const error = toRtcError(e);
        // What the machine has, even though the failed start releases the capture (which a gen check would drop).
        if (error.code === 'NotFoundError') this.#listDevices();
        if (!video || !audio || !FALLBACK.has(error.code)) throw error;
        // The camera is refused or missing but the microphone may work: publish audio only.
        stream = await captureUserMedia(this.#mediaDevices, { video: false, audio }, isSecureContext).catch(() => {
          throw error;
        });
        if (gen === this.#gen) dispatchCallback(this.host, 'audio_only_fallback', { reason: error.code });
      }
    }
    if (c.video && this.cameraOff) stream.addTrack(await this.#black());
    if (gen !== this.#gen) {
      stopStream(stream);
      throw RtcError.of('AbortError', { message: 'Capture was canceled.' });
    }
    for (const track of stream.getAudioTracks()) track.enabled = !this.micMuted;
    this.stream = stream;
    this.preview = new MediaStream(stream.getVideoTracks());
    this.#meter();
    this.#listDevices(gen);
    this.#unwatch ??= watchDevices(this.#mediaDevices, (list) => this.#setDevices(list));
    this.host.requestUpdate();
    return stream;
  }

  /** Lists the devices; with `gen`, only while that capture still stands. */
  #listDevices(gen?: number): void {
    listDevices(this.#mediaDevices).then(
      (list) => (gen === undefined || gen === this.#gen) && this.#setDevices(list),
      () => undefined,
    );
  }

  #setDevices(devices: MediaDeviceInfo[]): void {
    this.devices = devices;
    dispatchCallback(this.host, 'available_devices', { devices });
    this.host.requestUpdate();
  }

  async #openCamera(): Promise<MediaStreamTrack> {
    const s = await captureUserMedia(
      this.#mediaDevices,
      { video: withDevice(this.options.constraints().video || true, this.cameraId), audio: false },
      isSecureContext,
    );
    return s.getVideoTracks()[0]!;
  }

  /**
   * A black-frames track the size of the current video. Its code is a chunk of its own, fetched
   * the first time a camera is turned off.
   */
  async #black(): Promise<MediaStreamTrack> {
    const { width, height } = this.stream?.getVideoTracks()[0]?.getSettings() ?? {};
    const { createBlackVideoTrack } = await import('../core/media/black-frames.js').catch(loadFailed);
    const b = createBlackVideoTrack(width, height);
    this.#blacks.set(b.track, b.stop);
    return b.track;
  }

  #stopTrack(track: MediaStreamTrack): void {
    const stop = this.#blacks.get(track);
    this.#blacks.delete(track);
    if (stop) stop();
    else track.stop();
  }

  /** Sends `next` instead of the current track of `kind` and puts it in the stream; stops the old one. */
  async #swap(kind: Kind, next: MediaStreamTrack, gen: number): Promise<void> {
    if (gen !== this.#gen || !this.stream) return this.#stopTrack(next);
    try {
      await this.options.replaceTrack(kind, next);
    } catch (e) {
      this.#stopTrack(next);
      throw toRtcError(e);
    }
    const stream = this.stream;
    if (gen !== this.#gen || !stream) return this.#stopTrack(next);
    const previous = kind === 'video' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
    if (previous) {
      stream.removeTrack(previous);
      this.#stopTrack(previous);
    }
    stream.addTrack(next);
    if (kind === 'audio') {
      next.enabled = !this.micMuted;
      this.#meter();
    } else this.preview = new MediaStream([next]);
    this.host.requestUpdate();
  }

  /**
   * While the microphone is muted, listens to it (through an enabled clone: the muted track is
   * silent) and dispatches `speaking_but_muted` each time the level rises over `SPEAKING_LEVEL`.
   * Stops, or starts afresh, on every call. Needs a running AudioContext (on most pages: after a
   * user gesture, such as the click on the mute button).
   */
  #meter(): void {
    this.#unmeter?.();
    this.#unmeter = null;
    const track = this.micMuted && this.stream?.getAudioTracks()[0];
    if (!track) return;
    const clone = track.clone();
    clone.enabled = true;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    // 4096 samples (85 ms at 48 kHz) read every 80 ms: no sound falls between two readings.
    const samples = new Float32Array((analyser.fftSize = 4096));
    context.createMediaStreamSource(new MediaStream([clone])).connect(analyser);
    let loud = false;
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const now = Math.sqrt(sum / samples.length) > SPEAKING_LEVEL;
      if (now && !loud) dispatchCallback(this.host, 'speaking_but_muted');
      loud = now;
    }, 80);
    this.#unmeter = () => {
      clearInterval(timer);
      clone.stop();
      void context.close();
    };
  }
}
