/**
 * Every string of `<rtc-room>` a viewer can read or hear (labels, tooltips, status, the device
 * check), in English: the view renders only through this table, so the element's language
 * (src/i18n/, keyed by the English string) can stand in for it. test/node/i18n.test.ts reads the
 * values here and wants each in every locale table.
 * @internal
 */
export const STRINGS = {
  participants: 'Participants',
  you: 'You',
  ready: 'Ready to join?',
  yourName: 'Your name',
  join: 'Join',
  leave: 'Leave',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  roomControls: 'Room controls',
  mute: 'Mute microphone',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  share: 'Share screen',
  stopShare: 'Stop sharing',
  chat: 'Chat',
  close: 'Close',
  fullscreen: 'Fullscreen',
  exitFullscreen: 'Exit fullscreen',
  pin: 'Pin',
  unpin: 'Unpin',
  micMuted: 'Microphone muted',
  micOn: 'Microphone on',
  camOff: 'Camera off',
  camOn: 'Camera on',
  sharing: 'Sharing the screen',
  message: 'Chat message',
  send: 'Send',
} as const;

export type RoomStringKey = keyof typeof STRINGS;

let translate = (english: string): string => english;

/**
 * The translator of the view being rendered: each view sets its element's before rendering (renders
 * are synchronous, so two rooms in two languages on one page each render in their own).
 */
export const useTranslator = (fn: (english: string) => string): void => {
  translate = fn;
};

/** The string `key`, in the language of the room being rendered (English until its table arrives). */
export const t = (key: RoomStringKey): string => translate(STRINGS[key]);
