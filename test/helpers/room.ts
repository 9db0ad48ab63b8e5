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

/** Names for the made-up participants of layout tests. */
export const NAMES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Linus Torvalds',
  'Margaret Hamilton',
  'Tim Berners-Lee',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'Ken Thompson',
  'Radia Perlman',
  'Dennis Ritchie',
  'Hedy Lamarr',
  'Edsger Dijkstra',
];

/**
 * A cheap camera for a made-up participant: a 320×180 canvas at 5 fps, a coloured backdrop and a
 * head-and-shoulders shape that moves a little (a canvas only sends frames when it changes).
 */
export function canvasCamera(hue: number): { stream: MediaStream; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const g = canvas.getContext('2d')!;
  let tick = 0;
  const draw = (): void => {
    const bg = g.createLinearGradient(0, 0, 320, 180);
    bg.addColorStop(0, `hsl(${hue} 45% 42%)`);
    bg.addColorStop(1, `hsl(${(hue + 40) % 360} 40% 22%)`);
    g.fillStyle = bg;
    g.fillRect(0, 0, 320, 180);
    g.fillStyle = `hsl(${hue} 30% 80%)`;
    const y = 70 + Math.sin(tick++ / 3) * 3;
    g.beginPath();
    g.arc(160, y, 34, 0, Math.PI * 2);
    g.fill();
    g.beginPath();
    g.ellipse(160, y + 100, 78, 58, 0, Math.PI, 0);
    g.fill();
  };
  draw();
  const timer = setInterval(draw, 200);
  const stream = canvas.captureStream(5);
  return {
    stream,
    stop: () => {
      clearInterval(timer);
      for (const t of stream.getTracks()) t.stop();
    },
  };
}
