/**
 * Camera, microphone and screen capture through an injected MediaDevices-like object, with every
 * failure turned into an `RtcError` whose code is the documented name (`NotAllowedError`,
 * `OverconstrainedError`, `ScreenSharePermissionDenied`, …). Nothing here touches `navigator` at
 * import time; `defaultMediaDevices()` reads it only when called (STYLE 3.5: controllers inject it).
 */
import { DEVICE_IN_USE_TEXT, RtcError, catalogEntry, type RtcErrorCode } from '../errors.js';

/** The part of `MediaDevices` capture needs; tests and controllers inject their own. */
export interface MediaDevicesLike {
  getUserMedia(c: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(c?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  addEventListener?(t: 'devicechange', f: () => void): void;
  removeEventListener?(t: 'devicechange', f: () => void): void;
}

/** What to capture: `true`, `false` or track constraints for each kind. */
export interface CaptureOptions {
  video: boolean | MediaTrackConstraints;
  audio: boolean | MediaTrackConstraints;
}

/** `navigator.mediaDevices`, or `undefined` where the browser hides it (an http page) or there is no navigator. */
export function defaultMediaDevices(): MediaDevicesLike | undefined {
  const nav = (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator;
  return nav?.mediaDevices ?? undefined;
}

/** Old Chrome names for the same failures (reference 5.1 and 5.3): reported under the modern code. */
const LEGACY_NAMES: Readonly<Record<string, RtcErrorCode>> = {
  TrackStartError: 'NotReadableError',
  PermissionDeniedError: 'NotAllowedError',
  ConstraintNotSatisfiedError: 'OverconstrainedError',
};

/** The DOMException names getUserMedia rejects with, each reported under the same code. */
const MEDIA_CODES: ReadonlySet<string> = new Set<RtcErrorCode>([
  'NotAllowedError',
  'NotFoundError',
  'NotReadableError',
  'OverconstrainedError',
  'AbortError',
  'SecurityError',
  'TypeError',
  'NotSupportedError',
]);

const stringField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
};

/** The documented code of a getUserMedia / getDisplayMedia rejection (unknown failures are `AbortError`). */
function mediaErrorCode(error: unknown): RtcErrorCode {
  const name = stringField(error, 'name') ?? '';
  const modern = LEGACY_NAMES[name] ?? name;
  return MEDIA_CODES.has(modern) ? (modern as RtcErrorCode) : 'AbortError';
}

/**
 * Turns a capture rejection into an `RtcError` with the documented code. The message keeps the
 * browser's own text and, for `OverconstrainedError`, names the constraint no device satisfies
 * (the exception's `constraint` field; Chrome leaves its message empty). `NotReadableError` says
 * exactly what the AMS documentation says for it (`DEVICE_IN_USE_TEXT`).
 */
export function toMediaError(error: unknown): RtcError {
  if (error instanceof RtcError) return error;
  const code = mediaErrorCode(error);
  let message = catalogEntry(code).description;
  if (code === 'OverconstrainedError') {
    const constraint = stringField(error, 'constraint');
    message = `No device satisfies the requested constraint${constraint ? ` "${constraint}"` : 's'}.`;
  }
  const detail = stringField(error, 'message');
  // A busy device gets the documented text, exactly (reference 5.3); the browser's words stay in `cause`.
  if (code === 'NotReadableError') message = DEVICE_IN_USE_TEXT;
  else if (detail && !message.includes(detail)) message = `${message} (${detail})`;
  return RtcError.of(code, { message, cause: error });
}

function notSupported(isSecureContext: boolean, what: string): RtcError {
  return RtcError.of('NotSupportedError', {
    message: isSecureContext
      ? `This browser offers no ${what}.`
      : `${what[0]!.toUpperCase()}${what.slice(1)} needs a secure page: serve it over https:// (or from localhost).`,
  });
}

/**
 * Opens the camera and/or microphone. Rejects with an `RtcError`: `NotSupportedError` when there
 * are no media devices (on an http page the message says https is needed), otherwise the code of
 * the browser's rejection (`NotAllowedError`, `NotFoundError`, `NotReadableError`,
 * `OverconstrainedError`, `AbortError`, `SecurityError`, `TypeError`; old Chrome names map to
 * their modern codes).
 */
export async function captureUserMedia(devices: MediaDevicesLike | undefined, opts: CaptureOptions, isSecureContext: boolean): Promise<MediaStream> {
  if (!devices) throw notSupported(isSecureContext, 'camera and microphone access');
  try {
    return await devices.getUserMedia({ video: opts.video, audio: opts.audio });
  } catch (error) {
    throw toMediaError(error);
  }
}

/**
 * Asks the user for a screen, window or tab. Refusing or cancelling the picker (`NotAllowedError`,
 * `AbortError`) rejects with `ScreenSharePermissionDenied`; a browser without getDisplayMedia with
 * `NotSupportedError`; anything else with its media code.
 */
export async function captureScreen(devices: MediaDevicesLike | undefined): Promise<MediaStream> {
  if (!devices || typeof devices.getDisplayMedia !== 'function') {
    throw RtcError.of('NotSupportedError', { message: 'This browser cannot share the screen.' });
  }
  try {
    return await devices.getDisplayMedia({ video: true, audio: false });
  } catch (error) {
    const code = mediaErrorCode(error);
    if (code === 'NotAllowedError' || code === 'AbortError') {
      const detail = stringField(error, 'message');
      const base = catalogEntry('ScreenSharePermissionDenied').description;
      throw RtcError.of('ScreenSharePermissionDenied', { message: detail ? `${base} (${detail})` : base, cause: error });
    }
    throw toMediaError(error);
  }
}

/**
 * The cameras and microphones (`videoinput` and `audioinput`, as AMS's `available_devices`);
 * an empty list when there are no media devices.
 */
export async function listDevices(devices: MediaDevicesLike | undefined): Promise<MediaDeviceInfo[]> {
  if (!devices) return [];
  let all: MediaDeviceInfo[];
  try {
    all = await devices.enumerateDevices();
  } catch (error) {
    throw toMediaError(error);
  }
  return all.filter((d) => d.kind === 'audioinput' || d.kind === 'videoinput');
}

/**
 * Calls `onChange` with the new list after every `devicechange`. Returns the unsubscribe function;
 * after it, no callback fires (not even for a listing still under way). When two changes overlap,
 * only the newest listing is reported. A failed listing is skipped.
 */
export function watchDevices(devices: MediaDevicesLike | undefined, onChange: (list: MediaDeviceInfo[]) => void): () => void {
  if (!devices || typeof devices.addEventListener !== 'function') return () => {};
  let active = true;
  let latest = 0;
  const handleDeviceChange = (): void => {
    const call = ++latest;
    listDevices(devices).then(
      (list) => {
        if (active && call === latest) onChange(list);
      },
      () => {},
    );
  };
  devices.addEventListener('devicechange', handleDeviceChange);
  return () => {
    if (!active) return;
    active = false;
    devices.removeEventListener?.('devicechange', handleDeviceChange);
  };
}

/** Stops every track of the stream (releases the camera and microphone). */
export function stopStream(stream: MediaStream | null | undefined): void {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
}
