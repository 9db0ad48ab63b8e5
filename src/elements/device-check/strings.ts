/**
 * The device check's strings (shared by `<rtc-publisher>` and `<rtc-room>`), in English: the
 * English string is the key of the locale tables (src/i18n/). test/node/i18n.test.ts reads the
 * values here and wants each in every locale table.
 * @internal
 */
export const STRINGS = {
  camera: 'Camera',
  microphone: 'Microphone',
  micLevel: 'Microphone level',
  previewFailed: 'Camera or microphone unavailable',
} as const;

export type CheckStringKey = keyof typeof STRINGS;
