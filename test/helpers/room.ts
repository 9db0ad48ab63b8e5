/** Reading an `<rtc-room>`'s grid in tests: tiles by participant, frames, labels, icons, chat. */
import type { RtcRoom } from '../../src/elements/rtc-room/rtc-room.js';

export const tile = (room: RtcRoom, id: string): HTMLElement | null => room.shadowRoot!.querySelector<HTMLElement>(`.tile[data-participant="${id}"]`);
/** Frames the tile's `<video>` has shown (0 when there is no such tile). */
export const frames = (room: RtcRoom, id: string): number => tile(room, id)?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
export const label = (room: RtcRoom, id: string): string => tile(room, id)?.querySelector('.label')?.textContent ?? '';
export const micOff = (room: RtcRoom, id: string): boolean => tile(room, id)?.querySelector('.mic')?.getAttribute('data-off') === 'true';
/** The tile shows initials instead of video. */
export const placeholder = (room: RtcRoom, id: string): boolean => !!tile(room, id)?.querySelector('.placeholder');
export const chatText = (room: RtcRoom): string => room.shadowRoot!.querySelector('.log')?.textContent ?? '';
/** The participant keys of every tile but the local one, in grid order. */
export const remoteTiles = (room: RtcRoom): string[] =>
  [...room.shadowRoot!.querySelectorAll<HTMLElement>('.tile')].map((t) => t.dataset.participant!).filter((k) => k !== 'local');
/** The participant whose tile has the active-speaker outline, if any. */
export const speaking = (room: RtcRoom): string | undefined => room.shadowRoot!.querySelector<HTMLElement>('.tile[data-speaking="true"]')?.dataset.participant;
