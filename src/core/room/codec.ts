/**
 * The conference formats, as AMS's conference apps write them (pure: no DOM, no sessions):
 * the messages on the room's data channel (`MIC_MUTED`, `CAM_TURNED_OFF`, `SCREEN_SHARED_ON`,
 * `CHAT_MESSAGE`, the p2p `name`, the server's `VIDEO_TRACK_ASSIGNMENT_LIST`), the Broadcast
 * `metaData` object (`{isMicMuted, isCameraOn, isScreenShared}`) and the track ids of the room
 * play (`ARDAMSv<id>`, `ARDAMSvvideoTrack0`). Decoders never throw: whatever they cannot read is
 * `ignore` (or `undefined`).
 */

/** What a participant's tile shows besides its media. */
export interface ParticipantState {
  micMuted: boolean;
  cameraOff: boolean;
  sharing: boolean;
}

/** The data-channel events that change the sender's state. */
export const STATE_EVENTS = {
  MIC_MUTED: { micMuted: true },
  MIC_UNMUTED: { micMuted: false },
  CAM_TURNED_OFF: { cameraOff: true },
  CAM_TURNED_ON: { cameraOff: false },
  SCREEN_SHARED_ON: { sharing: true },
  SCREEN_SHARED_OFF: { sharing: false },
} as const satisfies Record<string, Partial<ParticipantState>>;
export type StateEvent = keyof typeof STATE_EVENTS;

/** Longest name taken from a data-channel message. */
export const MAX_NAME = 100;

/** One data-channel message, read. `name` is the sender's name when it gives one (p2p). */
export type RoomMessage =
  | { kind: 'ignore' }
  /** `VIDEO_TRACK_ASSIGNMENT_LIST`: video slot label (`videoTrack0`) → the participant shown in it. */
  | { kind: 'slots'; owners: ReadonlyMap<string, string> }
  | { kind: 'chat'; from: string; name?: string; text: string }
  | { kind: 'state'; from: string; name?: string; state: Readonly<Partial<ParticipantState>> }
  /** Another event from a participant: only its `name` counts. */
  | { kind: 'name'; from: string; name: string };

const IGNORE: RoomMessage = { kind: 'ignore' };

const object = (text: unknown): Record<string, unknown> | undefined => {
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Reads one data-channel message (the `data` of `data_received`); `ignore` for anything else. */
export function decodeRoomMessage(data: unknown): RoomMessage {
  const msg = object(data);
  if (!msg) return IGNORE;
  const { eventType } = msg;
  if (eventType === 'VIDEO_TRACK_ASSIGNMENT_LIST' && Array.isArray(msg.payload)) {
    const owners = new Map<string, string>();
    for (const a of msg.payload as unknown[]) {
      const { videoLabel, trackId } = (a ?? {}) as Record<string, unknown>;
      if (typeof videoLabel === 'string' && typeof trackId === 'string') owners.set(videoLabel, trackId);
    }
    return { kind: 'slots', owners };
  }
  const from = typeof msg.streamId === 'string' ? msg.streamId : '';
  if (!from) return IGNORE;
  const name = typeof msg.name === 'string' && msg.name ? { name: msg.name.slice(0, MAX_NAME) } : {};
  if (eventType === 'CHAT_MESSAGE')
    return { kind: 'chat', from, ...name, text: typeof msg.message === 'string' || typeof msg.message === 'number' ? String(msg.message) : '' };
  if (typeof eventType === 'string' && Object.hasOwn(STATE_EVENTS, eventType))
    return { kind: 'state', from, ...name, state: STATE_EVENTS[eventType as StateEvent] };
  return name.name ? { kind: 'name', from, name: name.name } : IGNORE;
}

/** A change of own state for the room: `{streamId, eventType}`, plus `name` when given (p2p). */
export const encodeStateEvent = (streamId: string, eventType: StateEvent, name?: string): string =>
  JSON.stringify({ streamId, eventType, ...(name ? { name } : {}) });

/** A chat message: `{streamId, eventType: 'CHAT_MESSAGE', message}`. */
export const encodeChat = (streamId: string, message: string): string => JSON.stringify({ streamId, eventType: 'CHAT_MESSAGE', message });

/** Own state as AMS's conference apps keep it in the Broadcast `metaData`, for late joiners. */
export const encodeMetaData = ({ micMuted, cameraOff, sharing }: ParticipantState): string =>
  JSON.stringify({ isMicMuted: micMuted, isCameraOn: !cameraOff, isScreenShared: sharing });

/**
 * A participant's state from its Broadcast `metaData` (the JSON object AMS's conference apps
 * keep there: `isMicMuted`, `isCameraOn` or `isCameraOff`, `isScreenShared`); fields of another
 * type are left out; undefined when it holds no object.
 */
export function decodeMetaData(metaData: string): Partial<ParticipantState> | undefined {
  const o = object(metaData);
  if (!o) return undefined;
  const out: Partial<ParticipantState> = {};
  if (typeof o.isMicMuted === 'boolean') out.micMuted = o.isMicMuted;
  if (typeof o.isCameraOn === 'boolean') out.cameraOff = !o.isCameraOn;
  else if (typeof o.isCameraOff === 'boolean') out.cameraOff = o.isCameraOff;
  if (typeof o.isScreenShared === 'boolean') out.sharing = o.isScreenShared;
  return out;
}

/** Track ids of AMS's limited slots (reference 8.2), after `ARDAMSv` / `ARDAMSa`. */
const SLOT = /^(video|audio)Track\d+$/;

/** The stream id a room play's track belongs to (`ARDAMSv<id>`, `ARDAMSa<id>`); `''` for any other id. */
export const trackOwner = (trackId: string): string => (/^ARDAMS[av]/.test(trackId) ? trackId.slice(7) : '');

/** Whether a track owner is one of AMS's slots (`videoTrack0`, `audioTrack1`), not a participant. */
export const isSlot = (id: string): boolean => SLOT.test(id);
