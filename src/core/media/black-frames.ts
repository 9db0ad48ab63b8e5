/**
 * A black video track for "camera off" without renegotiation: the sender's track is replaced
 * (`RTCRtpSender.replaceTrack`) by this one, so the SDP stays as it is and the camera light goes off.
 * Reads `document` only when called (STYLE 3.5), never at import time.
 */
import { RtcError } from '../errors.js';

/** How often a frame is drawn. A canvas capture emits frames only when the canvas is drawn on, and
 * encoders and receivers treat a silent track as frozen, so a black frame goes out twice a second
 * (the AMS SDK redraws every 3 s, which lets some receivers show a stall). */
const FRAME_INTERVAL_MS = 500;

type CanvasTrack = MediaStreamTrack & { requestFrame?: () => void };

/**
 * A live video track of black frames at `width` x `height`, from `canvas.captureStream`, with a
 * frame drawn at least once a second. `stop()` ends the track and clears its timer; the timer also
 * clears itself once anyone else stops the track.
 */
export function createBlackVideoTrack(width = 640, height = 480): { track: MediaStreamTrack; stop(): void } {
  const doc = (globalThis as { document?: Document }).document;
  const canvas = doc?.createElement('canvas');
  if (!canvas || typeof canvas.captureStream !== 'function') {
    throw RtcError.of('NotSupportedError', { message: 'This environment cannot draw a black video track (no canvas.captureStream).' });
  }
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = Math.max(1, Math.round(height));
  const context = canvas.getContext('2d', { alpha: false });
  const draw = (): void => {
    if (!context) return;
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  draw();
  const track = canvas.captureStream().getVideoTracks()[0] as CanvasTrack | undefined;
  if (!track) {
    throw RtcError.of('NotSupportedError', { message: 'canvas.captureStream gave no video track.' });
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  const clear = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  timer = setInterval(() => {
    if (track.readyState === 'ended') {
      clear();
      return;
    }
    draw();
    track.requestFrame?.();
  }, FRAME_INTERVAL_MS);
  return {
    track,
    stop(): void {
      clear();
      track.stop();
    },
  };
}
