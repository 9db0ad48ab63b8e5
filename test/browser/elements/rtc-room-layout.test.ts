// <rtc-room>'s layout at the widths people use (1280, 768, 390, 240 px) with 1, 2, 4, 9 and 16
// participants, against the real embedded server: the room joins, and cheap canvas publishers
// (test/helpers/room.ts) join the same room through the protocol client. Every tile and the
// control bar stay inside the host, nothing covers a name, the chat's input and Send show.
// Screenshots go to test-output/screenshots/ (git-ignored) for a person to look at.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../../src/define-room.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { AmsClient, poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { canvasCamera, frames, NAMES } from '../../helpers/room.js';

type Rect = DOMRect;
const SLACK = 0.5;
const inside = (r: Rect, box: Rect): boolean =>
  r.left >= box.left - SLACK && r.top >= box.top - SLACK && r.right <= box.right + SLACK && r.bottom <= box.bottom + SLACK;
const overlap = (a: Rect, b: Rect): boolean =>
  Math.min(a.right, b.right) - Math.max(a.left, b.left) > SLACK && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > SLACK;
const shown = (e: Element): boolean => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';

/** What is wrong with the room's geometry now; [] when nothing is. */
function problems(el: RtcRoom, chat: boolean): string[] {
  const out: string[] = [];
  const root = el.shadowRoot!;
  const host = el.getBoundingClientRect();
  const tiles = [...root.querySelectorAll<HTMLElement>('.tile')];
  const rects = tiles.map((t) => t.getBoundingClientRect());
  const buttons = [...root.querySelectorAll<HTMLElement>('button')].filter(shown);
  tiles.forEach((t, i) => {
    const who = t.dataset.participant;
    if (!inside(rects[i]!, host)) out.push(`tile ${who} outside the host`);
    if (rects[i]!.width < 40 || rects[i]!.height < 24) out.push(`tile ${who} is ${rects[i]!.width}×${rects[i]!.height}`);
    rects.forEach((r, j) => j > i && overlap(r, rects[i]!) && out.push(`tiles ${who} and ${tiles[j]!.dataset.participant} overlap`));
    const name = t.querySelector('.name')!.getBoundingClientRect();
    if (!inside(name, rects[i]!)) out.push(`name of ${who} outside its tile`);
    for (const b of buttons) if (overlap(b.getBoundingClientRect(), name)) out.push(`${b.getAttribute('aria-label')} covers the name of ${who}`);
    const hit = root.elementFromPoint(name.left + Math.min(name.width / 2, 12), name.top + name.height / 2);
    if (!hit || !t.querySelector('.name')!.contains(hit)) out.push(`name of ${who} covered by ${hit?.className}`);
  });
  const bar = root.querySelector('.bar');
  if (bar) {
    const b = bar.getBoundingClientRect();
    if (!inside(b, host)) out.push('control bar outside the host');
    for (const [i, r] of rects.entries()) if (overlap(r, b)) out.push(`control bar over tile ${tiles[i]!.dataset.participant}`);
    for (const x of bar.querySelectorAll('button')) if (!inside(x.getBoundingClientRect(), host)) out.push(`${x.getAttribute('aria-label')} outside the host`);
  }
  if (chat) {
    const panel = root.querySelector('.chat')!;
    const p = panel.getBoundingClientRect();
    if (!shown(panel) || !inside(p, host)) out.push('chat outside the host');
    for (const [i, r] of rects.entries()) if (overlap(r, p)) out.push(`chat over tile ${tiles[i]!.dataset.participant}`);
    for (const sel of ['.chat input', '.chat .send']) {
      const x = root.querySelector(sel)!;
      const r = x.getBoundingClientRect();
      if (!inside(r, p) || r.width < 24) out.push(`${sel} not visible (${r.width}×${r.height})`);
      if (
        root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) !== x &&
        !x.contains(root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2))
      ) {
        out.push(`${sel} covered`);
      }
    }
  }
  return out;
}

/** Two frames: resize observers ran, the room re-rendered. */
const settle = async (el: RtcRoom): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
  await el.updateComplete;
};

const shot = async (el: RtcRoom, name: string): Promise<void> => {
  const r = el.getBoundingClientRect();
  await executeServerCommand('rtc-server', {
    action: 'screenshot',
    name,
    clip: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height },
  });
};

const SIZES: Array<[number, number]> = [
  [1280, 800],
  [768, 600],
  [390, 844],
  [240, 480],
];

describe('<rtc-room> layout', () => {
  const cams: Array<{ stop(): void }> = [];
  const clients: AmsClient[] = [];
  let el: RtcRoom;

  after(async () => {
    await el?.leave();
    el?.remove();
    for (const c of clients) c.close();
    for (const c of cams) c.stop();
    await setViewport({ width: 800, height: 600 });
  });

  /** Canvas publishers into `room` until the room shows `n` tiles, every remote one decoding. */
  const grow = async (room: string, n: number): Promise<void> => {
    while (clients.length < n - 1) {
      const i = clients.length;
      const client = await AmsClient.connect();
      clients.push(client);
      const cam = canvasCamera((i * 47) % 360);
      cams.push(cam);
      await client.publish(unique(`p${i}`), cam.stream, { mainTrack: room, streamName: NAMES[i] });
    }
    await poll(() => el.participantIds.length === n - 1, 20_000, `${n - 1} remote participants`);
    await poll(() => el.participantIds.every((id) => frames(el, id) > 0), 30_000, 'every remote tile decoding');
  };

  it('fits 1, 2, 4, 9 and 16 tiles at 1280, 768, 390 and 240 px, in grid and speaker layouts, chat closed and open', async function () {
    (this as { timeout(ms: number): void }).timeout(240_000);
    const room = unique('layout');
    el = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${room} stream-name="Me Myself"></rtc-room>`);
    // Chat goes over our own publish's data channel: send once it is open (join() resolves before).
    const channel = new Promise<void>((resolve) =>
      el.addEventListener('rtc-data-channel-opened', (e) => (e as CustomEvent<{ streamId?: string }>).detail.streamId === el.streamId && resolve()),
    );
    await el.join();
    await channel;
    el.sendMessage('Good morning, everyone!');
    el.sendMessage('The notes from last week are in the shared folder.');
    const found: string[] = [];
    for (const n of [1, 2, 4, 9, 16]) {
      await grow(room, n);
      for (const layout of ['grid', 'speaker'] as const) {
        if (layout === 'speaker' && n === 1) continue;
        el.layout = layout;
        for (const [w, h] of SIZES) {
          for (const chat of [false, true]) {
            await setViewport({ width: w + 40, height: h + 40 });
            el.style.cssText = `width:${w}px;height:${h}px`;
            const chatOpen = el.shadowRoot!.querySelector('[part~="chat-button"]')!.getAttribute('aria-pressed') === 'true';
            if (chatOpen !== chat) el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="chat-button"]')!.click();
            await settle(el);
            const what = `${layout} ${n} tiles ${w}×${h}${chat ? ' chat' : ''}`;
            found.push(...problems(el, chat).map((p) => `${what}: ${p}`));
            if (layout === 'grid' || n >= 4) await shot(el, `room-${layout}-${n}-${w}${chat ? '-chat' : ''}`);
          }
        }
      }
    }
    expect(found).to.deep.equal([]);
  });
});
