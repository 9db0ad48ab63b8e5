/**
 * Text ⇄ frame codec for the AMS WebSocket protocol (reference sections 1 and 3). Pure and
 * DOM-free: `parseFrame` never throws, it returns an `RtcError` with code `protocol` for anything
 * that is not a usable server frame, so one bad frame cannot take a socket down. The other
 * direction, `parseClientFrame`, is the server's: it never throws either, and says which AMS
 * error answers a frame it cannot use.
 * @internal
 */
import { RtcError } from '../errors.js';
import { MAX_FRAME_BYTES, STREAM_ID_PATTERN } from './ams.js';
import type { ClientFrame, ClientFrameCommand, ClientFrames, ServerFrame } from './messages.js';

/** Inbound frames larger than this (UTF-8 bytes) are refused before `JSON.parse` sees them. */
export const MAX_INBOUND_FRAME_BYTES = 1024 * 1024;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** UTF-8 length of `s`, stopping early once it is known to exceed `limit`. */
function utf8LengthOver(s: string, limit: number): boolean {
  // Every UTF-16 code unit is 1 to 3 UTF-8 bytes, so the exact count is only needed in between.
  if (s.length > limit) return true;
  if (s.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

const fail = (message: string, frame?: Json): RtcError => {
  const streamId = frame && typeof frame.streamId === 'string' && frame.streamId !== '' ? frame.streamId : undefined;
  return RtcError.of('protocol', { message: `Invalid frame from the server: ${message}.`, streamId });
};

/** Returns the reason `frame` is not a valid `command` frame, or a repaired copy of it. */
function checkKnown(command: string, frame: Json): string | Json {
  /** The complaint when `key` is not a string, else undefined. */
  const needString = (key: string): string | undefined => (typeof frame[key] === 'string' ? undefined : `${command} needs a string "${key}"`);
  switch (command) {
    case 'start':
    case 'stop':
      return needString('streamId') ?? frame;
    case 'notification':
    case 'error':
      return needString('definition') ?? frame;
    case 'takeConfiguration': {
      const bad = needString('streamId') ?? needString('sdp');
      if (bad) return bad;
      if (frame.type !== 'offer' && frame.type !== 'answer') return 'takeConfiguration needs "type" "offer" or "answer"';
      const idMapping = frame.idMapping;
      if (idMapping !== undefined) {
        if (!isObject(idMapping)) return 'takeConfiguration "idMapping" must be an object';
        if (!Object.values(idMapping).every((v) => typeof v === 'string')) return 'takeConfiguration "idMapping" values must be strings';
      }
      return frame;
    }
    case 'takeCandidate': {
      const bad = needString('streamId') ?? needString('candidate');
      if (bad) return bad;
      const label = frame.label;
      // AMS casts `label` to a long; some servers send it as a numeric string.
      if (typeof label === 'number' && Number.isInteger(label) && label >= 0) return frame;
      if (typeof label === 'string' && /^\d{1,9}$/.test(label)) return { ...frame, label: Number(label) };
      return 'takeCandidate needs a non-negative integer "label"';
    }
    default:
      return frame;
  }
}

/**
 * Parses one inbound text frame. Known commands are checked (reference 3.1); commands this
 * client does not know yet pass through unchecked, typed loosely as `ServerFrame`: callers
 * switch on `command` and ignore the rest.
 */
export function parseFrame(text: unknown): ServerFrame | RtcError {
  if (typeof text !== 'string') return fail('not a text frame');
  if (utf8LengthOver(text, MAX_INBOUND_FRAME_BYTES)) return fail(`larger than ${MAX_INBOUND_FRAME_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (!isObject(value)) return fail('not a JSON object');
  const command = value.command;
  if (typeof command !== 'string' || command === '') return fail('no string "command"', value);
  const checked = checkKnown(command, value);
  if (typeof checked === 'string') return fail(checked, value);
  return checked as unknown as ServerFrame;
}

/** Serialises one outbound frame. Throws only what `JSON.stringify` throws (cycles, BigInt). */
export function serializeFrame(frame: ClientFrame | (Record<string, unknown> & { command: string })): string {
  return JSON.stringify(frame);
}

// ---------------------------------------------------------------- client → server (the server's side)

/** Why a client frame is refused: the `definition` and the fields of the `error` frame that answers it. */
export type ClientFrameError =
  | { definition: 'message_too_large'; maxBytes: number }
  | { definition: 'invalid_message'; reason: string }
  | { definition: 'unknown_command'; unknownCommand: string }
  | { definition: 'noStreamNameSpecified' }
  | { definition: 'no_room_specified' }
  | { definition: 'invalidStreamName'; streamId: string }
  | { definition: 'invalidStreamName'; room: string };

/** What `parseClientFrame` makes of one inbound frame. */
export type ParsedClientFrame =
  /** Not a frame with a command (too large, binary, not JSON, not an object): answered at once. */
  | { kind: 'invalid'; error: ClientFrameError }
  /** A frame with a command that cannot be used (unknown command, missing or invalid id). */
  | { kind: 'refused'; command: string; streamId: string | undefined; error: ClientFrameError }
  | {
      kind: 'frame';
      frame: ClientFrame;
      /** The frame's `streamId` as it arrived (a string, possibly empty), for the fault rules. */
      streamId: string | undefined;
      /** The JSON object as it arrived: P2P passes frames on to the other peer unchanged. */
      json: Readonly<Record<string, unknown>>;
    };

type Raw = Readonly<Record<string, unknown>>;
type Reader<F> = (raw: Raw) => F | ClientFrameError;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The fields among `keys` that are strings (the others are left out). */
function strings<K extends string>(raw: Raw, ...keys: K[]): { [P in K]?: string } {
  const out: { [P in K]?: string } = {};
  for (const k of keys) {
    const v = raw[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** A command on one stream: refused when `streamId` is missing or empty, or not an AMS stream id. */
const onStream =
  <F>(build: (raw: Raw, streamId: string) => F): Reader<F> =>
  (raw) => {
    const streamId = str(raw.streamId);
    if (!streamId) return { definition: 'noStreamNameSpecified' };
    if (!STREAM_ID_PATTERN.test(streamId)) return { definition: 'invalidStreamName', streamId: streamId.slice(0, 256) };
    return build(raw, streamId);
  };

/** A legacy room command: a valid `room` is needed, a `streamId` is optional (empty = absent) but must be valid. */
const onRoom =
  <F>(build: (raw: Raw, room: string, streamId: string | undefined) => F): Reader<F> =>
  (raw) => {
    const room = str(raw.room);
    if (!room) return { definition: 'no_room_specified' };
    if (!STREAM_ID_PATTERN.test(room)) return { definition: 'invalidStreamName', room: room.slice(0, 256) };
    const streamId = str(raw.streamId);
    if (streamId !== undefined && streamId !== '' && !STREAM_ID_PATTERN.test(streamId)) {
      return { definition: 'invalidStreamName', streamId: streamId.slice(0, 256) };
    }
    return build(raw, room, streamId || undefined);
  };

const streamOnly = <C extends ClientFrameCommand>(command: C): Reader<{ command: C; streamId: string }> => onStream((_, streamId) => ({ command, streamId }));

/**
 * One reader per command of `CLIENT_FRAME_COMMANDS` (its keys are exactly those names): checks what
 * must be there and keeps the fields of the right type.
 */
const READERS: { [C in ClientFrameCommand]: Reader<ClientFrames[C]> } = {
  ping: () => ({ command: 'ping' }),
  getIceServerConfig: () => ({ command: 'getIceServerConfig' }),
  publish: onStream((raw, streamId) => ({ command: 'publish', streamId, ...strings(raw, 'token', 'subscriberId', 'streamName', 'mainTrack', 'metaData') })),
  play: onStream((raw, streamId) => ({
    command: 'play',
    streamId,
    ...strings(raw, 'token', 'userPublishId'),
    ...(Array.isArray(raw.trackList) ? { trackList: raw.trackList.filter((t): t is string => typeof t === 'string') } : {}),
  })),
  stop: streamOnly('stop'),
  takeConfiguration: onStream((raw, streamId) => ({
    command: 'takeConfiguration',
    streamId,
    ...(raw.type === 'offer' || raw.type === 'answer' ? { type: raw.type } : {}),
    sdp: str(raw.sdp) ?? '',
  })),
  takeCandidate: onStream((raw, streamId) => {
    // AMS casts `label` to a long; some clients send it as a numeric string.
    const label = typeof raw.label === 'number' ? raw.label : Number(raw.label);
    const index = Number.isInteger(label) ? label : 0;
    return { command: 'takeCandidate', streamId, label: index >= 0 ? index : 0, id: str(raw.id) ?? String(index), candidate: str(raw.candidate) ?? '' };
  }),
  getStreamInfo: streamOnly('getStreamInfo'),
  getBroadcastObject: streamOnly('getBroadcastObject'),
  getSubtracks: onStream((raw, streamId) => ({
    command: 'getSubtracks',
    streamId,
    ...(typeof raw.offset === 'number' && raw.offset >= 0 ? { offset: raw.offset } : {}),
    ...(typeof raw.size === 'number' && raw.size >= 0 ? { size: raw.size } : {}),
  })),
  getSubtracksCount: streamOnly('getSubtracksCount'),
  updateStreamMetaData: onStream((raw, streamId) => {
    const m = raw.metaData;
    return { command: 'updateStreamMetaData', streamId, metaData: m === undefined || m === null ? null : typeof m === 'string' ? m : JSON.stringify(m) };
  }),
  enableTrack: onStream((raw, streamId) => ({
    command: 'enableTrack',
    streamId,
    trackId: str(raw.trackId) ?? '',
    enabled: raw.enabled !== false && raw.enabled !== 'false',
  })),
  setMaxVideoTrackCountCommand: onStream((raw, streamId) => ({
    command: 'setMaxVideoTrackCountCommand',
    streamId,
    maxTrackCount: Number(raw.maxTrackCount ?? -1),
  })),
  joinRoom: onRoom((raw, room, streamId) => ({ command: 'joinRoom', room, ...(streamId ? { streamId } : {}), ...strings(raw, 'streamName', 'metadata') })),
  getRoomInfo: onRoom((_, room, streamId) => ({ command: 'getRoomInfo', room, ...(streamId ? { streamId } : {}) })),
  leaveFromRoom: onRoom((_, room, streamId) => ({ command: 'leaveFromRoom', room, ...(streamId ? { streamId } : {}) })),
  join: streamOnly('join'),
  leave: streamOnly('leave'),
  peerMessageCommand: streamOnly('peerMessageCommand'),
  // A height in pixels; anything else (or below 0) is 0: automatic.
  forceStreamQuality: onStream((raw, streamId) => {
    const h = Number(raw.streamHeight);
    return { command: 'forceStreamQuality', streamId, streamHeight: Number.isFinite(h) && h > 0 ? Math.floor(h) : 0 };
  }),
};

/**
 * Parses one inbound client frame, as the embedded server receives it: a string is a text
 * frame, bytes are a binary frame (refused). Frames over AMS's `MAX_FRAME_BYTES` are
 * `message_too_large`; binary, non-JSON and non-object frames (or no string `command`) are
 * `invalid_message`; an unknown command is `unknown_command` (its name cut to 64 characters).
 * A known command is checked and its fields kept only when they have the type its frame
 * declares (`label` may come as a numeric string; see the readers above).
 */
export function parseClientFrame(data: string | Uint8Array): ParsedClientFrame {
  const tooLarge = typeof data === 'string' ? utf8LengthOver(data, MAX_FRAME_BYTES) : data.byteLength > MAX_FRAME_BYTES;
  if (tooLarge) return { kind: 'invalid', error: { definition: 'message_too_large', maxBytes: MAX_FRAME_BYTES } };
  if (typeof data !== 'string') return { kind: 'invalid', error: { definition: 'invalid_message', reason: 'frames must be JSON text' } };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'invalid', error: { definition: 'invalid_message', reason: 'not JSON' } };
  }
  if (!isObject(value) || typeof value.command !== 'string') {
    return { kind: 'invalid', error: { definition: 'invalid_message', reason: 'a frame is a JSON object with a command' } };
  }
  const command = value.command;
  const streamId = str(value.streamId);
  if (!Object.prototype.hasOwnProperty.call(READERS, command)) {
    return { kind: 'refused', command, streamId, error: { definition: 'unknown_command', unknownCommand: command.slice(0, 64) } };
  }
  const read = READERS[command as ClientFrameCommand](value) as ClientFrame | ClientFrameError;
  if (!('command' in read)) return { kind: 'refused', command, streamId, error: read };
  return { kind: 'frame', frame: read, streamId, json: value };
}
