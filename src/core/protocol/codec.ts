/**
 * Text ⇄ frame codec for the AMS WebSocket protocol (reference sections 1 and 3). Pure and
 * DOM-free: `parseFrame` never throws, it returns an `RtcError` with code `protocol` for anything
 * that is not a usable server frame, so one bad frame cannot take a socket down.
 * @internal
 */
import { RtcError } from '../errors.js';
import type { ClientFrame, ServerFrame } from './messages.js';

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
  const needString = (key: string): string | undefined =>
    typeof frame[key] === 'string' ? undefined : `${command} needs a string "${key}"`;
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
