// Re-rendering never reloads a <video>: Lit commits an object binding on every render, and
// assigning `srcObject` again (even the same stream) runs the media element's load algorithm:
// `emptied` fires and `currentTime` goes back to 0. Every element re-renders with its stats (the
// publisher and the room every second, the player every 5 s); over 10 s of that, against the
// real server, no `<video>` of the publisher, the player or the room's tiles may reload.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { frames } from '../../helpers/room.js';

/** Counts `emptied` on every media element of `el`'s shadow root (capture: it does not bubble) and the renders that ran. */
function watch(el: HTMLElement & { updateComplete: Promise<boolean> }): { emptied: string[]; renders: () => number; stop: () => void } {
  const emptied: string[] = [];
  const onEmptied = (e: Event): void =>
    void emptied.push((e.target as HTMLElement).closest('[data-participant]')?.getAttribute('data-participant') ?? el.localName);
  el.shadowRoot!.addEventListener('emptied', onEmptied, true);
  let renders = 0;
  const onStats = (): void => void renders++;
  el.addEventListener('rtc-updated-stats', onStats);
  return {
    emptied,
    renders: () => renders,
    stop: () => {
      el.shadowRoot!.removeEventListener('emptied', onEmptied, true);
      el.removeEventListener('rtc-updated-stats', onStats);
    },
  };
}

const videos = (el: HTMLElement): HTMLVideoElement[] => [...el.shadowRoot!.querySelectorAll('video')];

describe('no <video> reloads on re-render', () => {
  it('publisher preview, player and room tiles: no emptied and no currentTime going back over 10 s of stats-driven renders', async function () {
    (this as { timeout(ms: number): void }).timeout(60_000);
    const streamId = unique('noreload');
    const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId}></rtc-publisher>`);
    await pub.start();
    const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} muted></rtc-player>`);
    await player.play();
    const roomId = unique('noreloadroom');
    const [idA, idB] = [unique('a'), unique('b')];
    const a = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${roomId} stream-id=${idA}></rtc-room>`);
    const b = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${roomId} stream-id=${idB}></rtc-room>`);
    await Promise.all([a.join(), b.join()]);
    try {
      await poll(() => frames(a, idB) > 0 && frames(b, idA) > 0, 20_000, 'each room decodes the other');
      await poll(() => videos(player)[0]!.currentTime > 0 && videos(pub)[0]!.currentTime > 0, 10_000, 'publisher and player playing');
      const all = [pub, player, a, b];
      const watches = all.map(watch);
      const times = new Map<HTMLVideoElement, number>();
      let wentBack = '';
      const sample = setInterval(() => {
        for (const el of all) {
          for (const v of videos(el)) {
            if (v.currentTime + 0.5 < (times.get(v) ?? 0)) wentBack ||= `${el.localName} ${times.get(v)} → ${v.currentTime}`;
            times.set(v, v.currentTime);
          }
        }
      }, 200);
      await new Promise((r) => setTimeout(r, 10_000));
      clearInterval(sample);
      for (const w of watches) w.stop();
      // The renders happened (publisher and rooms every second, the player every 5 s).
      expect(watches.map((w) => w.renders() >= 1)).to.deep.equal([true, true, true, true]);
      expect(watches[0]!.renders()).to.be.at.least(8);
      expect(watches[2]!.renders()).to.be.at.least(8);
      expect(watches.map((w) => w.emptied)).to.deep.equal([[], [], [], []]);
      expect(wentBack, 'currentTime never goes back').to.equal('');
    } finally {
      await Promise.all([a.leave(), b.leave(), player.stop(), pub.stop()]);
    }
  });
});
