/**
 * Every string of `<rtc-room>` a viewer can read or hear (labels, tooltips, status, the device
 * check), in English. The view renders only through this table (`{name}` is filled in), so a
 * translation is another table with the same keys.
 * @internal
 */
export const STRINGS = {
  participants: 'Participants',
  you: 'You',
  ready: 'Ready to join?',
  yourName: 'Your name',
  camera: 'Camera',
  microphone: 'Microphone',
  micLevel: 'Microphone level',
  noCamera: 'The camera is off',
  previewFailed: 'Camera or microphone unavailable',
  join: 'Join',
  rejoin: 'Join again',
  leave: 'Leave',
  joining: 'Joining…',
  reconnecting: 'Reconnecting…',
  roomControls: 'Room controls',
  mute: 'Mute microphone',
  unmute: 'Unmute microphone',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  share: 'Share screen',
  stopShare: 'Stop sharing',
  chat: 'Chat',
  closeChat: 'Close chat',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  pin: 'Pin {name}',
  unpin: 'Unpin {name}',
  micMuted: 'Microphone muted',
  micOn: 'Microphone on',
  camOff: 'Camera off',
  camOn: 'Camera on',
  sharing: 'Sharing the screen',
  noMessages: 'No messages yet',
  message: 'Chat message',
  send: 'Send',
  chatUnread: 'Chat ({n} new)',
} as const;

export type RoomStringKey = keyof typeof STRINGS;

/** The English string `key`, with `{name}`-style fields filled in from `fields`. */
export const t = (key: RoomStringKey, fields: Record<string, string | number> = {}): string =>
  STRINGS[key].replace(/\{(\w+)\}/g, (m, f: string) => (f in fields ? String(fields[f]) : m));
